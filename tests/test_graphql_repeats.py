"""A selection set may ask for one response name only so many times (validation compares
every two fields of one name): the attack of a field asked hundreds of times is refused before
validation, through aliases, inline fragments, fragment spreads and unused fragments alike."""

from __future__ import annotations

import pytest

from blkg.config import Limits
from tests.conftest import graphql

LIMIT = Limits().max_repeated_fields


def repeated(times: int, way: str) -> str:
    """A document asking for `name` of the framework `times` times in one selection set."""
    if way == "plainly":
        return "{ framework { " + "name " * times + "} }"
    if way == "as a repeated field with a selection":
        return "{ " + "framework { name } " * times + "}"
    if way == "under one alias":
        return "{ " + "f: framework { name } " * times + "}"
    if way == "through inline fragments":
        return "{ framework { " + "... { name } " * times + "} }"
    if way == "through fragment spreads":
        spreads = " ".join(f"...F{n}" for n in range(times))
        fragments = " ".join(f"fragment F{n} on Framework {{ name }}" for n in range(times))
        return f"{{ framework {{ {spreads} }} }} {fragments}"
    if way == "in an unused fragment":
        return "{ framework { name } } fragment U on Framework { " + "name " * times + "}"
    raise ValueError(way)


WAYS = [
    "plainly",
    "as a repeated field with a selection",
    "under one alias",
    "through inline fragments",
    "through fragment spreads",
    "in an unused fragment",
]


def codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


@pytest.mark.parametrize("way", WAYS)
def test_a_name_asked_past_the_limit_is_refused_before_validation(client, way):
    body = graphql(client, repeated(LIMIT + 1, way))
    assert codes(body) == ["QUERY_TOO_COMPLEX"]
    assert f"at most {LIMIT}" in body["errors"][0]["message"]


@pytest.mark.parametrize("way", WAYS)
def test_the_reported_attack_is_refused(client, way):
    assert codes(graphql(client, repeated(398, way))) in (
        ["QUERY_TOO_COMPLEX"],
        ["TOO_MANY_TOKENS"],
    )


@pytest.mark.parametrize("way", [w for w in WAYS if w != "in an unused fragment"])
def test_a_name_asked_up_to_the_limit_is_answered(client, way):
    body = graphql(client, repeated(LIMIT, way))
    assert "errors" not in body, body
    assert body["data"] and all(framework["name"] for framework in body["data"].values())
