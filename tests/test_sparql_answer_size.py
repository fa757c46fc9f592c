"""A SPARQL answer is capped in bytes, in every format: past `BLKG_SPARQL_MAX_BYTES` the worker
stops writing and the client gets `400 RESULT_TOO_LARGE`, never the answer or a part of it.

The attack replayed: a 1 KB query (a 100-row `VALUES`, a string doubled by `CONCAT`) whose
answer would be over 100 MB. Its variants: every result format (JSON, XML, CSV, TSV), CONSTRUCT
with long literals in every RDF format, and many short rows (the row limit is not the bound).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from blkg.config import Limits
from blkg.sparql import results
from tests import figures
from tests.conftest import RunningServer, http_client
from tests.safety import assert_safe

ROWS = 100
SEED = "abcdefghijklmnop"  # 16 characters, then the row number
DOUBLINGS = 16
ROW_BYTES = (len(SEED) + 2) * 2**DOUBLINGS  # row numbers 10-99 have two digits
ATTACK_BINDINGS = (
    f"VALUES ?i {{ {' '.join(str(i) for i in range(ROWS))} }} "
    f'BIND(CONCAT("{SEED}", STR(?i)) AS ?v0) '
    + " ".join(f"BIND(CONCAT(?v{n}, ?v{n}) AS ?v{n + 1})" for n in range(DOUBLINGS))
)
ATTACK = f"SELECT ?v{DOUBLINGS} {{ {ATTACK_BINDINGS} }}"
ATTACK_CONSTRUCT = (
    f"CONSTRUCT {{ ?s <urn:blkg:long> ?v{DOUBLINGS} }} "
    f'{{ {ATTACK_BINDINGS} BIND(IRI(CONCAT("urn:row:", STR(?i))) AS ?s) }}'
)
RESULT_FORMATS = list(results.RESULT_FORMATS)
GRAPH_FORMATS = list(results.GRAPH_FORMATS)
SMALL_CAP = 64 * 1024


def test_the_attack_is_small_and_its_answer_huge():
    assert len(ATTACK) < 1024 and len(ATTACK_CONSTRUCT) < 1200
    assert ROWS * ROW_BYTES > 100 * 2**20 > Limits().sparql_max_bytes


def refused_for_size(response: httpx.Response, cap: int) -> bool:
    assert_safe(response)
    if response.status_code != 400:
        return False
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "RESULT_TOO_LARGE"
    assert f"{cap:,} bytes" in error["message"] and "BLKG_SPARQL_MAX_BYTES" in error["message"]
    return True


# -- the attack, at the default cap ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fmt"),
    [(ATTACK, fmt) for fmt in RESULT_FORMATS] + [(ATTACK_CONSTRUCT, fmt) for fmt in GRAPH_FORMATS],
    ids=[f"select-{fmt}" for fmt in RESULT_FORMATS] + [f"construct-{f}" for f in GRAPH_FORMATS],
)
def test_an_answer_over_the_cap_is_refused_in_every_format(client, query, fmt):
    started = time.monotonic()
    response = client.get("/sparql", params={"query": query, "format": fmt})
    seconds = time.monotonic() - started
    assert refused_for_size(response, Limits().sparql_max_bytes), response.text[:300]
    assert len(response.content) < 1024
    figures.record(
        "sparql answer cap",
        attack_query_bytes=len(ATTACK),
        attack_answer_mb=round(ROWS * ROW_BYTES / 2**20),
        **{f"refused_{fmt}_s": seconds},
    )


def test_the_endpoint_answers_normally_after_refusing(client):
    client.get("/sparql", params={"query": ATTACK})
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.json() == {"head": {}, "boolean": True}


# -- at a small cap: sent whole if and only if it fits -----------------------------------------


@pytest.fixture(scope="module")
def capped() -> Iterator[httpx.Client]:
    with (
        RunningServer(env={"BLKG_SPARQL_MAX_BYTES": str(SMALL_CAP)}) as running,
        http_client(running.url, timeout=60) as http,
    ):
        yield http


# IRIs and literals only (blank node labels differ between workers), in a fixed order.
def ordered_triples(limit: int) -> str:
    return (
        "SELECT ?s ?p ?o { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } "
        f"ORDER BY ?s ?p ?o LIMIT {limit}"
    )


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
@pytest.mark.parametrize("limit", [10, 100, 300, 1000, 3000])
def test_an_answer_is_sent_whole_exactly_when_it_fits(client, capped, limit, fmt):
    """The same query, without a byte cap that matters (the default) and with a small one."""
    params = {"query": ordered_triples(limit), "format": fmt}
    whole = client.get("/sparql", params=params)
    assert whole.status_code == 200
    response = capped.get("/sparql", params=params)
    if len(whole.content) <= SMALL_CAP:
        assert response.status_code == 200 and response.content == whole.content
    else:
        assert refused_for_size(response, SMALL_CAP), response.text[:300]


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_a_construct_over_the_cap_is_refused_before_the_row_limit(capped, graph, fmt):
    assert sum(graph.triple_counts().values()) < Limits().sparql_max_results  # rows would pass
    response = capped.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": fmt}
    )
    assert refused_for_size(response, SMALL_CAP), response.text[:300]


# -- the writer stops at the cap ---------------------------------------------------------------

CAP = 256 * 1024
READ_AHEAD = 16 * 1024  # what pyoxigraph's reader and writer may buffer between the two


class Counted:
    """Items made on demand, counting how many were taken."""

    def __init__(self, make):
        self.make = make
        self.taken = 0

    def __iter__(self):
        for n in itertools.count():
            self.taken += 1
            yield self.make(n)


def write_endless(fmt: str, literal: int, out: results.CappedBuffer) -> Counted:
    """Write an endless answer, rows or triples with a literal of `literal` characters each."""
    if fmt in RESULT_FORMATS:
        rows = Counted(lambda n: [ox.NamedNode(f"urn:row:{n}"), ox.Literal("x" * literal)])
        with pytest.raises(results.TooLarge):
            results.solutions(["s", "o"], rows, fmt, out)
        return rows
    triples = Counted(
        lambda n: ox.Triple(
            ox.NamedNode(f"urn:row:{n}"), ox.NamedNode("urn:p"), ox.Literal("x" * literal)
        )
    )
    with pytest.raises(results.TooLarge):
        results.triples(triples, fmt, {"row": "urn:row:"}, out)
    return triples


@pytest.mark.parametrize("fmt", RESULT_FORMATS + GRAPH_FORMATS)
@pytest.mark.parametrize("literal", [10, 1000, 100_000])
def test_writing_stops_within_one_item_of_the_cap(fmt, literal):
    """An endless answer: the writer takes items only until the cap is passed."""
    out = results.CappedBuffer(CAP)
    taken = write_endless(fmt, literal, out).taken
    assert out.size <= CAP and len(out.getvalue()) == out.size
    assert taken * literal <= CAP + literal + READ_AHEAD


@pytest.mark.parametrize("fmt", RESULT_FORMATS + GRAPH_FORMATS)
def test_an_item_longer_than_the_cap_is_refused_before_it_is_encoded(fmt):
    out = results.CappedBuffer(CAP)
    huge = ox.Literal("x" * (CAP + 1))
    with pytest.raises(results.TooLarge):
        if fmt in RESULT_FORMATS:
            results.solutions(["o"], iter([[huge]]), fmt, out)
        else:
            triple = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), huge)
            results.triples(iter([triple]), fmt, {}, out)
    assert out.size < CAP // 2  # at most the document's opening was written
