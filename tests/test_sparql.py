"""`/sparql`: the SPARQL 1.1 Protocol, read-only, with time and result-size limits."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest
from rdflib import RDF, URIRef
from rdflib.query import Result

from blkg.formats import Use, serving
from blkg.vocabulary import BLF
from tests.conftest import RunningServer, wait_for
from tests.rdf_parsing import PARSERS, assert_isomorphic, decimals_by_value, parse_union

PREFIXES = "PREFIX blf: <https://w3id.org/blkg/def#>\n"
COVERAGE = (
    PREFIXES
    + """SELECT ?responsibility ?session WHERE {
  ?responsibility a blf:Responsibility .
  OPTIONAL { ?session blf:addresses ?responsibility }
}"""
)
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
OXIGRAPH_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = serving(Use.CONSTRUCT)
EXPENSIVE = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def select(client, query: str, **params) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]


def error_of(response: httpx.Response) -> dict:
    error = response.json()["errors"][0]
    return {"code": error["extensions"]["code"], "message": error["message"]}


def count_triples(client) -> int:
    return int(select(client, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[0]["n"])


# -- answers -----------------------------------------------------------------------------------


def test_coverage_question_every_responsibility_and_the_sessions_that_address_it(client, graph):
    found: dict[str, set[str]] = {}
    for row in select(client, COVERAGE):
        found.setdefault(row["responsibility"], set()).update({row.get("session")} - {None})
    union = graph.union()
    expected = {
        str(r): {str(s) for s in union.subjects(BLF.addresses, r)}
        for r in union.subjects(RDF.type, BLF.Responsibility)
    }
    assert len(found) == 21
    assert found == expected
    awareness = found[graph.settings.instance_base + "responsibility/situational-awareness"]
    assert sorted(int(s.rsplit("/", 1)[1]) for s in awareness) == [1, 2, 5, 8, 9, 10]


@pytest.mark.parametrize("fmt", list(RESULT_TYPES))
def test_select_results_in_every_format_parse_to_the_same_rows(client, fmt):
    query = COVERAGE + " ORDER BY ?responsibility ?session"
    expected = [tuple(sorted(row.items())) for row in select(client, query)]
    response = client.get("/sparql", params={"query": query}, headers={"Accept": RESULT_TYPES[fmt]})
    assert response.headers["content-type"].split(";")[0] == RESULT_TYPES[fmt]
    rows = csv_rows(response.text) if fmt == "csv" else oxigraph_rows(response.content, fmt)
    assert rows == expected and len(rows) > 21


def csv_rows(text: str) -> list[tuple]:
    """CSV is lossy (no term types, unbound as empty), pyoxigraph does not read it back."""
    return [
        tuple(sorted((k, v) for k, v in r.items() if v)) for r in csv.DictReader(io.StringIO(text))
    ]


def oxigraph_rows(content: bytes, fmt: str) -> list[tuple]:
    solutions = ox.parse_query_results(content, format=OXIGRAPH_RESULTS[fmt])
    names = [v.value for v in solutions.variables]
    return [tuple(sorted((n, s[n].value) for n in names if s[n] is not None)) for s in solutions]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_results_parse_with_rdflib_too(client, fmt):
    response = client.get(
        "/sparql", params={"query": COVERAGE}, headers={"Accept": RESULT_TYPES[fmt]}
    )
    parsed = Result.parse(io.BytesIO(response.content), format=fmt)
    assert len(list(parsed)) == len(select(client, COVERAGE))


def test_csv_has_a_header_row_of_variable_names(client):
    response = client.get("/sparql", params={"query": COVERAGE, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["responsibility", "session"]


@pytest.mark.parametrize(
    ("query", "answer"), [("ASK { ?s ?p ?o }", True), ("ASK { <x:y> ?p ?o }", False)]
)
def test_ask_answers_a_boolean(client, query, answer):
    assert client.get("/sparql", params={"query": query}).json() == {"head": {}, "boolean": answer}


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
def test_construct_in_every_rdf_format_parses_back_isomorphic(client, graph, fmt, parser):
    response = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": GRAPH_FORMATS[fmt].media_type},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == GRAPH_FORMATS[fmt].media_type
    constructed = parse_union(response.content, fmt, parser)
    assert_isomorphic(decimals_by_value(graph.union()), decimals_by_value(constructed))


def test_describe_gives_the_resource_triples_in_turtle_by_default(client, graph):
    response = client.get(
        "/sparql", params={"query": PREFIXES + "DESCRIBE <" + _session(graph, 3) + ">"}
    )
    assert response.headers["content-type"].startswith("text/turtle")
    described = parse_union(response.content, "turtle", "rdflib")
    assert (URIRef(_session(graph, 3)), BLF.number, None) in described


def _session(graph, number: int) -> str:
    return f"{graph.settings.instance_base}session/{number}"


def test_project_prefixes_need_no_declaration(client):
    rows = select(client, "SELECT ?title { sess:3 rdfs:label ?title }")
    assert rows == [{"title": "Managing Change"}]


def test_named_graphs_are_kept(client, graph):
    rows = select(client, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {row["g"]: int(row["n"]) for row in rows}
    expected = {graph.settings.graph_iri(n): c for n, c in graph.triple_counts().items()}
    assert counts == expected


def test_default_graph_uri_chooses_the_default_graph(client, graph):
    rows = select(
        client,
        "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
        **{"default-graph-uri": graph.settings.graph_iri("inferred")},
    )
    assert int(rows[0]["n"]) == graph.triple_counts()["inferred"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-query", "ASK { ?s ?p ?o }"),
        ("application/x-www-form-urlencoded", "query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D"),
    ],
)
def test_post_carries_the_query(client, content_type, body):
    response = client.post("/sparql", content=body, headers={"Content-Type": content_type})
    assert response.json() == {"head": {}, "boolean": True}


# -- refusals ----------------------------------------------------------------------------------

UPDATE = PREFIXES + "INSERT DATA { <urn:x> blf:number 99 }"


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post(
            "/sparql", content=UPDATE, headers={"Content-Type": "application/sparql-update"}
        ),
        lambda c: c.post("/sparql", data={"update": UPDATE}),
        lambda c: c.post("/sparql", data={"query": UPDATE}),
        lambda c: c.get("/sparql", params={"query": UPDATE}),
        lambda c: c.get("/sparql", params={"query": "CLEAR ALL"}),
        lambda c: c.get(
            "/sparql", params={"query": "DROP GRAPH <urn:g> ; LOAD <http://example.org/>"}
        ),
    ],
    ids=["sparql-update-body", "update-field", "query-field", "get", "clear", "drop-and-load"],
)
def test_an_update_is_refused_and_changes_nothing(client, send):
    before = count_triples(client)
    response = send(client)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "UPDATE_REFUSED" and "read-only" in error["message"]
    assert count_triples(client) == before
    assert (
        client.get("/sparql", params={"query": "ASK { <urn:x> ?p ?o }"}).json()["boolean"] is False
    )


def test_service_is_refused(client):
    query = "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert error_of(response)["code"] == "SERVICE_REFUSED"


def test_syntax_error_names_the_line_and_column(client):
    response = client.get("/sparql", params={"query": "SELECT *\nWHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "QUERY_SYNTAX"
    assert "line " in error["message"] and "column " in error["message"]


def test_a_query_is_required(client):
    response = client.get("/sparql", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "query" in error_of(response)["message"]


def test_a_browser_without_a_query_gets_a_form(client):
    response = client.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert '<form method="get" action="/sparql">' in response.text


@pytest.mark.parametrize(
    ("query", "accept", "listed"),
    [
        ("SELECT * { ?s ?p ?o } LIMIT 1", "text/turtle", "application/sparql-results+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/sparql-results+json", "text/turtle"),
        ("ASK {}", "image/png", "text/csv"),
    ],
)
def test_unacceptable_result_format_is_406_with_what_is_available(client, query, accept, listed):
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    error = error_of(response)
    assert error["code"] == "NOT_ACCEPTABLE" and listed in error["message"]


def test_oversize_body_is_413(client):
    query = "ASK {}" + " " * 70_000
    response = client.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_other_content_types_are_415(client):
    response = client.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


# -- limits ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited() -> Iterator[httpx.Client]:
    env = {"BLKG_SPARQL_TIMEOUT": "1", "BLKG_SPARQL_MAX_RESULTS": "100"}
    running = RunningServer(env=env).wait_ready()
    with httpx.Client(base_url=running.url, timeout=60) as http:
        yield http
    running.stop()


def test_expensive_query_is_stopped_while_a_cheap_one_still_succeeds(limited):
    limited.get("/sparql", params={"query": "ASK {}"})  # the workers are up
    with ThreadPoolExecutor(max_workers=1) as pool:
        expensive = pool.submit(limited.get, "/sparql", params={"query": EXPENSIVE})
        try:
            # Once a worker is busy with it, the cheap query is asked beside it.
            wait_for(
                lambda: expensive.done() or limited.get("/health").json()["sparql"]["busy"],
                "the expensive query to be running",
            )
            cheap = limited.get("/sparql", params={"query": "ASK { sess:3 ?p ?o }"})
            health = limited.get("/health")
        finally:
            expensive_response = expensive.result()
    assert cheap.json() == {"head": {}, "boolean": True}
    assert health.status_code == 200
    assert expensive_response.status_code == 504
    error = error_of(expensive_response)
    assert error["code"] == "QUERY_TIMEOUT"
    assert "1 s" in error["message"] and "BLKG_SPARQL_TIMEOUT" in error["message"]


def test_the_endpoint_recovers_after_a_timeout(limited):
    assert limited.get("/sparql", params={"query": EXPENSIVE}).status_code == 504
    for _ in range(2):  # both workers, the replaced one included, answer
        response = limited.get("/sparql", params={"query": f"ASK {{ ?s ?p {_} }}"})
        assert response.status_code == 200


@pytest.mark.parametrize(
    "query", ["SELECT * { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"], ids=["select", "construct"]
)
def test_more_results_than_the_limit_is_a_clear_error(limited, query):
    response = limited.get("/sparql", params={"query": query})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "RESULT_TOO_LARGE"
    assert "100 results" in error["message"] and "LIMIT" in error["message"]


def test_results_within_the_limit_are_answered(limited):
    response = limited.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 100"})
    assert len(response.json()["results"]["bindings"]) == 100
