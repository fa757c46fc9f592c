"""A list of more than BLKG_MAX_LIST_ITEMS items, written in the query or passed in its
variables, is refused before anything runs, on every path; a field's arguments are coerced
once per field, not once per object it is resolved on."""

from __future__ import annotations

import asyncio

import graphql.execution.executor as core_executor
import orjson
import pytest

from blkg.api import arguments
from blkg.api.execution import GraphQLService
from blkg.api.schema import build_schema
from blkg.config import Limits
from blkg.read import build_catalog

LIMIT = 5
LITERAL = "{{ responsibilities {{ sessions(basis: [{}]) {{ number }} }} }}"
VARIABLE = "query($b: [Basis!]) { responsibilities { sessions(basis: $b) { number } } }"


@pytest.fixture(scope="module")
def catalog(graph):
    return build_catalog(graph.union(), graph.settings.instance_base)


def answered(catalog, query: str, variables: dict | None = None, times: int = 1):
    schema = build_schema(Limits(max_list_items=LIMIT))
    service = GraphQLService(schema, catalog, schema.documents, 20_000, LIMIT)

    async def run():
        return [await service.answer(query, variables, None) for _ in range(times)]

    return asyncio.run(run())[-1]


def codes(answer) -> list[str]:
    return [e["extensions"]["code"] for e in orjson.loads(answer.body).get("errors", [])]


@pytest.mark.parametrize("items", [LIMIT, LIMIT + 1])
def test_a_list_literal_is_refused_past_the_limit(catalog, items):
    answer = answered(catalog, LITERAL.format(", ".join(["EDITORIAL"] * items)))
    refused = items > LIMIT
    assert (answer.status == 400 and codes(answer) == ["QUERY_TOO_COMPLEX"]) is refused


@pytest.mark.parametrize("times", [1, 3], ids=["strawberry", "kept plan"])
@pytest.mark.parametrize(
    "variables",
    [{"b": ["EDITORIAL"] * (LIMIT + 1)}, {"b": ["EDITORIAL"], "x": [[0] * (LIMIT + 1)]}],
    ids=["a variable", "a list inside a variable"],
)
def test_a_list_in_the_variables_is_refused_past_the_limit(catalog, variables, times):
    answer = answered(catalog, VARIABLE, variables, times)
    assert answer.status == 400 and codes(answer) == ["QUERY_TOO_COMPLEX"]
    assert b"in the variables" in answer.body


def test_graphql_core_coerces_through_the_once_per_field_version():
    assert core_executor.get_argument_values is arguments.argument_values


def test_arguments_are_coerced_once_per_field_on_graphql_cores_path(catalog, monkeypatch):
    calls = []
    core = arguments.core_argument_values

    def counting(field_def, node, *rest):
        calls.append(node.name.value)
        return core(field_def, node, *rest)

    monkeypatch.setattr(arguments, "core_argument_values", counting)
    # An answer with an error is made by graphql-core, field by field.
    query = (
        "{ responsibilities { sessions(basis: [EDITORIAL]) { number } } "
        "z: coverage(sessions: [0]) { totalDays } }"
    )
    answer = answered(catalog, query)
    assert b"No session 0" in answer.body
    assert calls.count("sessions") <= 2  # once by the size count, once by execution
