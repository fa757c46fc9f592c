"""`/.well-known/void`: the dataset's VoID/DCAT description, with live counts and working links.

Its links are on the configured base IRI (`BLKG_BASE_IRI`), never on the request's `Host`:
every client gets the same document and the same ETag, whatever host it names.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from rdflib import DCAT, DCTERMS, OWL, RDF, VOID, Graph, Literal, URIRef

from blkg.export import SELECTIONS
from blkg.formats import Use, serving
from blkg.graph import GRAPH_NAMES
from blkg.web.void import DCAT_VERSION
from tests.rdf_parsing import PARSERS, parse_union

IANA = "https://www.iana.org/assignments/media-types/"
GRAPH_FORMATS = serving(Use.GRAPH)


@pytest.fixture(scope="module")
def void(client) -> Graph:
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=response.content, format="turtle")


@pytest.fixture(scope="module")
def dataset(void, graph) -> URIRef:
    node = void.value(predicate=RDF.type, object=DCAT.Dataset)
    assert (node, RDF.type, VOID.Dataset) in void
    assert node == graph.dataset_node
    return node


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
def test_every_format_parses_to_the_same_description(client, void, fmt, parser):
    response = client.get("/.well-known/void", headers={"Accept": GRAPH_FORMATS[fmt].media_type})
    parsed = parse_union(response.content, fmt, parser)
    assert len(parsed) == len(void)
    assert set(parsed.subjects(RDF.type, DCAT.Distribution)) == set(
        void.subjects(RDF.type, DCAT.Distribution)
    )


def test_title_licence_version_and_sources_come_from_the_data(void, dataset, graph):
    data = graph.named("data")
    assert void.value(dataset, DCTERMS.title) == data.value(dataset, DCTERMS.title)
    assert void.value(dataset, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert void.value(dataset, OWL.versionInfo) == data.value(dataset, OWL.versionInfo)
    assert void.value(dataset, DCAT_VERSION) == Literal(graph.version)
    sources = set(void.objects(dataset, DCTERMS.source))
    assert sources == set(data.objects(dataset, DCTERMS.source)) and len(sources) >= 5


def test_triple_counts_are_live(void, dataset, graph):
    counts = graph.triple_counts()
    assert void.value(dataset, VOID.triples).toPython() == sum(counts.values())
    for name in GRAPH_NAMES:
        subset = URIRef(graph.settings.graph_iri(name))
        assert (dataset, VOID.subset, subset) in void
        assert void.value(subset, VOID.triples).toPython() == counts[name]


def test_uri_space_is_the_instance_base(void, dataset, graph):
    assert str(void.value(dataset, VOID.uriSpace)) == graph.settings.instance_base


def on_this_server(link: str, graph) -> str:
    """The path of a published link (on the base IRI), to fetch it from the test server."""
    base = graph.settings.base_iri
    assert link.startswith(base), link
    return "/" + link.removeprefix(base)


def test_every_download_is_listed_and_works(client, void, dataset, graph):
    distributions = set(void.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(GRAPH_FORMATS) * len(SELECTIONS)
    for distribution in distributions:
        url = str(void.value(distribution, DCAT.downloadURL))
        media_type = str(void.value(distribution, DCAT.mediaType)).removeprefix(IANA)
        response = client.get(on_this_server(url, graph))
        assert response.status_code == 200, url
        assert response.headers["content-type"].split(";")[0] == media_type


def test_data_dumps_are_the_full_downloads(void, dataset):
    dumps = {str(url) for url in void.objects(dataset, VOID.dataDump)}
    assert len(dumps) == len(GRAPH_FORMATS)
    assert all(url.endswith("graph=all") for url in dumps)


def test_sparql_endpoint_is_declared_and_answers(client, void, dataset, graph):
    endpoint = void.value(dataset, VOID.sparqlEndpoint)
    assert str(endpoint) == graph.settings.base_iri + "sparql"
    service = void.value(dataset, DCAT.accessService)
    assert void.value(service, DCAT.endpointURL) == endpoint
    response = client.get(
        on_this_server(str(endpoint), graph), params={"query": "ASK { ?s ?p ?o }"}
    )
    assert response.json() == {"head": {}, "boolean": True}


HOSTS = [
    {"Host": "evil.example"},
    {"Host": "evil.example:8443"},
    {"Host": "[::1]:1"},
    {"Host": "x" * 200},
    {"Host": "a/b?c#d"},
    {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
    {"Forwarded": "host=evil.example;proto=https"},
]


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
@pytest.mark.parametrize(
    "headers", HOSTS, ids=lambda h: ",".join(f"{k}={v[:20]}" for k, v in h.items())
)
def test_the_request_host_changes_nothing(client, graph, fmt, headers):
    accept = {"Accept": GRAPH_FORMATS[fmt].media_type}
    plain = client.get("/.well-known/void", headers=accept)
    hosted = client.get("/.well-known/void", headers={**accept, **headers})
    assert hosted.status_code == 200
    assert hosted.content == plain.content
    assert hosted.headers["etag"] == plain.headers["etag"]
    assert "host" not in hosted.headers["vary"].lower()
    assert b"evil.example" not in hosted.content and b"xxxxxxxx" not in hosted.content


def test_every_link_to_the_server_is_on_the_base_iri(void, graph):
    routes = ("/.well-known/void", "/sparql", "/export")
    links = {
        str(node)
        for triple in void
        for node in triple
        if isinstance(node, URIRef) and urlsplit(str(node)).path.endswith(routes)
    }
    assert len(links) > len(GRAPH_FORMATS) * len(SELECTIONS)
    assert all(link.startswith(graph.settings.base_iri) for link in links), links
