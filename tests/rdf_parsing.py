"""Parsing served RDF back, with rdflib and independently with pyoxigraph, and comparing it.

Both parsers give rdflib graphs keyed by named graph (`None`: the default graph), so the
results can be compared with `rdflib.compare.isomorphic`; a failed comparison shows the
differing triples.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from blkg.formats import Use, serving
from blkg.sparql.results import GRAPH_FORMATS

# The server's own names for the formats: what rdflib and pyoxigraph read them as.
RDFLIB_FORMATS = {name: fmt.rdflib for name, fmt in serving(Use.GRAPH).items()}
OXIGRAPH_FORMATS = GRAPH_FORMATS
PARSERS = ("rdflib", "pyoxigraph")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def parse(content: bytes, format_name: str, parser: str) -> dict[URIRef | None, Graph]:
    """The triples of each graph in `content`, read by the named parser."""
    if parser == "rdflib":
        return _with_rdflib(content, format_name)
    return _with_oxigraph(content, format_name)


def parse_union(content: bytes, format_name: str, parser: str) -> Graph:
    union = Graph()
    for graph in parse(content, format_name, parser).values():
        union += graph
    return union


def _with_rdflib(content: bytes, format_name: str) -> dict[URIRef | None, Graph]:
    dataset = Dataset()
    dataset.parse(data=content, format=RDFLIB_FORMATS[format_name])
    graphs: dict[URIRef | None, Graph] = {}
    for graph in dataset.graphs():
        if len(graph):
            name = None if graph.identifier == DATASET_DEFAULT_GRAPH_ID else graph.identifier
            graphs[name] = Graph()
            graphs[name] += graph
    return graphs


def _with_oxigraph(content: bytes, format_name: str) -> dict[URIRef | None, Graph]:
    graphs: dict[URIRef | None, Graph] = {}
    for quad in ox.parse(content, format=OXIGRAPH_FORMATS[format_name]):
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else _term(quad.graph_name)
        triple = (_term(quad.subject), _term(quad.predicate), _term(quad.object))
        graphs.setdefault(name, Graph()).add(triple)
    return graphs


def _term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    datatype = term.datatype.value
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def difference(expected: Graph, actual: Graph) -> str:
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = [f"- {t}" for t in sorted(only_expected)[:10]]
    lines += [f"+ {t}" for t in sorted(only_actual)[:10]]
    return "\n".join(lines)


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    assert len(actual) == len(expected) > 0, difference(expected, actual)
    assert isomorphic(expected, actual), difference(expected, actual)


def decimals_by_value(graph: Graph) -> Graph:
    """`graph` with every xsd:decimal in one lexical form per value (0.30 and 0.3 alike).

    pyoxigraph, behind the SPARQL endpoint, keeps decimals by value, so its answers write
    them canonically; compare both sides through this.
    """
    normalised = Graph()
    for subject, predicate, obj in graph:
        if isinstance(obj, Literal) and obj.datatype == XSD.decimal:
            value = format(Decimal(str(obj)).normalize(), "f")
            obj = Literal(value, datatype=XSD.decimal)
        normalised.add((subject, predicate, obj))
    return normalised
