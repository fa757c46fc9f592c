"""The field budget holds on every execution path, whatever is cached, and an answer over it
is refused before a single field is resolved.

The attack of issue 9: a query with a list argument is first asked with variables that make
its answer small (its plan is prepared and cached), then with variables that make it huge.
"""

from __future__ import annotations

import asyncio

import orjson
import pytest
from graphql import parse

from blkg.api.execution import GraphQLService
from blkg.api.schema import build_schema
from blkg.config import Limits
from blkg.read import build_catalog
from tests.conftest import RunningServer, http_client

LIMITS = Limits()


def nested(levels: int, argument: str = "(basis: $b)") -> str:
    """`responsibilities { sessions(basis: $b) { responsibilities(basis: $b) { ... } } }`."""
    inner = "number"
    for level in range(levels, 0, -1):
        field = "sessions" if level % 2 else "responsibilities"
        inner = f"{field}{argument} {{ {inner} }}"
    return f"query R($b: [Basis!]) {{ responsibilities {{ {inner} }} }}"


# (query, variables that keep the answer small, variables that make it too large)
ATTACKS = {
    "the reported attack": (nested(5), {"b": []}, {"b": None}),
    "one level deeper": (nested(6), {"b": []}, {"b": None}),
    "an explicit list of every basis": (nested(6), {"b": []}, {"b": ["SOURCED", "EDITORIAL"]}),
    "variables left out the second time": (nested(6), {"b": []}, None),
    "through a fragment": (
        "query R($b: [Basis!]) { responsibilities { ...S } } "
        "fragment S on Responsibility { sessions(basis: $b) { responsibilities(basis: $b) { "
        "sessions(basis: $b) { responsibilities(basis: $b) { sessions(basis: $b) { number } "
        "} } } } }",
        {"b": []},
        {"b": None},
    ),
    "through @include": (
        "query R($b: [Basis!], $i: Boolean!) { responsibilities { sessions(basis: $b) "
        "@include(if: $i) { responsibilities(basis: $b) { sessions(basis: $b) { "
        "responsibilities(basis: $b) { sessions(basis: $b) { number } } } } } } }",
        {"b": None, "i": False},
        {"b": None, "i": True},
    ),
}


INTROSPECTION = "__schema { types { name fields { name args { name } type { name } } } }"
# Documents whose every answer is over budget, whatever the variables.
OVER_BUDGET = {
    "introspection under thirty aliases": "query R { "
    + " ".join(f"a{n}: {INTROSPECTION}" for n in range(30))
    + " }",
    "lists in lists under aliases": "query R { "
    + " ".join(
        f"a{n}: responsibilities {{ sessions {{ responsibilities {{ sessions {{ "
        f"responsibilities {{ number }} }} }} }} }}"
        for n in range(8)
    )
    + " }",
}


@pytest.fixture(scope="module")
def catalog(graph):
    return build_catalog(graph.union(), graph.settings.instance_base)


def codes(body: bytes) -> list[str]:
    return [e["extensions"]["code"] for e in orjson.loads(body).get("errors", [])]


@pytest.mark.parametrize("name", ATTACKS)
def test_an_answer_over_budget_is_refused_even_after_a_small_one_was_prepared(catalog, name):
    query, small, large = ATTACKS[name]
    schema = build_schema(LIMITS)
    service = GraphQLService(schema, catalog, schema.documents, LIMITS.max_resolved_fields)

    async def ask(variables):
        return await service.answer(query, variables, "R")

    first = asyncio.run(ask(small))
    assert first.status == 200 and codes(first.body) == []
    second = asyncio.run(ask(large))
    assert (second.status, codes(second.body)) == (400, ["RESULT_TOO_LARGE"])
    assert orjson.loads(second.body)["data"] is None


OVER_BUDGET_REQUESTS = {
    **{name: (query, large) for name, (query, _, large) in ATTACKS.items()},
    **{name: (query, None) for name, query in OVER_BUDGET.items()},
}


@pytest.mark.parametrize("name", OVER_BUDGET_REQUESTS)
def test_an_answer_over_budget_is_refused_before_any_field_is_resolved(catalog, name):
    query, large = OVER_BUDGET_REQUESTS[name]
    schema = build_schema(LIMITS)
    schema.execution_context_class.prepared = False  # so graphql-core would count each field
    execution = schema.execution_context_class.build(
        schema._schema, parse(query), catalog, None, large
    )
    result = execution.execute_operation()
    assert execution.resolved == 0
    assert [e.extensions["code"] for e in result.errors] == ["RESULT_TOO_LARGE"]


def test_an_answer_at_the_budget_is_given_and_one_field_more_is_refused(catalog):
    query = "{ responsibilities { number name sessions { number title } } }"
    schema = build_schema(LIMITS)
    size = schema.execution_context_class.build(schema._schema, parse(query), catalog).answer_size()
    for budget, expected in ((size, 200), (size - 1, 400)):
        limited = build_schema(Limits(max_resolved_fields=budget))
        service = GraphQLService(limited, catalog, limited.documents, budget)
        for _ in range(2):  # the full way, then from the plan
            assert asyncio.run(service.answer(query, None, None)).status == expected


@pytest.mark.parametrize("cache", ["1", "0"])
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_the_server_refuses_the_attack_with_and_without_its_response_cache(cache, method):
    query, small, large = ATTACKS["one level deeper"]
    with (
        RunningServer(env={"BLKG_RESPONSE_CACHE": cache}) as server,
        http_client(server.url) as http,
    ):

        def ask(variables):
            if method == "POST":
                return http.post("/graphql", json={"query": query, "variables": variables})
            params = {"query": query, "variables": orjson.dumps(variables).decode()}
            return http.get("/graphql", params=params)

        assert ask(small).status_code == 200
        refused = ask(large)
        assert refused.status_code == 400
        assert [e["extensions"]["code"] for e in refused.json()["errors"]] == ["RESULT_TOO_LARGE"]
        assert len(refused.content) < 1024
        assert http.get("/health").status_code == 200
