"""Content negotiation: the Accept parser on its own, then on the real server's `/export`."""

from __future__ import annotations

import pytest

from blkg.web.negotiation import choose, parse_accept

RDF = ["text/turtle", "application/trig", "application/n-triples", "application/ld+json"]


# -- the parser ------------------------------------------------------------------------------


def test_missing_header_accepts_anything():
    assert choose(None, RDF) == "text/turtle"
    assert choose("", RDF) == "text/turtle"


def test_q_values_are_read_and_default_to_one():
    ranges = parse_accept("text/turtle;q=0.5, application/trig")
    assert [(r.subtype, r.q) for r in ranges] == [("turtle", 0.5), ("trig", 1.0)]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("application/n-triples", "application/n-triples"),
        ("text/turtle;q=0.2, application/ld+json;q=0.9", "application/ld+json"),
        ("application/trig, text/turtle", "application/trig"),  # equal q: the client's order
        ("*/*", "text/turtle"),  # anything: our preference
        ("application/*", "application/trig"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/turtle"),
        ("*/*;q=0.1, application/ld+json;q=0.5", "application/ld+json"),
        ("TEXT/Turtle", "text/turtle"),
        ("text/turtle; charset=utf-8", "text/turtle"),
        ("*", "text/turtle"),
    ],
)
def test_choose_the_preferred_offered_type(accept, chosen):
    assert choose(accept, RDF) == chosen


@pytest.mark.parametrize(
    "accept",
    [
        "image/png",
        "text/html",
        "text/turtle;q=0",
        "*/*;q=0",
        "application/*;q=0, text/*;q=0",
    ],
)
def test_nothing_acceptable_is_none(accept):
    assert choose(accept, RDF) is None


def test_a_more_specific_range_overrides_a_wildcard():
    assert choose("text/turtle;q=0, */*", RDF) == "application/trig"


@pytest.mark.parametrize("accept", ["text/turtle;q=abc", "text/turtle;q=2", "nonsense", "/x"])
def test_malformed_ranges_are_skipped(accept):
    assert parse_accept(accept) == []


# -- on the server -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/trig", "application/trig"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("text/turtle;q=0.3, application/n-triples;q=0.7", "application/n-triples"),
        ("application/*;q=0.8, text/turtle;q=0.5", "application/trig"),
        ("*/*", "text/turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/turtle"),
    ],
)
def test_export_negotiates_the_format(client, accept, media_type):
    response = client.get("/export", params={"graph": "inferred"}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize("accept", ["image/png", "text/html", "text/turtle;q=0, image/*"])
def test_unsupported_types_are_406_with_the_supported_list(client, accept):
    response = client.get("/export", headers={"Accept": accept})
    assert response.status_code == 406
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_ACCEPTABLE"
    for media_type in RDF:
        assert media_type in error["message"]


@pytest.mark.parametrize(
    ("format_name", "media_type"),
    [("turtle", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json")],
)
def test_format_parameter_overrides_accept(client, format_name, media_type):
    response = client.get(
        "/export",
        params={"format": format_name, "graph": "inferred"},
        headers={"Accept": "application/trig"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_unknown_format_parameter_is_406_naming_the_formats(client):
    response = client.get("/export", params={"format": "rdfxml"})
    assert response.status_code == 406
    assert "turtle, trig, nt, jsonld" in response.json()["errors"][0]["message"]
