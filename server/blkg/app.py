"""The app factory: one validated graph in, the Starlette application that serves it out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from blkg.api.execution import GraphQLService
from blkg.api.schema import build_schema
from blkg.codes import Code
from blkg.errors import Refusal
from blkg.graph import KnowledgeGraph
from blkg.read import build_catalog
from blkg.web.admission import AdmissionLimit
from blkg.web.cache import NoCache, ResponseCache
from blkg.web.cors import ReadOnlyCORS
from blkg.web.graphql import GraphQLEndpoint
from blkg.web.health import health_endpoint
from blkg.web.linked_data import linked_data
from blkg.web.responses import refused

STATIC = Path(__file__).parent / "static"


def create_app(graph: KnowledgeGraph) -> Starlette:
    settings = graph.settings
    catalog = build_catalog(graph.union(), settings.instance_base)
    schema = build_schema(settings.limits)
    limits = settings.limits
    cache = (
        ResponseCache(limits.graphql_answer_cache_bytes) if settings.response_cache else NoCache()
    )
    service = GraphQLService(
        schema,
        catalog,
        schema.documents,
        limits.max_resolved_fields,
        limits.max_list_items,
        limits.graphql_timeout_seconds,
        limits.graphql_queue,
    )
    endpoint = GraphQLEndpoint(
        service,
        cache,
        settings.limits.max_body_bytes,
        (STATIC / "graphiql.html").read_bytes(),
    )
    sdl = schema.as_str() + "\n"

    async def schema_sdl(request: Request) -> Response:
        return PlainTextResponse(sdl, headers={"Cache-Control": "public, max-age=300"})

    routes = [
        Route("/graphql", endpoint, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]),
        Route("/graphql/schema.graphql", schema_sdl, methods=["GET", "HEAD"]),
        Route("/health", health_endpoint(graph), methods=["GET", "HEAD"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    researchers = linked_data(graph)
    routes += researchers.routes

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await researchers.engine.start_and_wait()
        yield
        await researchers.engine.close()

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[  # outermost first; security headers and deadlines: blkg.web.connections
            Middleware(ReadOnlyCORS),
            Middleware(AdmissionLimit, limit=settings.limits.max_concurrent_requests),
        ],
        exception_handlers={
            404: _not_found,
            405: _method_not_allowed,
            Exception: _internal_error,
        },
    )
    app.state.graphql = service
    app.state.sparql = researchers.engine
    return app


async def _not_found(request: Request, exc) -> Response:
    return refused(Refusal(Code.NOT_FOUND, f"No resource at {request.url.path}.", status=404))


async def _method_not_allowed(request: Request, exc) -> Response:
    refusal = Refusal(
        Code.METHOD_NOT_ALLOWED,
        f"{request.method} is not allowed here.",
        headers=getattr(exc, "headers", None),
    )
    return refused(refusal)


async def _internal_error(request: Request, exc: Exception) -> Response:
    """A bug: the client gets a coded JSON error, never the exception (uvicorn logs it)."""
    refusal = Refusal(
        Code.INTERNAL_SERVER_ERROR,
        "Internal server error. Nothing was changed; please report it with the request.",
    )
    return refused(refusal)


__all__ = ["create_app"]
