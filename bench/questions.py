"""The question every server is asked: for every responsibility, the sessions that address it.

As GraphQL (`POST /graphql`) it is `COVERAGE_QUERY`; as SPARQL over the project's own Turtle
export (all named graphs merged) it is `COVERAGE_SPARQL`. The SPARQL query reads the derived
`blf:addresses` shortcut, which the inference writes beside every `blf:SessionLink` node; it
answered faster on Oxigraph than the join through the link nodes (about 1,600 against 1,100
requests/s), so Oxigraph gets its best equivalent query. `rows_from_graphql` and
`rows_from_sparql` turn both answers into the same rows, so the benchmark checks that the
servers it compares answer the same question with the same facts.
"""

from __future__ import annotations

import orjson

COVERAGE_QUERY = "{ responsibilities { number name sessions { number title } } }"
COVERAGE_BODY = orjson.dumps({"query": COVERAGE_QUERY})

COVERAGE_SPARQL = """\
PREFIX blf: <https://w3id.org/blkg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?number ?name ?session ?title WHERE {
  ?responsibility a blf:Responsibility ; blf:number ?number ; skos:prefLabel ?name .
  OPTIONAL { ?s blf:addresses ?responsibility ; blf:number ?session ; rdfs:label ?title . }
}
ORDER BY ?number ?session"""

Row = tuple[int, str, int | None, str | None]


def rows_from_graphql(body: bytes) -> list[Row]:
    rows: list[Row] = []
    for responsibility in orjson.loads(body)["data"]["responsibilities"]:
        number, name = responsibility["number"], responsibility["name"]
        sessions = responsibility["sessions"] or [{"number": None, "title": None}]
        rows += [(number, name, s["number"], s["title"]) for s in sessions]
    return rows


def rows_from_sparql(body: bytes) -> list[Row]:
    def value(binding: dict, name: str):
        if name not in binding:
            return None
        text = binding[name]["value"]
        return int(text) if name in ("number", "session") else text

    bindings = orjson.loads(body)["results"]["bindings"]
    return [tuple(value(b, n) for n in ("number", "name", "session", "title")) for b in bindings]


__all__ = [
    "COVERAGE_BODY",
    "COVERAGE_QUERY",
    "COVERAGE_SPARQL",
    "rows_from_graphql",
    "rows_from_sparql",
]
