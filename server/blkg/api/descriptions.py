"""Descriptions for the GraphQL schema, taken from the ontology's definitions where one exists.

The ontology is parsed once, when the first description is asked for, from the shipped files,
so the printed schema (and the committed schema.graphql) follows any change to a definition.
"""

from __future__ import annotations

from functools import cache

from rdflib import RDFS, SKOS, Graph, URIRef

from blkg.loading import parse_turtle, turtle_files
from blkg.resources import ontology_dir


@cache
def _ontology() -> Graph:
    graph = Graph()
    for path in turtle_files(ontology_dir()):
        graph += parse_turtle(path)
    return graph


def from_ontology(term: URIRef, fallback: str | None = None) -> str:
    """The term's skos:definition (or rdfs:comment); `fallback` where it has none."""
    graph = _ontology()
    text = graph.value(term, SKOS.definition) or graph.value(term, RDFS.comment)
    if text is None:
        if fallback is None:
            raise LookupError(f"{term} has no definition in the ontology and no fallback")
        return fallback
    return " ".join(str(text).split())


__all__ = ["from_ontology"]
