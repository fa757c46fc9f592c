"""`GET /health`: 200 with the dataset version, triple counts and the state of the SPARQL pool.

The status is 200 whenever the server answers at all: GraphQL and the linked data do not need
the SPARQL workers. The body says `"status": "degraded"`, and which part is short, while
fewer SPARQL workers run than configured (being restarted after a query was stopped, or
failing to start, for instance for want of file descriptors); `"ok"` otherwise.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from blkg.graph import KnowledgeGraph
from blkg.web.responses import json_response


def health_endpoint(graph: KnowledgeGraph):
    counts = graph.triple_counts()
    fixed = {"version": graph.version, "triples": {**counts, "total": sum(counts.values())}}

    async def health(request: Request) -> Response:
        body = {"status": "ok", **fixed}
        engine = getattr(request.app.state, "sparql", None)
        if engine is not None:
            body.update(_sparql(engine.status()))
        return json_response(body, headers={"Cache-Control": "no-store"})

    return health


def _sparql(pool) -> dict:
    """The pool's part of the body: its workers, and when it is short, `degraded`."""
    state = {"workers": pool.running, "size": pool.size, "busy": pool.busy, "waiting": pool.waiting}
    if not pool.short:
        return {"sparql": state}
    state["problem"] = pool.problem or "workers are being restarted"
    return {"status": "degraded", "degraded": ["sparql"], "sparql": state}


__all__ = ["health_endpoint"]
