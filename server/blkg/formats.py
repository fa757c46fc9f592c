"""The formats the server writes, each declared once; every other table of formats follows.

A format is one `Format(...)` line in `REGISTRY`: its `format=` name, its media type and the
aliases a client may name it by instead (in `Accept` or `format=`), the names rdflib and
pyoxigraph know it by, its file extension, its label, whether it carries named graphs, and
what it serves. Content negotiation, the export, the SPARQL writers, the pages' "as data"
links, the CLI's `--format` choices and the VoID distributions are all read from here, so
adding a format that rdflib and pyoxigraph already write is adding its line. The order of
`REGISTRY` is the server's order of preference (the first graph format answers `*/*`).

This module declares and derives only: it imports neither rdflib nor pyoxigraph, so the CLI
can read its choices without loading either.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Use(enum.Enum):
    """What a format can serve."""

    GRAPH = "graph downloads (/export), descriptions of IRIs (/id, /def, ...) and VoID"
    CONSTRUCT = "SPARQL CONSTRUCT and DESCRIBE answers"
    RESULTS = "SPARQL SELECT and ASK answers"


GRAPHS = frozenset({Use.GRAPH, Use.CONSTRUCT})
RESULTS = frozenset({Use.RESULTS})


@dataclass(frozen=True)
class Format:
    """One format, as the server names, negotiates, writes and describes it."""

    name: str  # its `format=` value and the CLI's `--format` choice
    media_type: str  # the canonical one, sent as Content-Type
    label: str  # what people call it
    extension: str  # of a downloaded file
    uses: frozenset[Use]
    rdflib: str  # rdflib's plugin name (a graph serializer, or a query result one)
    oxigraph: str  # the name of its `pyoxigraph.RdfFormat` (`QueryResultsFormat` for results)
    aliases: tuple[str, ...] = ()  # other media types `Accept` and `format=` may name it by
    quads: bool = False  # carries named graphs
    line_per_statement: bool = False  # one statement a line: sorted lines are a stable order

    def serves(self, use: Use) -> bool:
        return use in self.uses


REGISTRY: tuple[Format, ...] = (
    Format("turtle", "text/turtle", "Turtle", "ttl", GRAPHS, "turtle", "TURTLE",
           aliases=("application/x-turtle",)),
    Format("trig", "application/trig", "TriG", "trig", GRAPHS, "trig", "TRIG",
           aliases=("application/x-trig",), quads=True),
    Format("nt", "application/n-triples", "N-Triples", "nt", GRAPHS, "nt", "N_TRIPLES",
           line_per_statement=True),
    Format("jsonld", "application/ld+json", "JSON-LD", "jsonld", GRAPHS, "json-ld", "JSON_LD",
           aliases=("application/json",), quads=True),
    Format("json", "application/sparql-results+json", "SPARQL JSON", "srj", RESULTS, "json",
           "JSON", aliases=("application/json",)),
    Format("xml", "application/sparql-results+xml", "SPARQL XML", "srx", RESULTS, "xml", "XML",
           aliases=("application/xml",)),
    Format("csv", "text/csv", "CSV", "csv", RESULTS, "csv", "CSV"),
    Format("tsv", "text/tab-separated-values", "TSV", "tsv", RESULTS, "tsv", "TSV"),
)  # fmt: skip

FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in REGISTRY}


def serving(use: Use) -> dict[str, Format]:
    """The formats that serve `use`, by name, in the order of preference."""
    return {fmt.name: fmt for fmt in REGISTRY if fmt.serves(use)}


def media_types(use: Use) -> dict[str, str]:
    """Media type -> format name for `use`, as content negotiation offers them: every
    canonical type first (in the order of preference), then the aliases, so a wildcard
    (`application/*`) picks a canonical type."""
    chosen = serving(use).values()
    offered = {fmt.media_type: fmt.name for fmt in chosen}
    for fmt in chosen:
        for alias in fmt.aliases:
            offered.setdefault(alias, fmt.name)
    return offered


__all__ = [
    "FORMATS",
    "GRAPHS",
    "REGISTRY",
    "RESULTS",
    "Format",
    "Use",
    "media_types",
    "serving",
]
