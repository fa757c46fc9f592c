"""Dereferenceable IRIs: each IRI of the graph resolves on the server to its description, as
RDF for programs and as a readable page for browsers; an unknown IRI is a clear 404."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import SKOS, Graph, URIRef

from blkg.formats import Use, serving
from blkg.graph import load_shapes
from blkg.namespaces import OA
from blkg.resource_description import Describer
from blkg.vocabulary import BLF
from tests.conftest import RunningServer, free_port, http_client
from tests.rdf_parsing import PARSERS, assert_isomorphic, parse, parse_union

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SITUATIONAL_AWARENESS = "/id/responsibility/situational-awareness"
GRAPH_FORMATS = serving(Use.GRAPH)


class PageText(HTMLParser):
    """The visible text and the link targets of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        self.links += [value for name, value in attrs if tag == "a" and name == "href"]

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    @property
    def content(self) -> str:
        return " ".join(" ".join(self.text).split())


def rdf(client, path: str, fmt: str = "turtle") -> httpx.Response:
    response = client.get(path, headers={"Accept": GRAPH_FORMATS[fmt].media_type})
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"].split(";")[0] == GRAPH_FORMATS[fmt].media_type
    return response


def page(client, path: str) -> PageText:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return PageText(response.text)


# -- RDF descriptions ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def describer(graph) -> Describer:
    return Describer(graph)


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
def test_resource_description_parses_back_isomorphic(client, graph, describer, fmt, parser):
    iri = URIRef(graph.settings.base_iri + SITUATIONAL_AWARENESS.lstrip("/"))
    expected = describer.resource(iri).union()
    assert_isomorphic(
        expected, parse_union(rdf(client, SITUATIONAL_AWARENESS, fmt).content, fmt, parser)
    )


def test_description_holds_the_resource_triples_incoming_links_and_neighbour_labels(client, graph):
    iri = URIRef(graph.settings.base_iri + SITUATIONAL_AWARENESS.lstrip("/"))
    described = Graph().parse(data=rdf(client, SITUATIONAL_AWARENESS).content, format="turtle")
    union = graph.union()
    for triple in union.triples((iri, None, None)):
        assert triple in described
    sessions = set(union.subjects(BLF.addresses, iri))
    assert len(sessions) == 6
    for session in sessions:
        assert (session, BLF.addresses, iri) in described
        assert described.value(session, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("/def", "ontology"),
        ("/def/1.0.0", "ontology"),
        ("/graph/data", "data"),
        ("/graph/inferred", "inferred"),
        ("/shapes", "shapes"),
    ],
)
def test_documents_parse_back_as_their_whole_content(client, graph, path, content, fmt, parser):
    expected = load_shapes() if content == "shapes" else graph.named(content)
    assert_isomorphic(expected, parse_union(rdf(client, path, fmt).content, fmt, parser))


def test_named_graph_keeps_its_name_in_trig(client, graph):
    parsed = parse(rdf(client, "/graph/inferred", "trig").content, "trig", "pyoxigraph")
    assert list(parsed) == [URIRef(graph.settings.graph_iri("inferred"))]


def test_description_has_validators_and_304(client):
    etag = rdf(client, SITUATIONAL_AWARENESS).headers["etag"]
    response = client.get(
        SITUATIONAL_AWARENESS, headers={"Accept": "text/turtle", "If-None-Match": etag}
    )
    assert response.status_code == 304


def test_description_is_406_for_an_unsupported_type(client):
    response = client.get(SITUATIONAL_AWARENESS, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.json()["errors"][0]["message"]


# -- unknown IRIs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/id/responsibility/no-such-thing", "/id/", "/graph/nothing", "/def/9.9.9", "/id/session/11"],
)
def test_unknown_iri_is_a_404_naming_it(client, graph, path):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert path.lstrip("/") in error["message"] and "is not a resource" in error["message"]


def test_unknown_iri_for_a_browser_is_an_html_404(client):
    response = client.get("/id/responsibility/no-such-thing", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "responsibility/no-such-thing is not a resource" in PageText(response.text).content


# -- pages for browsers --------------------------------------------------------------------------


def test_responsibility_page_shows_its_name_and_its_sessions(client, graph):
    shown = page(client, SITUATIONAL_AWARENESS)
    iri = URIRef(graph.settings.base_iri + SITUATIONAL_AWARENESS.lstrip("/"))
    union = graph.union()
    assert "Situational Awareness" in shown.content
    sessions = sorted(union.subjects(BLF.addresses, iri))
    assert len(sessions) == 6
    for session in sessions:
        title = str(union.value(session, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
        assert title in shown.content
        assert "/" + session.removeprefix(graph.settings.base_iri) in shown.links


def test_responsibility_page_lists_its_sessions_in_session_order(client):
    shown = page(client, SITUATIONAL_AWARENESS)
    sessions = [link for link in shown.links if link.startswith("/id/session/")]
    links = [link for link in shown.links if link.startswith("/id/session-link/")]
    assert sessions == [f"/id/session/{n}" for n in (1, 2, 5, 8, 9, 10)]
    assert links == [f"/id/session-link/{n}/situational-awareness" for n in (1, 2, 5, 8, 9, 10)]


@pytest.mark.parametrize("path", ["/id/session/2", "/id/session/3", SITUATIONAL_AWARENESS])
def test_a_page_shows_what_each_link_rests_on_beside_it(client, graph, path):
    """Basis, depth, rationale and quotations of every qualified link the page lists."""
    union = graph.union()
    shown = page(client, path)
    node = URIRef(graph.settings.base_iri + path.lstrip("/"))
    links = {s for s, _, _ in union.triples((None, None, node)) if (s, BLF.basis, None) in union}
    assert links
    for link in links:
        basis = union.value(union.value(link, BLF.basis), SKOS.prefLabel)
        assert str(basis) in shown.content
        for rationale in union.objects(link, BLF.rationale):
            assert " ".join(str(rationale).split()) in shown.content
        for quotation in union.objects(link, BLF.quotation):
            exact = " ".join(str(union.value(quotation, OA.exact)).split())
            assert f"“{exact}”" in shown.content
            assert "/" + quotation.removeprefix(graph.settings.base_iri) in shown.links


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/id/session/2", True),
        (SITUATIONAL_AWARENESS, True),
        ("/id/focus/session-3/magnitude-of-change", True),
        ("/id/session-link/2/affirmation", True),
        ("/id/finding/wwc-leader-retention-at-school", False),
    ],
)
def test_a_page_of_the_session_map_says_it_is_the_projects_reading(client, path, says):
    shown = page(client, path)
    assert ("No source maps sessions to individual responsibilities" in shown.content) is says


def test_page_title_is_the_label(client):
    response = client.get("/id/session/3", headers={"Accept": BROWSER})
    assert "<title>Managing Change ·" in response.text


def test_page_links_back_to_this_server_and_offers_the_data(client):
    shown = page(client, SITUATIONAL_AWARENESS)
    assert "/def#Responsibility" in shown.links
    assert "/id/component/leadership" in shown.links
    for fmt in GRAPH_FORMATS:
        assert f"?format={fmt}" in shown.links


def test_page_escapes_text(client):
    response = client.get("/id/source/marzano-2005", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert "Waters &amp; McNulty" in response.text
    assert "Waters & McNulty" not in response.text


def test_ontology_page_has_an_anchor_per_term(client):
    response = client.get("/def", headers={"Accept": BROWSER})
    assert 'id="Responsibility"' in response.text and 'id="addresses"' in response.text


def test_format_parameter_picks_rdf_for_a_browser(client):
    response = client.get(
        SITUATIONAL_AWARENESS, params={"format": "nt"}, headers={"Accept": BROWSER}
    )
    assert response.headers["content-type"].startswith("application/n-triples")


# -- every IRI resolves --------------------------------------------------------------------------


def iris_under(content: bytes, base: str) -> set[str]:
    union = parse_union(content, "nt", "pyoxigraph")
    return {str(n) for t in union for n in t if isinstance(n, URIRef) and str(n).startswith(base)}


def path_of(iri: str, base: str) -> str:
    return "/" + urlsplit(iri.removeprefix(base)).path.lstrip("/")


def assert_every_iri_resolves(http: httpx.Client, base: str) -> int:
    export = http.get("/export", headers={"Accept": "application/n-triples"}).content
    documents: dict[str, set[str]] = {}
    for iri in iris_under(export, base) | {base + "graph/ontology"}:
        documents.setdefault(path_of(iri, base), set()).add(iri)
    for path, iris in sorted(documents.items()):
        described = parse_union(rdf(http, path, "nt").content, "nt", "rdflib")
        named = {str(n) for t in described for n in t} | {base + path.lstrip("/")}
        assert iris <= named, f"{path} does not describe {sorted(iris - named)[:3]}"
    return len(documents)


def test_every_iri_under_the_default_base_resolves(client, graph):
    assert assert_every_iri_resolves(client, graph.settings.base_iri) > 300


@pytest.fixture(scope="module")
def own_base_server() -> Iterator[RunningServer]:
    port = free_port()
    with RunningServer(env={"BLKG_BASE_IRI": f"http://127.0.0.1:{port}/"}, port=port) as running:
        yield running


def test_with_its_own_base_every_instance_iri_resolves_on_the_server(own_base_server):
    with http_client(own_base_server.url) as http:
        assert assert_every_iri_resolves(http, own_base_server.url + "/") > 300


def test_with_its_own_base_an_iri_is_a_working_url(own_base_server):
    iri = f"{own_base_server.url}/id/responsibility/situational-awareness"
    response = httpx.get(iri, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert URIRef(iri) in set(Graph().parse(data=response.content, format="turtle").subjects())
