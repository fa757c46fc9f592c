"""Fuzzing `/graphql` with schemathesis: queries generated from `schema.graphql`, valid ones
(positive mode) and ones the schema refuses (negative mode: wrong argument types, unknown enum
values, missing arguments), every Query field, over POST and GET to the real server; and
hypothesis-built bodies that are not GraphQL at all, or broken in transit.

Every answer passes `tests.safety.assert_safe` (no 5xx, nothing internal, every error a JSON
body with a code). A query the schema refuses is a 400 with a validation code. A valid query is
answered; the only errors it may meet are the API's own for a value that names nothing or is
out of range (`NOT_FOUND`, `BAD_USER_INPUT`), never an internal error. (schemathesis's
`not_a_server_error` check is not used: for GraphQL it counts any resolver error as a server
error, and so the API's coded `NOT_FOUND` for an unknown slug.) The figures go to the
end-of-run summary.
"""

from __future__ import annotations

from collections import Counter

import graphql
import orjson
import pytest
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from tests import figures
from tests.safety import ROOT, assert_safe, error_codes

SDL = ROOT / "schema.graphql"
SCHEMA = schemathesis.graphql.from_path(SDL)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
QUERY_FIELDS = graphql.build_schema(SDL.read_text()).query_type.fields
EXAMPLES_PER_OPERATION = 6
SECTION = "fuzz graphql (schemathesis + hypothesis)"


def test_every_query_field_is_fuzzed():
    assert len(OPERATIONS) == len(QUERY_FIELDS) > 20
    assert {op.label for op in OPERATIONS} == {f"Query.{name}" for name in QUERY_FIELDS}


def send(client, query: str, via: str, variables: dict | None = None, operation=None):
    if via == "GET":
        params = {"query": query}
        if variables is not None:
            params["variables"] = orjson.dumps(variables).decode()
        if operation is not None:
            params["operationName"] = operation
        response = client.get("/graphql", params=params)
    else:
        body = {"query": query, "variables": variables, "operationName": operation}
        response = client.post("/graphql", json=body)
    figures.count(SECTION, Counter({response.status_code: 1}))
    assert_safe(response)
    return response


def fuzz(operation, mode: GenerationMode):
    @settings(max_examples=EXAMPLES_PER_OPERATION)
    @given(case=operation.as_strategy(generation_mode=mode), via=st.sampled_from(["POST", "GET"]))
    def run(client, case, via):
        response = send(client, case.body, via)
        body = response.json()
        if case.meta.generation.mode.is_negative:  # a field without arguments stays positive
            assert response.status_code == 400, body
            assert set(error_codes(body)) <= {"GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"}
            return
        assert "data" in body, body
        if "errors" in body:  # a value that names nothing: a coded error, data null where it was
            assert set(error_codes(body)) <= {"NOT_FOUND", "BAD_USER_INPUT"}, body
        assert response.status_code == (400 if body["data"] is None else 200), body

    return run


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_valid_queries_are_answered(client, operation):
    fuzz(operation, GenerationMode.POSITIVE)(client)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_invalid_queries_are_refused_with_a_code(client, operation):
    fuzz(operation, GenerationMode.NEGATIVE)(client)


# -- bodies that are not GraphQL -------------------------------------------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)  # what JSON encoders write
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
GRAPHQL_WORDS = st.sampled_from(
    [
        "{", "}", "(", ")", "query", "fragment", "on", "...", "$n", ":", "Int!", "framework",
        "session(number: 3)", "title", "coverage", "@include(if: true)", "__schema", "__typename",
        "mutation", "subscription", '"', '"""', "#", "\\u0000", "1e999", "-", "=", "[", "]",
    ]
)  # fmt: skip
ALMOST_GRAPHQL = st.lists(GRAPHQL_WORDS | st.text(max_size=5), max_size=30).map(" ".join)


@settings(max_examples=120)
@given(
    query=ALMOST_GRAPHQL | st.text(max_size=200),
    variables=st.none() | st.dictionaries(st.sampled_from(["n", "s", "x"]), JSON_VALUES),
    via=st.sampled_from(["POST", "GET"]),
    operation=st.none() | st.sampled_from(["Q", "A", ""]) | st.text(max_size=8),
)
def test_broken_queries_and_variables_get_coded_errors(client, query, variables, via, operation):
    send(client, query, via, variables, operation)


@pytest.mark.parametrize(
    ("query", "operation"),
    [
        ("query A { framework { name } }", "Nope"),
        ("fragment X on Framework { name }", None),
        ("fragment X on Framework { name }", "X"),
        ("query A { framework { name } } query B { framework { name } }", "C"),
    ],
)
@pytest.mark.parametrize("via", ["POST", "GET"])
def test_an_operation_that_cannot_be_chosen_is_a_coded_400(client, query, operation, via):
    response = send(client, query, via, operation=operation)
    assert response.status_code == 400
    assert error_codes(response.json()) == ["GRAPHQL_VALIDATION_FAILED"]


POST_FIELDS = st.sampled_from(["query", "variables", "operationName", "extensions"])
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=latin-1",
        "application/graphql-response+json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "",
        "multipart/form-data; boundary=x",
    ]
)


@settings(max_examples=80)
@given(
    body=st.binary(max_size=300)
    | JSON_VALUES.map(orjson.dumps)
    | st.dictionaries(POST_FIELDS, JSON_VALUES).map(orjson.dumps),
    content_type=CONTENT_TYPES,
)
def test_arbitrary_post_bodies_get_coded_errors(client, body, content_type):
    response = client.post("/graphql", content=body, headers={"Content-Type": content_type})
    figures.count(SECTION, Counter({response.status_code: 1}))
    assert_safe(response)
