"""The pool of SPARQL workers: a short line that fails fast, and workers that always come back.

- When every worker is busy and `queue` queries already wait, the next query is refused at
  once (`EngineBusy`, answered `503 SPARQL_BUSY`), without waiting.
- A worker that ends, however it ends, is replaced; a replacement that cannot start (no file
  descriptor left) is retried for as long as it takes, and meanwhile `/health` answers 200
  with `"status": "degraded"` and why, in words without the operating system's.

In-process, over a dataset of a few triples, with real worker processes; a failing start is a
stand-in launcher that raises what `os.pipe` raises when descriptors run out. Waiting is on
the engine's own status, polled, with a generous overall guard.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from blkg.config import Limits
from blkg.sparql import engine as engine_module
from blkg.sparql.descriptors import DescriptorReserve, free_descriptors
from blkg.sparql.engine import EngineBusy, QueryEngine, Worker
from blkg.web.health import health_endpoint

GUARD_SECONDS = 120.0
GRAPHS = {"urn:blkg:test": b"<urn:s> <urn:p> <urn:o> .\n<urn:s> <urn:p> <urn:o2> .\n"}
TEN = " ".join(str(n) for n in range(10))
# 10^12 rows to count: runs until it is stopped, whatever the machine.
ENDLESS = (
    "SELECT (COUNT(*) AS ?n) { " + " ".join(f"VALUES ?v{n} {{ {TEN} }}" for n in range(12)) + " }"
)
OS_WORDS = ("Errno", "os error", "Too many open files", "errno")


def request(query: str) -> dict:
    return {
        "query": query,
        "results": "json",
        "graph": None,
        "max_results": 100,
        "max_bytes": 65536,
    }


async def until(condition, what: str) -> None:
    """Wait for `condition()` to hold; the guard only turns a hang into a failure."""
    deadline = asyncio.get_running_loop().time() + GUARD_SECONDS
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.01)


def run(scenario) -> None:
    asyncio.run(asyncio.wait_for(scenario(), GUARD_SECONDS * 2))


# -- the line ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "queue"), [(1, 0), (1, 1), (2, 3)])
def test_a_query_past_the_line_is_refused_at_once(size, queue):
    async def scenario():
        engine = QueryEngine(GRAPHS, {}, size=size, timeout=GUARD_SECONDS, queue=queue)
        await engine.start_and_wait()
        held = []
        try:
            held = [asyncio.ensure_future(engine.run(request(ENDLESS))) for _ in range(size)]
            await until(lambda: engine.status().busy == size, "every worker busy")
            held += [asyncio.ensure_future(engine.run(request(ENDLESS))) for _ in range(queue)]
            await until(lambda: engine.status().waiting == queue, "the line full")
            with pytest.raises(EngineBusy) as busy:
                await engine.run(request("ASK {}"))  # refused without a wait: nothing to await
            assert busy.value.queue_full and busy.value.status.waiting == queue
        finally:
            for task in held:
                task.cancel()
            await asyncio.gather(*held, return_exceptions=True)
            await engine.close()

    run(scenario)


def test_a_query_in_the_line_runs_when_a_worker_is_free():
    async def scenario():
        engine = QueryEngine(GRAPHS, {}, size=1, timeout=GUARD_SECONDS, queue=1)
        await engine.start_and_wait()
        try:
            first = asyncio.ensure_future(engine.run(request(ENDLESS)))
            await until(lambda: engine.status().busy == 1, "the worker busy")
            waiting = asyncio.ensure_future(engine.run(request("ASK { ?s ?p ?o }")))
            await until(lambda: engine.status().waiting == 1, "a query in the line")
            first.cancel()  # frees the worker: it is killed and replaced
            answer = await waiting
            assert answer.body == b'{"head":{},"boolean":true}'
        finally:
            await engine.close()

    run(scenario)


# -- workers come back -------------------------------------------------------------------------


def test_a_worker_killed_from_outside_is_replaced():
    async def scenario():
        engine = QueryEngine(GRAPHS, {}, size=2, timeout=GUARD_SECONDS)
        await engine.start_and_wait()
        try:
            before = {worker.process.pid for worker in engine._workers}
            os.kill(min(before), signal.SIGKILL)
            await until(
                lambda: (
                    engine.status().running == 2
                    and {w.process.pid for w in engine._workers} != before
                ),
                "a replacement running",
            )
            for _ in range(2):  # both workers answer, the replacement among them
                answer = await engine.run(request("ASK { ?s ?p ?o }"))
                assert answer.header["ok"]
        finally:
            await engine.close()

    run(scenario)


class Starts:
    """A launcher that fails, as when no descriptor is left, until it is let through."""

    def __init__(self):
        self.failed = 0
        self.let_through = False

    async def __call__(self, setup: bytes, graphs: list[bytes]) -> Worker:
        if not self.let_through:
            self.failed += 1
            raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))
        return await Worker.start(setup, graphs)


def health_client(graph, engine) -> httpx.AsyncClient:
    app = Starlette(routes=[Route("/health", health_endpoint(graph))])
    app.state.sparql = engine
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def test_workers_that_cannot_start_are_retried_until_they_do(graph, monkeypatch):
    monkeypatch.setattr(engine_module, "FIRST_RETRY_SECONDS", 0.001)
    monkeypatch.setattr(engine_module, "LAST_RETRY_SECONDS", 0.01)
    starts = Starts()

    async def scenario():
        engine = QueryEngine(GRAPHS, {}, size=2, timeout=GUARD_SECONDS, launcher=starts)
        async with health_client(graph, engine) as http:
            try:
                await engine.start_and_wait()  # returns: the server serves without workers
                await until(lambda: starts.failed > 20, "many failed starts")  # once gave up at 5
                response = await http.get("/health")
                assert response.status_code == 200
                body = response.json()
                assert body["status"] == "degraded" and body["degraded"] == ["sparql"]
                assert body["sparql"]["workers"] == 0 and body["sparql"]["size"] == 2
                assert "out of file descriptors" in body["sparql"]["problem"]
                assert not any(words in response.text for words in OS_WORDS)

                starts.let_through = True
                await until(lambda: engine.status().running == 2, "the pool full again")
                body = (await http.get("/health")).json()
                assert body["status"] == "ok" and "problem" not in body["sparql"]
                assert (await engine.run(request("ASK { ?s ?p ?o }"))).header["ok"]
            finally:
                await engine.close()

    run(scenario)


def test_a_query_waiting_while_no_worker_runs_is_answered_busy_in_plain_words(monkeypatch):
    monkeypatch.setattr(engine_module, "FIRST_RETRY_SECONDS", 0.001)
    monkeypatch.setattr(engine_module, "LAST_RETRY_SECONDS", 0.01)

    async def scenario():
        engine = QueryEngine(GRAPHS, {}, size=1, timeout=0.2, launcher=Starts())
        try:
            await engine.start_and_wait()
            with pytest.raises(EngineBusy) as busy:
                await engine.run(request("ASK {}"))
            assert busy.value.status.running == 0 and not busy.value.queue_full
        finally:
            await engine.close()

    run(scenario)


# -- the settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "field", "expected"),
    [
        ("BLKG_SPARQL_QUEUE", "0", "sparql_queue", 0),  # no line: refused whenever all are busy
        ("BLKG_SPARQL_QUEUE", "20", "sparql_queue", 20),
        ("BLKG_SPARQL_MAX_BYTES", "1048576", "sparql_max_bytes", 1048576),
    ],
)
def test_the_line_and_the_answer_cap_are_settings(monkeypatch, name, value, field, expected):
    monkeypatch.setenv(name, value)
    assert getattr(Limits.from_env(), field) == expected


@pytest.mark.parametrize(
    ("name", "value"), [("BLKG_SPARQL_QUEUE", "-1"), ("BLKG_SPARQL_MAX_BYTES", "0")]
)
def test_a_bad_line_or_cap_is_refused_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError) as refusal:
        Limits.from_env()
    assert name in str(refusal.value)


# -- descriptors -------------------------------------------------------------------------------


def test_the_reserve_holds_descriptors_and_hands_them_back():
    free = free_descriptors()
    if free is None:
        pytest.skip("the number of free descriptors cannot be told here")
    reserve = DescriptorReserve(8)
    try:
        reserve.fill()
        assert reserve.held == 8 and free_descriptors() == free - 8
    finally:
        reserve.release()
    assert reserve.held == 0 and free_descriptors() == free
