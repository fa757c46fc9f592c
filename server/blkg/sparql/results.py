"""Writing query results: solutions and booleans as SPARQL JSON, XML, CSV or TSV; triples as
Turtle, TriG, N-Triples or JSON-LD.

Solutions are collected first (the result-size limit needs a count), written here as SPARQL
JSON, and handed back to pyoxigraph's own writers for the other formats, so that escaping
follows the specifications.
"""

from __future__ import annotations

import orjson
import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
WITH_PREFIXES = ("turtle", "trig")


def solutions(variables: list[str], rows: list[list], format_name: str) -> bytes:
    """Rows of terms (None: unbound), in the order of `variables`."""
    document = {
        "head": {"vars": variables},
        "results": {"bindings": [_binding(variables, row) for row in rows]},
    }
    body = orjson.dumps(document)
    if format_name == "json":
        return body
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[format_name])


def boolean(answer: ox.QueryBoolean, format_name: str) -> bytes:
    return answer.serialize(format=RESULT_FORMATS[format_name])


def triples(found: list[ox.Triple], format_name: str, prefixes: dict[str, str]) -> bytes:
    options = {"prefixes": prefixes} if format_name in WITH_PREFIXES else {}
    return ox.serialize(found, format=GRAPH_FORMATS[format_name], **options)


def _binding(variables: list[str], row: list) -> dict:
    pairs = zip(variables, row, strict=True)
    return {name: _term(term) for name, term in pairs if term is not None}


def _term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        encoded = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            encoded["datatype"] = term.datatype.value
        return encoded
    return {  # a quoted triple (RDF 1.2 / SPARQL-star)
        "type": "triple",
        "value": {
            "subject": _term(term.subject),
            "predicate": _term(term.predicate),
            "object": _term(term.object),
        },
    }


__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "boolean", "solutions", "triples"]
