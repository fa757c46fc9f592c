"""Each limit of the public endpoint: a query just inside passes, one just outside fails."""

from __future__ import annotations

import pytest

from blkg.config import Limits

LIMITS = Limits()


def nested_query(depth: int) -> str:
    """A query whose deepest field is at `depth` (the root field counts as depth 0)."""
    inner = "number"
    for _ in range(depth - 1):
        inner = f"extendedBy {{ {inner} }}"
    return f"{{ session(number: 2) {{ {inner} }} }}"


def token_query(tokens: int) -> str:
    """A query of exactly `tokens` lexical tokens: 12 of structure and a list of session numbers.

    (A selection of thousands of identical fields is no good here: graphql-core aborts the
    validation of such a document on its own, well inside the token limit.)
    """
    return "{ coverage(sessions: [" + "1 " * (tokens - 12) + "]) { totalDays } }"


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
