"""Content negotiation: the Accept parser on its own, then on the real server's `/export`.

Negotiation is linear in the header and the offers; it is checked against the plain reading
of RFC 9110 (every range against every offer) on generated headers, and its cost for the
largest header the server lets through is a figure.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blkg.web.negotiation import MAX_MEDIA_RANGES, choose, count_media_ranges, parse_accept
from tests import figures

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


def reference_choose(header: str | None, offered: list[str]) -> str | None:
    """RFC 9110 read plainly: for each offer, the most specific matching range (the first
    listed among equals) gives its weight; the best weight wins, then specificity, then the
    client's order, then ours. Quadratic, and obviously so."""
    best, best_key = None, None
    for rank, media_type in enumerate(offered):
        matches = [
            (r.specificity(media_type.lower()), -r.position, r)
            for r in parse_accept(header)
            if r.specificity(media_type.lower()) >= 0
        ]
        if not matches:
            continue
        specificity, earlier, media_range = max(matches, key=lambda m: (m[0], m[1]))
        key = (media_range.q, specificity, earlier, -rank)
        if key[0] > 0 and (best_key is None or key > best_key):
            best, best_key = media_type, key
    return best


OFFERS = [*RDF, "text/html", "application/json", "application/sparql-results+json"]
RANGE = st.builds(
    lambda media, q: media + q,
    st.sampled_from(
        [*OFFERS, "text/*", "application/*", "image/*", "*/*", "*", "TEXT/Turtle", "x/y", "bad"]
    ),
    st.sampled_from(["", ";q=0", ";q=0.3", ";q=0.5", ";q=1", ";q=2", ";level=1", ";q=x"]),
)


@settings(max_examples=500)
@given(
    ranges=st.lists(RANGE, max_size=MAX_MEDIA_RANGES),
    offered=st.lists(st.sampled_from(OFFERS), min_size=1, max_size=6, unique=True),
)
def test_choice_agrees_with_the_plain_reading_of_the_rfc(ranges, offered):
    header = ", ".join(ranges)
    assert choose(header, offered) == reference_choose(header, offered)


def test_only_the_first_allowed_ranges_are_read():
    header = ", ".join(["image/png"] * MAX_MEDIA_RANGES + ["text/turtle"])
    assert len(parse_accept(header)) == MAX_MEDIA_RANGES
    assert choose(header, RDF) is None


def test_negotiating_the_largest_header_let_through_is_cheap():
    header = ", ".join(f"application/x-{n:04}+json;q=0.{n % 10}" for n in range(MAX_MEDIA_RANGES))
    started = time.perf_counter()
    for _ in range(100):
        choose(header, OFFERS)
    per_call = (time.perf_counter() - started) / 100
    assert len(parse_accept(header)) == MAX_MEDIA_RANGES
    figures.record("negotiation", **{f"{MAX_MEDIA_RANGES}-range Accept, us": round(per_call * 1e6)})


# -- quoted strings: a parameter's value may hold commas and semicolons (RFC 9110, 5.6.4) ---------

MANY = "," * (MAX_MEDIA_RANGES + 10)
QUOTED = {
    "commas": f'text/turtle;x="{MANY}"',
    "semicolons-and-q": 'text/turtle;x="a;q=0, b;q=0"',
    "escaped-quote": 'text/turtle;x="a\\",b,c"',
    "escaped-backslash": 'text/turtle;x="a\\\\"',
    "empty": 'text/turtle;x=""',
    "unterminated": f'text/turtle;x="{MANY}',
    "unterminated-trailing-backslash": f'text/turtle;x="{MANY}\\',
}


@pytest.mark.parametrize("name", list(QUOTED))
def test_a_quoted_parameter_value_is_one_range(name):
    assert count_media_ranges(QUOTED[name]) == 1
    (media_range,) = parse_accept(QUOTED[name])
    assert (media_range.type, media_range.subtype, media_range.q) == ("text", "turtle", 1.0)


@pytest.mark.parametrize("name", [n for n in QUOTED if not n.startswith("unterminated")])
def test_ranges_after_a_quoted_value_are_read(name):
    header = f"{QUOTED[name]};q=0.2, application/trig;q=0.5"
    assert count_media_ranges(header) == 2
    assert [(r.subtype, r.q) for r in parse_accept(header)] == [("turtle", 0.2), ("trig", 0.5)]
    assert choose(header, RDF) == "application/trig"


@pytest.mark.parametrize(
    ("header", "ranges"),
    [
        ("a/b, c/d", 2),
        (",,", 3),  # empty entries count, as they always did
        ('a/b;x="1,2", c/d;y="3,4", e/f', 3),
        ('a/b;x="\\"", c/d', 2),  # the escaped quote does not end the string
        ("a/b;x=1\\, c/d", 2),  # outside a quoted string a backslash escapes nothing
    ],
)
def test_ranges_are_separated_by_commas_outside_quoted_strings(header, ranges):
    assert count_media_ranges(header) == ranges


def test_quoted_values_as_large_as_a_head_are_counted():
    """Each shape is read in one linear pass; its cost is a figure, not asserted."""
    size = 16 * 1024
    shapes = {
        "commas": '"' + "," * size + '"',
        "escapes": '"' + "\\," * (size // 2) + '"',
        "quotes": '"' * size,
        "open-escapes": '"' + "\\" * size,
    }
    for name, value in shapes.items():
        started = time.perf_counter()
        assert count_media_ranges(f"a/b;x={value}") >= 1
        figures.record(
            "negotiation",
            **{f"count 16 KiB {name}, us": round((time.perf_counter() - started) * 1e6)},
        )


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
