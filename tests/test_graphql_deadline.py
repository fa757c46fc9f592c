"""A GraphQL answer stops at once when it has taken its CPU time, on every path that makes
one, and is refused with QUERY_TIMEOUT and no data; without a deadline nothing is checked.
A deadline of zero makes the refusal certain, so nothing here depends on the clock's speed."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest

from blkg.api import deadline
from blkg.api.execution import GraphQLService
from blkg.api.schema import build_schema
from blkg.api.turns import LOOP_TURNS
from blkg.config import Limits
from blkg.read import build_catalog

NESTED = "{ responsibilities { sessions { responsibilities { sessions { number } } } } }"
WITH_AN_ERROR = (
    "{ responsibilities { sessions { number } } z: coverage(sessions: [0]) { totalDays } }"
)


@pytest.fixture(scope="module")
def catalog(graph):
    return build_catalog(graph.union(), graph.settings.instance_base)


def service(catalog, timeout: float) -> GraphQLService:
    schema = build_schema(Limits())
    return GraphQLService(schema, catalog, schema.documents, 20_000, 100, timeout)


def ask(answering: GraphQLService, query: str, times: int = 1):
    async def run():
        return [await answering.answer(query, None, None) for _ in range(times)]

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("query", "times"),
    [
        (NESTED, 1),  # size count, then a plan built on the spot
        (NESTED, 3),  # the plan kept with the document (its third sighting)
        (WITH_AN_ERROR, 1),  # graphql-core's own execution (an answer with an error)
    ],
    ids=["first answer", "kept plan", "answer with an error"],
)
def test_an_answer_past_its_deadline_is_refused_with_no_data(catalog, query, times):
    answer = ask(service(catalog, 0.0), query, times)[-1]
    body = orjson.loads(answer.body)
    assert answer.status == 400 and body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [deadline.CODE]


@pytest.mark.parametrize("query", [NESTED, WITH_AN_ERROR])
def test_within_its_deadline_an_answer_is_made(catalog, query):
    answer = ask(service(catalog, 60.0), query)[-1]
    assert b"QUERY_TIMEOUT" not in answer.body


def test_once_passed_every_check_raises():
    with deadline.deadline(0.0):
        with pytest.raises(deadline.TooSlow):  # the clock is read every CHECK_EVERY calls
            for _ in range(deadline.CHECK_EVERY):
                deadline.check()
        for _ in range(3):
            with pytest.raises(deadline.TooSlow):
                deadline.check()


def test_without_a_deadline_nothing_is_checked():
    for _ in range(10 * deadline.CHECK_EVERY):
        deadline.check()


def test_what_the_loop_does_while_an_answer_waits_is_not_on_its_deadline(catalog, monkeypatch):
    """An answer lets the loop turn before it starts and between its stages; the CPU time other
    requests take meanwhile is theirs, not the answer's."""
    monkeypatch.setattr(deadline, "CHECK_EVERY", 1)  # the clock read at every check
    schema = build_schema(Limits())
    service = GraphQLService(schema, catalog, schema.documents, 20_000, timeout=0.05)

    async def others() -> None:
        for _ in range(4 * LOOP_TURNS):  # at every turn the answer gives, a fifth of its deadline
            began = time.thread_time()
            while time.thread_time() - began < 0.01:
                pass
            await asyncio.sleep(0)

    async def run():
        answering = asyncio.create_task(service.answer("{ framework { name } }", None, None))
        await asyncio.create_task(others())
        return await answering

    assert asyncio.run(run()).status == 200
