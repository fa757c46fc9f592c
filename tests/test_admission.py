"""Admission control (`blkg.web.admission`), in-process, around an application whose answers
wait until the test lets them go, so "in flight" is an event rather than a timing:

- past `limit` requests being answered, a request is refused at once (it completes while the
  others are still held) with 503, `Retry-After` and a coded JSON error; `/health` is never
  refused; once the held answers go, requests are served again;
- a slot is held while the answer is being worked on, not while it is delivered: once an
  answer has started, its slot is free for the next request;
- a client that goes away while its body is read ends its request quietly and frees its slot.

That a slow body does not reach the application (so holds no slot) is tested on the real
server, over sockets: `tests/test_slow_bodies.py`.
"""

from __future__ import annotations

import asyncio

import orjson
import pytest
from starlette.requests import ClientDisconnect

from blkg.web.admission import RETRY_AFTER_SECONDS, AdmissionLimit
from tests.safety import error_codes

LIMIT = 4
GUARD_SECONDS = 30  # only against a hang: every wait below ends on an event


class HeldAnswers:
    """An application whose answers wait for `release`; it counts the requests it has got.

    `/health` answers at once; `/started` starts its answer and then waits (an answer being
    delivered to a slow client); `/gone` finds its client gone while reading the body."""

    def __init__(self, expected: int):
        self.entered = 0
        self.expected = expected
        self.all_entered = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, scope, receive, send) -> None:
        self.entered += 1
        if self.entered == self.expected:
            self.all_entered.set()
        path = scope["path"]
        if path == "/gone":
            raise ClientDisconnect()
        if path == "/started":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await self.release.wait()
            await send({"type": "http.response.body", "body": b"late"})
            return
        if path != "/health":
            await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def request(app, path: str = "/graphql") -> tuple[int, dict[str, str], bytes]:
    """Send one GET through `app`; its status, headers and body."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [],
    }
    await app(scope, receive, send)
    start, *bodies = sent
    headers = {name.decode(): value.decode() for name, value in start.get("headers", [])}
    return start["status"], headers, b"".join(m.get("body", b"") for m in bodies)


def run(scenario) -> None:
    async def guarded() -> None:
        await asyncio.wait_for(scenario(), GUARD_SECONDS)

    asyncio.run(guarded())


async def held(app: HeldAnswers, limit: AdmissionLimit, count: int, path: str = "/graphql"):
    """`count` requests in flight, once the application has got all of them."""
    tasks = [asyncio.create_task(request(limit, path)) for _ in range(count)]
    await app.all_entered.wait()
    return tasks


def test_past_the_limit_a_request_is_refused_at_once_with_503_and_retry_after():
    async def scenario() -> None:
        app = HeldAnswers(expected=LIMIT)
        limit = AdmissionLimit(app, LIMIT)
        holders = await held(app, limit, LIMIT)
        probes = [await request(limit, f"/graphql?{n}") for n in range(30)]  # none waits
        for status, headers, body in probes:
            assert status == 503
            assert headers["retry-after"] == str(RETRY_AFTER_SECONDS)
            assert headers["content-type"] == "application/json"
            assert error_codes(orjson.loads(body)) == ["OVERLOADED"]
        assert app.entered == LIMIT
        app.release.set()
        assert [status for status, _, _ in await asyncio.gather(*holders)] == [200] * LIMIT

    run(scenario)


def test_health_is_answered_while_the_limit_is_reached():
    async def scenario() -> None:
        app = HeldAnswers(expected=LIMIT)
        limit = AdmissionLimit(app, LIMIT)
        holders = await held(app, limit, LIMIT)
        status, _, body = await request(limit, "/health")
        assert (status, body) == (200, b"ok")
        app.release.set()
        await asyncio.gather(*holders)

    run(scenario)


def test_once_the_answers_are_done_requests_are_served_again():
    async def scenario() -> None:
        app = HeldAnswers(expected=LIMIT)
        limit = AdmissionLimit(app, LIMIT)
        holders = await held(app, limit, LIMIT)
        app.release.set()
        await asyncio.gather(*holders)
        assert limit.in_flight == 0
        results = await asyncio.gather(*(request(limit) for _ in range(LIMIT * 2)))
        assert [status for status, _, _ in results] == [200] * (LIMIT * 2)

    run(scenario)


def test_an_answer_being_delivered_holds_no_slot():
    async def scenario() -> None:
        app = HeldAnswers(expected=LIMIT * 2)
        limit = AdmissionLimit(app, LIMIT)
        delivering = await held(app, limit, LIMIT * 2, "/started")  # twice the limit: all in
        assert limit.in_flight == 0
        app.release.set()
        assert [body for _, _, body in await asyncio.gather(*delivering)] == [b"late"] * (LIMIT * 2)

    run(scenario)


@pytest.mark.parametrize("count", [1, LIMIT, LIMIT * 3])
def test_a_client_gone_while_its_body_is_read_ends_quietly_and_frees_its_slot(count):
    async def scenario() -> None:
        app = HeldAnswers(expected=count)
        limit = AdmissionLimit(app, LIMIT)

        async def gone() -> None:
            sent: list[dict] = []

            async def send(message: dict) -> None:
                sent.append(message)

            scope = {"type": "http", "method": "POST", "path": "/gone", "headers": []}
            await limit(scope, None, send)
            assert sent == []  # nobody to answer

        await asyncio.gather(*(gone() for _ in range(count)))
        assert app.entered == count and limit.in_flight == 0  # none refused, every slot free

    run(scenario)
