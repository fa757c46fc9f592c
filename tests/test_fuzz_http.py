"""Property-based tests (hypothesis) of the linked-data routes, on the real server: content
negotiation, SPARQL protocol parameters, IRI resolution, and methods.

Whatever is sent, every answer passes `tests.safety.assert_safe` (no 5xx, nothing internal,
every error a JSON body with a code, HTML only for a client that asked for it), and:

- negotiation: a 200 is in a media type the `Accept` header allows (RFC 9110: the most
  specific matching range decides, `q=0` refuses), else a 406 `NOT_ACCEPTABLE`;
- SPARQL: an answer is a 200 or a coded 4xx, never a server error, whatever the query text,
  graph parameters, format or content type;
- IRI resolution: `/id/{path}` resolves (200) exactly when the graph names `{base}id/{path}`,
  and is a 404 `NOT_FOUND` otherwise.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from tests import figures
from tests.safety import assert_safe, error_codes

SECTION = "fuzz http (hypothesis)"

# -- content negotiation -------------------------------------------------------------------

NEGOTIATED = [
    "/export",
    "/export?graph=inferred",
    "/id/session/3",
    "/id/responsibility/situational-awareness",
    "/def",
    "/shapes",
    "/graph/data",
    "/.well-known/void",
    "/sparql?query=ASK%20%7B%7D",
    "/sparql?query=CONSTRUCT%20WHERE%20%7B%20sess%3A3%20%3Fp%20%3Fo%20%7D",
    "/sparql",
]
MEDIA_TYPES = [
    "text/turtle", "application/trig", "application/n-triples", "application/ld+json",
    "application/json", "application/x-turtle", "text/html", "application/xhtml+xml",
    "application/sparql-results+json", "application/sparql-results+xml", "application/xml",
    "text/csv", "text/tab-separated-values", "text/plain", "image/png", "application/rdf+xml",
    "text/*", "application/*", "image/*", "*/*", "*",
]  # fmt: skip
# Served type -> the types a client may have asked for to get it.
ALIASES = {
    "application/ld+json": {"application/json"},
    "text/turtle": {"application/x-turtle"},
    "application/trig": {"application/x-trig"},
    "application/sparql-results+json": {"application/json"},
    "application/sparql-results+xml": {"application/xml"},
    "text/html": {"application/xhtml+xml"},
}
# What a header value may hold on the wire (no control characters), sent as Latin-1 bytes.
HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
)
Q_VALUES = st.sampled_from(["", ";q=0", ";q=0.1", ";q=0.5", ";q=1", ";q=1.5", ";q=x", ";level=1"])
MEDIA_RANGE = st.builds(
    lambda media, q, space: media + q + space,
    st.sampled_from(MEDIA_TYPES) | HEADER_TEXT.filter(lambda t: len(t) <= 12),
    Q_VALUES,
    st.sampled_from(["", " ", "  "]),
)
ACCEPT = st.none() | st.lists(MEDIA_RANGE, max_size=5).map(",".join)
FORMAT = st.none() | st.sampled_from(
    ["turtle", "trig", "nt", "jsonld", "json", "csv", "html", "text/turtle", "rdfxml", ""]
)


def ranges(accept: str) -> list[tuple[str, str, float, int]]:
    """The well-formed ranges of an Accept header: (type, subtype, q, position)."""
    parsed = []
    for position, entry in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in entry.split(";"))
        media = "*/*" if media == "*" else media.lower()
        kind, slash, sub = media.partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            parsed.append((kind, sub, q, position))
    return parsed


def acceptable(accept: str | None, served: str) -> bool:
    """Does `accept` allow `served` (or an alias of it)? RFC 9110, section 12.5.1."""
    if accept is None or not accept.strip():
        return True
    candidates = {served} | ALIASES.get(served, set())
    return any(_weight(ranges(accept), media) > 0 for media in candidates)


def _weight(parsed, media: str) -> float:
    kind, _, sub = media.partition("/")
    best = None
    for r_kind, r_sub, q, position in parsed:
        specificity = (
            0 if r_kind == "*" else 1 if r_kind == kind and r_sub == "*" else
            2 if (r_kind, r_sub) == (kind, sub) else -1
        )  # fmt: skip
        if specificity >= 0 and (best is None or (specificity, -position) > best[:2]):
            best = (specificity, -position, q)
    return 0.0 if best is None else best[2]


def sent(response) -> None:
    figures.count(SECTION, Counter({response.status_code: 1}))
    assert_safe(response)


@settings(max_examples=150)
@given(
    route=st.sampled_from(NEGOTIATED),
    accept=ACCEPT,
    fmt=FORMAT,
    method=st.sampled_from(["GET", "GET", "HEAD"]),
    validator=st.none()
    | st.sampled_from(["If-None-Match", "If-Modified-Since"]).flatmap(
        lambda name: st.tuples(st.just(name), HEADER_TEXT.filter(lambda t: len(t) <= 40))
    ),
)
def test_negotiation_answers_an_acceptable_type_or_406(
    client, route, accept, fmt, method, validator
):
    headers = {} if accept is None else {"Accept": accept.strip().encode("latin-1")}
    if validator is not None:
        headers[validator[0]] = validator[1].strip().encode("latin-1")
    params = {} if fmt is None else {"format": fmt}
    response = client.request(method, route, headers=headers, params=params)
    sent(response)
    assert response.status_code in (200, 304, 400, 406), response.text[:300]
    if response.status_code == 406 and method == "GET":
        assert error_codes(response.json()) == ["NOT_ACCEPTABLE"]
    if response.status_code == 200 and not fmt:
        served = response.headers["content-type"].split(";")[0]
        assert acceptable(accept, served), f"{served} served for Accept: {accept}"


# -- SPARQL protocol parameters --------------------------------------------------------------

VALID_QUERIES = [
    "SELECT ?s WHERE { ?s a blf:Session } LIMIT 5",
    "ASK { sess:3 ?p ?o }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l } LIMIT 3",
    "DESCRIBE sess:3",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a blf:Responsibility } } GROUP BY ?g",
    "PREFIX x: <urn:x:> SELECT * WHERE { ?s x:p ?o } LIMIT 1",
]
SPARQL_WORDS = st.sampled_from(
    ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", "*", ".",
     "FILTER", "(", ")", "OPTIONAL", "UNION", "GRAPH", "SERVICE", "<urn:x>", "blf:Session",
     "LIMIT", "1", "INSERT", "DATA", "LOAD", "\"x\"@en", "^^", "\\u0000", "#", "PREFIX", ":"]
)  # fmt: skip


@st.composite
def mutated(draw, texts: list[str]) -> str:
    """A valid query with a few characters deleted, replaced or inserted."""
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.text(max_size=3)) + text[at + cut :]
    return text


SPARQL_TEXT = (
    mutated(VALID_QUERIES)
    | st.lists(SPARQL_WORDS, max_size=15).map(" ".join)
    | st.text(max_size=100)
)
GRAPH_URIS = st.lists(
    st.sampled_from(
        [
            "https://w3id.org/blkg/graph/data",
            "https://w3id.org/blkg/graph/inferred",
            "urn:nothing",
            "not an iri",
            "<x>",
            "",
            "http://127.0.0.1:9/",
        ]
    )
    | st.text(max_size=10),
    max_size=2,
)


@settings(max_examples=150)
@given(
    query=st.none() | SPARQL_TEXT,
    default_graphs=GRAPH_URIS,
    named_graphs=GRAPH_URIS,
    fmt=FORMAT,
    accept=ACCEPT,
    update=st.none() | SPARQL_TEXT,
    via=st.sampled_from(["GET", "form", "sparql-query", "other"]),
)
def test_sparql_parameters_never_break_the_endpoint(
    client, query, default_graphs, named_graphs, fmt, accept, update, via
):
    params: list[tuple[str, str]] = [("default-graph-uri", g) for g in default_graphs]
    params += [("named-graph-uri", g) for g in named_graphs]
    if fmt is not None:
        params.append(("format", fmt))
    if update is not None:
        params.append(("update", update))
    headers = {} if accept is None else {"Accept": accept.strip().encode("latin-1")}
    if via == "GET":
        params += [] if query is None else [("query", query)]
        response = client.get("/sparql", params=params, headers=headers)
    elif via == "form":
        form = {} if query is None else {"query": query}
        response = client.post("/sparql", params=params, data=form, headers=headers)
    else:
        headers["Content-Type"] = "application/sparql-query" if via == "sparql-query" else "text/x"
        body = (query or "").encode()
        response = client.post("/sparql", params=params, content=body, headers=headers)
    sent(response)
    assert response.status_code in (200, 400, 406, 413, 415), response.text[:300]


# -- IRI resolution --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def named_paths(graph) -> set[str]:
    """The paths under `{base}id/` of every IRI the graph names, and of hash IRIs' documents."""
    base = graph.settings.instance_base
    named = {
        str(node)
        for triple in graph.union()
        for node in (triple[0], triple[2])
        if isinstance(node, URIRef) and str(node).startswith(base)
    }
    named |= {iri.partition("#")[0] for iri in named}
    paths = {iri.removeprefix(base) for iri in named}
    assert len(paths) > 100
    return paths


@st.composite
def id_paths(draw, known: list[str]) -> str:
    choice = draw(st.integers(0, 2))
    if choice == 0:
        return draw(st.sampled_from(known))
    if choice == 1:
        return draw(mutated(known))
    return draw(st.text(max_size=30))


@settings(max_examples=200)
@given(data=st.data(), accept=st.sampled_from([None, "text/turtle", "text/html", "image/png"]))
def test_an_id_resolves_exactly_when_the_graph_names_it(client, named_paths, data, accept):
    path = data.draw(id_paths(sorted(named_paths)))
    if any(segment in (".", "..") for segment in path.split("/")):
        return  # clients normalise dot segments away before sending
    headers = {} if accept is None else {"Accept": accept}
    response = client.get("/id/" + quote(path, safe="/"), headers=headers)
    sent(response)
    if accept == "image/png":
        assert response.status_code in (404, 406)
    elif path in named_paths:
        assert response.status_code == 200, path
    else:
        assert response.status_code == 404, path
        if accept != "text/html":
            assert error_codes(response.json()) == ["NOT_FOUND"]


# -- methods ---------------------------------------------------------------------------------

ROUTES = ["/graphql", "/sparql", "/export", "/id/session/3", "/def", "/health", "/static/x.js",
          "/.well-known/void", "/graph/data", "/nowhere", "/graphql/schema.graphql"]  # fmt: skip
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "QUERY", "FOO"]


@settings(max_examples=80)
@given(route=st.sampled_from(ROUTES), method=st.sampled_from(METHODS), body=st.binary(max_size=50))
def test_any_method_on_any_route_gets_a_coded_answer(client, route, method, body):
    content = None if method in ("GET", "HEAD", "OPTIONS", "TRACE") else body
    response = client.request(method, route, content=content)
    sent(response)
    if method == "FOO":  # not an HTTP method: refused by the connection before any route
        assert response.status_code == 400
        assert error_codes(response.json()) == ["BAD_REQUEST"]
    elif method not in ("GET", "HEAD", "POST") and route != "/nowhere":
        assert response.status_code == 405
