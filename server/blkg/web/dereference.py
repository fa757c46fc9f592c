"""Dereferenceable IRIs: every IRI of the graph resolves on this server to its description.

| path | IRI described |
|---|---|
| `/id/{path}` | `{base}id/{path}`, an instance (its triples, incoming links, neighbours' labels) |
| `/graph/{name}` | `{base}graph/{name}`, a named graph (its whole content) |
| `/def`, `/def/{version}` | the ontology and its terms (`def#Term`): the ontology graph |
| `/shapes` | the SHACL shapes (`shapes#Shape`) |

RDF formats by `Accept` (or `?format=`), as for `/export`; an HTML page for browsers, linking
to the same description in each RDF format. An IRI the graph does not name is a 404 that says
so. Answers are cached once computed, with their ETag (a digest of their bytes).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from rdflib import URIRef
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from blkg.codes import Code
from blkg.errors import Refusal
from blkg.export import serialize_parts
from blkg.formats import Use, serving
from blkg.graph import KnowledgeGraph
from blkg.namespaces import VOCABULARY_ROOT
from blkg.resource_description import Describer, Description
from blkg.web.cache import LRU
from blkg.web.conditional import Tagged, is_not_modified, not_modified, validators
from blkg.web.negotiation import choose, negotiate
from blkg.web.pages import Page, render
from blkg.web.rdf import HTML, HTML_TYPES, RDF_TYPES, rdf_response
from blkg.web.responses import refused
from blkg.web.views import PageBuilder

OFFERED = {**RDF_TYPES, **HTML_TYPES}
HTML_TYPE = "text/html; charset=utf-8"

Lookup = Callable[[Request], Description | None]
# Characters no IRI contains (RFC 3987): such a path names nothing, and is not made into a term.
NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


class Dereferencer:
    """Answers a request for a document: negotiation, validators, cached rendering."""

    def __init__(self, graph: KnowledgeGraph):
        self.graph = graph
        self.describer = Describer(graph)
        self.pages = PageBuilder(self.describer, graph.settings)
        self.rendered: LRU[tuple[str, str], Tagged] = LRU(1024)

    def endpoint(
        self, lookup: Lookup, index: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        async def describe(request: Request) -> Response:
            try:
                representation = negotiate(request, OFFERED)
            except Refusal as refusal:
                return refused(refusal)
            key = (request.url.path, representation)
            rendered = self.rendered.get(key)
            if rendered is None:
                description = await run_in_threadpool(lookup, request)
                if description is None:
                    return self.not_found(request)
                rendered = await run_in_threadpool(self._render, description, representation, index)
                self.rendered.put(key, rendered)
            headers = validators(self.graph, rendered.etag)
            if is_not_modified(request, rendered.etag, self.graph.modified):
                return not_modified(headers)
            if representation == "html":
                return Response(rendered.body, media_type=HTML_TYPE, headers=headers)
            return rdf_response(rendered.body, representation, headers)

        return describe

    def _render(self, description: Description, representation: str, index: bool) -> Tagged:
        if representation != "html":
            return Tagged.of(serialize_parts(self.graph, description.parts, representation))
        alternates = [
            (fmt.label, fmt.media_type, f"?format={name}")
            for name, fmt in serving(Use.GRAPH).items()
        ]
        build = self.pages.index_page if index else self.pages.resource_page
        return Tagged.of(render(build(description, alternates)))

    def not_found(self, request: Request) -> Response:
        iri = self._iri_of(request)
        message = (
            f"{iri} is not a resource of this knowledge graph: no triple names it. "
            "Check the IRI against a download from /export, or browse from /def."
        )
        if choose(request.headers.get("accept"), [*RDF_TYPES, HTML]) == HTML:
            page = Page("Not found", [], intro=message)
            return Response(render(page), status_code=404, media_type=HTML_TYPE)
        return refused(Refusal(Code.NOT_FOUND, message, status=404))

    def _iri_of(self, request: Request) -> str:
        path = request.url.path.lstrip("/")
        if path.startswith(("def", "shapes")):
            return VOCABULARY_ROOT + path
        return self.graph.settings.base_iri + path


def dereference_routes(graph: KnowledgeGraph) -> list[Route]:
    dereferencer = Dereferencer(graph)
    describer = dereferencer.describer
    settings = graph.settings

    def instance(request: Request) -> Description | None:
        path = request.path_params["path"]
        if NOT_IN_IRIS.search(path):
            return None
        return describer.resource(URIRef(settings.instance_base + path))

    def versioned_ontology(request: Request) -> Description | None:
        if NOT_IN_IRIS.search(request.path_params["version"]):
            return None
        iri = URIRef(f"{VOCABULARY_ROOT}def/{request.path_params['version']}")
        return describer.ontology() if iri == describer.version_iri() else None

    def named_graph(request: Request) -> Description | None:
        return describer.named_graph(request.path_params["name"])

    page = dereferencer.endpoint
    return [
        Route("/id/{path:path}", page(instance), methods=["GET", "HEAD"]),
        Route("/graph/{name}", page(named_graph, index=True), methods=["GET", "HEAD"]),
        Route("/def", page(lambda request: describer.ontology()), methods=["GET", "HEAD"]),
        Route("/def/{version}", page(versioned_ontology), methods=["GET", "HEAD"]),
        Route("/shapes", page(lambda request: describer.shapes()), methods=["GET", "HEAD"]),
    ]


__all__ = ["Dereferencer", "dereference_routes"]
