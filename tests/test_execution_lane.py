"""Answers are made one at a time, and a cheap request that arrives alongside is not queued
behind them: it needs a few turns of the event loop, and every answer lets those go by first.
Order is observed through events, never through time."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest

from blkg.api.execution import Busy, Gone, GraphQLService
from blkg.api.schema import build_schema
from blkg.api.turns import LOOP_TURNS
from blkg.app import create_app
from blkg.config import Limits
from blkg.read import build_catalog

QUERY = "{ responsibilities { sessions { responsibilities { number } } } }"


@pytest.fixture(scope="module")
def catalog(graph):
    return build_catalog(graph.union(), graph.settings.instance_base)


def recording(service: GraphQLService, events: list) -> None:
    """Record when each answer starts and ends being made; each gives the loop a turn while
    it is made, as an answer that awaits something would."""
    make = service._answer

    async def answer(query, variables, operation):
        events.append("start")
        await asyncio.sleep(0)
        try:
            return await make(query, variables, operation)
        finally:
            events.append("end")

    service._answer = answer


def served(catalog, answers: int, cheap_turns: int) -> list:
    schema = build_schema(Limits())
    service = GraphQLService(schema, catalog, schema.documents, 20_000)
    events: list = []
    recording(service, events)

    async def cheap():
        for _ in range(cheap_turns):
            await asyncio.sleep(0)
        events.append("cheap")

    async def run():
        tasks = [asyncio.create_task(service.answer(QUERY, None, None)) for _ in range(answers)]
        tasks.append(asyncio.create_task(cheap()))
        results = await asyncio.gather(*tasks)
        assert all(r.status == 200 for r in results[:answers])

    asyncio.run(run())
    return events


def test_answers_are_made_one_at_a_time(catalog):
    events = [e for e in served(catalog, 4, 1) if e != "cheap"]
    assert events == ["start", "end"] * 4


@pytest.mark.parametrize("turns", [1, LOOP_TURNS // 2, LOOP_TURNS - 1])
def test_a_cheap_request_waits_for_no_answer_that_arrived_before_it(catalog, turns):
    events = served(catalog, 4, turns)
    assert events.index("cheap") < events.index("start")


def test_past_the_queue_a_request_is_turned_away_at_once(catalog):
    schema = build_schema(Limits())
    service = GraphQLService(schema, catalog, schema.documents, 20_000, queue=2)

    async def run():
        await service.lane.acquire()  # an answer is being made
        waiting = [asyncio.create_task(service.answer(QUERY, None, None)) for _ in range(2)]
        await asyncio.sleep(0)  # both are now waiting for the lane
        with pytest.raises(Busy):
            await service.answer(QUERY, None, None)
        service.lane.release()
        return [answer.status for answer in await asyncio.gather(*waiting)]

    assert asyncio.run(run()) == [200, 200]


def test_a_busy_answer_is_a_503_with_retry_after_and_is_not_cached(graph):
    app = create_app(graph)
    service = app.state.graphql
    service.queue = 0
    body = {"query": "{ framework { name } }"}

    async def run():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            await service.lane.acquire()
            try:
                busy = await http.post("/graphql", json=body)
            finally:
                service.lane.release()
            return busy, await http.post("/graphql", json=body)

    busy, answered = asyncio.run(run())
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert busy.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_BUSY"
    assert answered.status_code == 200 and "data" in answered.json()


def _asked(answer: bool, asks: list):
    def gone() -> bool:
        asks.append(answer)
        return answer

    return gone


@pytest.mark.parametrize("left", [True, False])
def test_whether_the_client_left_is_asked_when_its_turn_comes(catalog, left):
    schema = build_schema(Limits())
    service = GraphQLService(schema, catalog, schema.documents, 20_000)
    asks: list = []

    async def run():
        await service.lane.acquire()  # an answer is being made
        waiting = asyncio.create_task(service.answer(QUERY, None, None, _asked(left, asks)))
        for _ in range(LOOP_TURNS * 2):
            await asyncio.sleep(0)
        assert asks == []  # not while it waits
        service.lane.release()
        return await asyncio.gather(waiting, return_exceptions=True)

    (outcome,) = asyncio.run(run())
    assert asks == [left]
    assert isinstance(outcome, Gone) if left else outcome.status == 200


def test_the_request_of_a_client_that_left_is_not_answered(catalog):
    schema = build_schema(Limits())
    service = GraphQLService(schema, catalog, schema.documents, 20_000)
    events: list = []
    recording(service, events)

    async def run():
        with pytest.raises(Gone):
            await service.answer(QUERY, None, None, _asked(True, []))
        return await service.answer(QUERY, None, None, _asked(False, []))

    assert asyncio.run(run()).status == 200
    assert events == ["start", "end"]  # only the second was made


def test_a_post_whose_client_left_while_it_waited_is_dropped_quietly(graph):
    app = create_app(graph)
    service = app.state.graphql
    events: list = []
    recording(service, events)
    body = orjson.dumps({"query": "{ framework { name } }"})
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"test"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    received = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list = []

    async def receive():
        if received:
            return received.pop(0)
        return {"type": "http.disconnect"}  # the client has hung up

    async def send(message):
        sent.append(message)

    async def run():
        await service.lane.acquire()  # an answer is being made
        request = asyncio.create_task(app(scope, receive, send))
        for _ in range(LOOP_TURNS * 2):
            await asyncio.sleep(0)
        service.lane.release()
        await request

    asyncio.run(run())
    assert sent == [] and events == []
