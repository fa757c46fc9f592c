"""`GET /health`: 200 with the dataset version and triple counts once the graph is ready."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from blkg.graph import KnowledgeGraph
from blkg.web.responses import json_response


def health_endpoint(graph: KnowledgeGraph):
    counts = graph.triple_counts()
    body = {
        "status": "ok",
        "version": graph.version,
        "triples": {**counts, "total": sum(counts.values())},
    }

    async def health(request: Request) -> Response:
        return json_response(body, headers={"Cache-Control": "no-store"})

    return health


__all__ = ["health_endpoint"]
