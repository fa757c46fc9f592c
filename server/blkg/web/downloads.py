"""`GET /export`: the graph as a download, in the format the client asks for.

`Accept` (or `?format=`, a name of `blkg.formats`) picks the format,
`?graph=asserted|inferred|all` the named graphs. Each (format, selection) is serialised once, by
the same function as `blkg export` (so the bytes are identical), on first request and kept in
memory with its ETag, a digest of those bytes; a revalidation never serialises again.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from blkg.codes import Code
from blkg.errors import Refusal
from blkg.export import SELECTIONS, file_name, serialize
from blkg.graph import KnowledgeGraph
from blkg.web.conditional import Tagged, is_not_modified, not_modified, validators
from blkg.web.negotiation import negotiate
from blkg.web.rdf import RDF_TYPES, rdf_response
from blkg.web.responses import refused


class SerializedExports:
    """The bytes of each (format, selection) and their ETag, computed once, off the event loop."""

    def __init__(self, graph: KnowledgeGraph):
        self.graph = graph
        self._tagged: dict[tuple[str, str], Tagged] = {}
        self._locks: defaultdict[tuple[str, str], asyncio.Lock] = defaultdict(asyncio.Lock)

    async def get(self, format_name: str, selection: str) -> Tagged:
        key = (format_name, selection)
        if key not in self._tagged:
            async with self._locks[key]:
                if key not in self._tagged:
                    self._tagged[key] = await run_in_threadpool(
                        _tagged_export, self.graph, format_name, selection
                    )
        return self._tagged[key]


def _tagged_export(graph: KnowledgeGraph, format_name: str, selection: str) -> Tagged:
    return Tagged.of(serialize(graph, format_name, selection))


def download_routes(graph: KnowledgeGraph) -> list[Route]:
    exports = SerializedExports(graph)

    async def export(request: Request) -> Response:
        selection = request.query_params.get("graph", "all")
        if selection not in SELECTIONS:
            return refused(
                Refusal(
                    Code.BAD_REQUEST,
                    f"graph={selection} is not a selection; use one of: {', '.join(SELECTIONS)}.",
                )
            )
        try:
            format_name = negotiate(request, RDF_TYPES)
        except Refusal as refusal:
            return refused(refusal)
        export = await exports.get(format_name, selection)
        headers = validators(graph, export.etag)
        headers["Content-Disposition"] = (
            f'attachment; filename="{file_name(graph, format_name, selection)}"'
        )
        if is_not_modified(request, export.etag, graph.modified):
            return not_modified(headers)
        return rdf_response(export.body, format_name, headers)

    return [Route("/export", export, methods=["GET", "HEAD"])]


__all__ = ["SerializedExports", "download_routes"]
