"""`GET /def/context.jsonld`: serving the JSON-LD context of the vocabulary, which
`blkg.jsonld_context` builds."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from blkg.formats import FORMATS
from blkg.graph import KnowledgeGraph
from blkg.jsonld_context import CONTEXT_PATH, build_context
from blkg.web.conditional import content_tag, is_not_modified, not_modified, validators

JSON_LD = FORMATS["jsonld"].media_type


def context_routes(graph: KnowledgeGraph) -> list[Route]:
    context = build_context(graph.named("ontology"), graph.prefixes)
    body = orjson.dumps(context, option=orjson.OPT_INDENT_2)
    etag = content_tag(body)
    headers = validators(graph, etag, vary=None)

    async def serve_context(request: Request) -> Response:
        if is_not_modified(request, etag, graph.modified):
            return not_modified(headers)
        return Response(body, media_type=JSON_LD, headers=headers)

    return [Route(CONTEXT_PATH, serve_context, methods=["GET", "HEAD"])]


__all__ = ["context_routes"]
