"""`GET /health`: 200 with the dataset version, triple counts and the state of the SPARQL pool.

The status is 200 whenever the server answers at all: GraphQL and the linked data do not need
the SPARQL workers. The body says `"status": "degraded"`, and which part is short, while
fewer SPARQL workers run than configured (being restarted after a query was stopped, or
failing to start, for instance for want of file descriptors); `"ok"` otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from blkg.graph import KnowledgeGraph
from blkg.sparql.engine import PoolStatus, QueryEngine
from blkg.web.responses import json_response


def health_endpoint(graph: KnowledgeGraph) -> Callable[[Request], Awaitable[Response]]:
    counts = graph.triple_counts()
    fixed: dict[str, object] = {
        "version": graph.version,
        "triples": {**counts, "total": sum(counts.values())},
    }

    async def health(request: Request) -> Response:
        body: dict[str, object] = {"status": "ok", **fixed}
        engine: QueryEngine | None = getattr(request.app.state, "sparql", None)
        if engine is not None:
            body.update(_sparql(engine.status()))
        return json_response(body, headers={"Cache-Control": "no-store"})

    return health


def _sparql(pool: PoolStatus) -> dict[str, object]:
    """The pool's part of the body: its workers, and when it is short, `degraded`."""
    state: dict[str, int | str] = {
        "workers": pool.running,
        "size": pool.size,
        "busy": pool.busy,
        "waiting": pool.waiting,
    }
    if not pool.short:
        return {"sparql": state}
    state["problem"] = pool.problem or "workers are being restarted"
    return {"status": "degraded", "degraded": ["sparql"], "sparql": state}


__all__ = ["health_endpoint"]
