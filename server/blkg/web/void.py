"""`GET /.well-known/void`: the dataset described in VoID and DCAT, for catalogues and crawlers.

Generated from the `dcat:Dataset` node of the data (title, description, licence, version,
sources) plus what only the running server knows: live triple counts, one subset per named
graph, a `dcat:Distribution` for every download (`dcat:downloadURL`, `dcat:mediaType`), the
SPARQL endpoint (`void:sparqlEndpoint`, a `dcat:DataService`) and the URI space. Links are
absolute, on the configured base IRI (`BLKG_BASE_IRI`, where the server is published), never
on the request's `Host`: a client cannot make the server publish links to another host, and
every client gets the same document (one rendering per format, its strong `ETag` a digest of
its bytes). The distributions are one per selection and graph format of `blkg.formats`; the
document itself is Turtle unless `Accept` asks for another of those formats.
"""

from __future__ import annotations

from rdflib import DCAT, DCTERMS, FOAF, RDF, VOID, Graph, Literal, URIRef
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from blkg import namespaces
from blkg.errors import Refusal
from blkg.export import SELECTIONS, serialize_parts
from blkg.formats import Use, serving
from blkg.graph import GRAPH_NAMES, KnowledgeGraph
from blkg.vocabulary import BLF
from blkg.web.conditional import Tagged, is_not_modified, not_modified, validators
from blkg.web.negotiation import negotiate
from blkg.web.rdf import RDF_TYPES, rdf_response
from blkg.web.responses import refused

VOID_PATH = "/.well-known/void"
IANA = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3, not in rdflib's DCAT namespace yet
SELECTION_TITLES = {
    "asserted": "the asserted graphs (ontology and data)",
    "inferred": "the inferred graph",
    "all": "all named graphs",
}


def void_graph(graph: KnowledgeGraph, server: str) -> Graph:
    """The VoID/DCAT description of `graph` as served at `server` (no trailing slash)."""
    description = namespaces.bind_all(Graph(), graph.prefixes)
    description.bind("foaf", FOAF)
    dataset = graph.dataset_node or URIRef(graph.settings.instance_base + "dataset")
    for predicate, value in graph.named("data").predicate_objects(dataset):
        description.add((dataset, predicate, value))
    _add_statistics(description, graph, dataset)
    _add_access(description, graph, dataset, server)
    document = URIRef(server + VOID_PATH)
    description.add((document, RDF.type, VOID.DatasetDescription))
    description.add((document, FOAF.primaryTopic, dataset))
    return description


def _add_statistics(description: Graph, graph: KnowledgeGraph, dataset: URIRef) -> None:
    union = graph.union()
    counts = graph.triple_counts()
    facts = [
        (RDF.type, VOID.Dataset),
        (DCAT_VERSION, Literal(graph.version)),
        (VOID.triples, Literal(sum(counts.values()))),
        (VOID.entities, Literal(len({s for s in union.subjects() if isinstance(s, URIRef)}))),
        (VOID.classes, Literal(len(set(union.objects(None, RDF.type))))),
        (VOID.properties, Literal(len(set(union.predicates())))),
        (VOID.uriSpace, Literal(graph.settings.instance_base)),
        (VOID.vocabulary, URIRef(str(BLF))),
    ]
    for predicate, value in facts:
        description.add((dataset, predicate, value))
    for name in GRAPH_NAMES:
        subset = URIRef(graph.settings.graph_iri(name))
        description.add((dataset, VOID.subset, subset))
        description.add((subset, RDF.type, VOID.Dataset))
        description.add((subset, DCTERMS.title, Literal(f"The {name} graph", lang="en")))
        description.add((subset, VOID.triples, Literal(counts[name])))


def _add_access(description: Graph, graph: KnowledgeGraph, dataset: URIRef, server: str) -> None:
    endpoint = URIRef(server + "/sparql")
    description.add((dataset, VOID.sparqlEndpoint, endpoint))
    service = URIRef(server + VOID_PATH + "#sparql")
    for predicate, value in [
        (RDF.type, DCAT.DataService),
        (DCTERMS.title, Literal("SPARQL endpoint (read-only)", lang="en")),
        (DCAT.endpointURL, endpoint),
        (DCTERMS.conformsTo, SPARQL_PROTOCOL),
        (DCAT.servesDataset, dataset),
    ]:
        description.add((service, predicate, value))
    description.add((dataset, DCAT.accessService, service))
    licence = graph.named("data").value(dataset, DCTERMS.license)
    for selection in SELECTIONS:
        for name, fmt in serving(Use.GRAPH).items():
            download = URIRef(f"{server}/export?format={name}&graph={selection}")
            distribution = URIRef(f"{server}{VOID_PATH}#download-{selection}-{name}")
            title = f"{SELECTION_TITLES[selection].capitalize()} as {fmt.media_type}"
            for predicate, term in [
                (RDF.type, DCAT.Distribution),
                (DCTERMS.title, Literal(title, lang="en")),
                (DCAT.downloadURL, download),
                (DCAT.accessURL, download),
                (DCAT.mediaType, URIRef(IANA + fmt.media_type)),
                (DCTERMS.license, licence),
            ]:
                if term is not None:
                    description.add((distribution, predicate, term))
            description.add((dataset, DCAT.distribution, distribution))
            if selection == "all":
                description.add((dataset, VOID.dataDump, download))


def void_routes(graph: KnowledgeGraph) -> list[Route]:
    server = graph.settings.base_iri.rstrip("/")
    rendered: dict[str, Tagged] = {}  # one per format, so bounded by the registry

    async def void(request: Request) -> Response:
        try:
            format_name = negotiate(request, RDF_TYPES)
        except Refusal as refusal:
            return refused(refusal)
        document = rendered.get(format_name)
        if document is None:
            document = await run_in_threadpool(_render, graph, server, format_name)
            rendered[format_name] = document
        headers = validators(graph, document.etag, vary="Accept")
        if is_not_modified(request, document.etag, graph.modified):
            return not_modified(headers)
        return rdf_response(document.body, format_name, headers)

    return [Route(VOID_PATH, void, methods=["GET", "HEAD"])]


def _render(graph: KnowledgeGraph, server: str, format_name: str) -> Tagged:
    return Tagged.of(serialize_parts(graph, {None: void_graph(graph, server)}, format_name))


__all__ = ["DCAT_VERSION", "VOID_PATH", "void_graph", "void_routes"]
