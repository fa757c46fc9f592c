"""The linked-data face of the server: downloads, dereferenceable IRIs, the JSON-LD context,
the VoID description and the SPARQL endpoint, as one list of routes and one query engine."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.routing import Route

from blkg.graph import KnowledgeGraph
from blkg.sparql.engine import QueryEngine, engine_for
from blkg.web.cache import LRU
from blkg.web.context import context_routes
from blkg.web.dereference import dereference_routes
from blkg.web.downloads import download_routes
from blkg.web.sparql import AnswerCache, sparql_routes
from blkg.web.void import void_routes


@dataclass
class LinkedData:
    routes: list[Route]
    engine: QueryEngine


def linked_data(graph: KnowledgeGraph) -> LinkedData:
    settings = graph.settings
    engine = engine_for(graph)
    answers: AnswerCache = LRU(256 if settings.response_cache else 0)
    routes = [
        *download_routes(graph),
        *context_routes(graph),  # before /def/{version}
        *dereference_routes(graph),
        *void_routes(graph),
        *sparql_routes(engine, settings.limits, answers),
    ]
    return LinkedData(routes, engine)


__all__ = ["LinkedData", "linked_data"]
