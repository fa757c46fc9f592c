"""Each limit of the public endpoint: a query just inside passes, one just outside fails.

The depth limit counts levels of selection, the root field being the first: with a limit of
10, a query of 10 levels passes and one of 11 is refused (`blkg.api.depth`).
"""

from __future__ import annotations

import pytest
from graphql import parse, validate

from blkg.api.depth import DepthLimiter
from blkg.api.schema import build_schema
from blkg.config import Limits

LIMITS = Limits()


def nested_query(levels: int) -> str:
    """A query of `levels` levels of selection, the root field being the first:
    `nested_query(2)` is `{ session(number: 2) { number } }`."""
    inner = "number"
    for _ in range(levels - 2):
        inner = f"extendedBy {{ {inner} }}"
    return f"{{ session(number: 2) {{ {inner} }} }}"


def fragment_nested_query(levels: int) -> str:
    """`levels` levels of selection reached through a fragment and an inline fragment, which
    add none of their own."""
    inner = "number"
    for _ in range(levels - 3):
        inner = f"extendedBy {{ {inner} }}"
    return (
        f"query Q {{ session(number: 2) {{ ...F }} }} "
        f"fragment F on Session {{ ... on Session {{ extendedBy {{ {inner} }} }} }}"
    )


def token_query(tokens: int) -> str:
    """A query of exactly `tokens` lexical tokens: twenty aliases of `coverage`, each 12 tokens
    of structure and a list of session numbers no longer than the list limit, in braces.

    (A selection of thousands of identical fields is no good here: graphql-core aborts the
    validation of such a document on its own, well inside the token limit.)
    """
    aliases = 20
    items = tokens - 2 - 12 * aliases
    sizes = [items // aliases + (i < items % aliases) for i in range(aliases)]
    fields = " ".join(
        f"a{i}: coverage(sessions: [" + "1 " * size + "]) { totalDays }"
        for i, size in enumerate(sizes)
    )
    return "{ " + fields + " }"


def alias_query(aliases: int) -> str:
    return "{ " + " ".join(f"a{i}: framework {{ name }}" for i in range(aliases)) + " }"


def post(client, query: str):
    return client.post("/graphql", json={"query": query})


def codes(response) -> set[str]:
    return {e["extensions"]["code"] for e in response.json().get("errors", [])}


@pytest.mark.parametrize(
    ("build", "limit", "code"),
    [
        (nested_query, LIMITS.max_query_depth, "QUERY_TOO_DEEP"),
        (fragment_nested_query, LIMITS.max_query_depth, "QUERY_TOO_DEEP"),
        (token_query, LIMITS.max_query_tokens, "TOO_MANY_TOKENS"),
        (alias_query, LIMITS.max_aliases, "TOO_MANY_ALIASES"),
    ],
)
def test_query_at_the_limit_passes(client, build, limit, code):
    response = post(client, build(limit))
    assert response.status_code == 200, response.text
    assert "errors" not in response.json()


@pytest.mark.parametrize(
    ("build", "limit", "code"),
    [
        (nested_query, LIMITS.max_query_depth, "QUERY_TOO_DEEP"),
        (fragment_nested_query, LIMITS.max_query_depth, "QUERY_TOO_DEEP"),
        (token_query, LIMITS.max_query_tokens, "TOO_MANY_TOKENS"),
        (alias_query, LIMITS.max_aliases, "TOO_MANY_ALIASES"),
    ],
)
def test_query_past_the_limit_fails_with_its_code(client, build, limit, code):
    response = post(client, build(limit + 1))
    assert response.status_code == 400
    assert codes(response) == {code}
    assert str(limit) in response.json()["errors"][0]["message"]


def padded_body(size: int) -> bytes:
    head = b'{"query": "{ framework { name } }", "extensions": {"pad": "'
    tail = b'"}}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def test_body_at_the_size_limit_passes(client):
    body = padded_body(LIMITS.max_body_bytes)
    assert len(body) == LIMITS.max_body_bytes
    response = client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200


def test_body_past_the_size_limit_is_413(client):
    body = padded_body(LIMITS.max_body_bytes + 1)
    response = client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert codes(response) == {"PAYLOAD_TOO_LARGE"}


def test_introspection_is_on(client):
    response = post(client, "{ __schema { queryType { name } } }")
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@pytest.mark.parametrize("limit", [2, 3, 4, 10])
@pytest.mark.parametrize("build", [nested_query, fragment_nested_query])
def test_a_depth_limit_of_n_admits_exactly_n_levels(limit, build):
    """From the shallowest query the schema allows (2 levels: no root field is a scalar)."""
    schema = build_schema()._schema
    rules = DepthLimiter(limit).validation_rules

    def refused(levels: int) -> bool:
        query = build(levels) if levels >= 3 else nested_query(levels)
        return bool(validate(schema, parse(query), rules))

    refusals = [refused(levels) for levels in range(2, limit + 3)]
    assert refusals == [False] * (limit - 1) + [True] * 2
