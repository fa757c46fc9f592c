"""The project's prefixes: the ones its Turtle files declare, read when they are loaded.

Each ontology, shapes and data file declares the prefixes it uses (`@prefix rating:
<rating/> .`; a relative one resolves against the instance base, as the file's other IRIs
do). The loader keeps them (`FileIndex.prefixes`) and `KnowledgeGraph.prefixes` merges them
here (`merge`): that one mapping is what exports and descriptions bind, what a SPARQL query may
use without declaring it, what the JSON-LD context lists and what pages name things with.

Merging: ontology files first, then data files, then shapes, each in file order; a prefix keeps
its first declaration (a Turtle prefix belongs to its file, so two files may give one name two
namespaces). Then `id:`, the instance base, unless a file names it; then the standard
vocabularies of `STANDARD` that no file declares, under either name (the server writes VoID
terms, for one, which no file uses). The empty prefix (`:`) is a file's private shorthand and
is never merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, VOID, XSD, Graph, Namespace

# Where the project's vocabulary documents live (`def`, the ontology; `shapes`) and, unless a
# deployment configures another base IRI, its instances and named graphs too.
VOCABULARY_ROOT = "https://w3id.org/blkg/"

# W3C Web Annotation, whose text-quote selectors are the graph's quotations (rdflib has none).
OA = Namespace("http://www.w3.org/ns/oa#")

# Standard vocabularies under their usual prefixes, for the files that do not declare them.
STANDARD = {
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "oa": str(OA),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "sh": str(SH),
    "skos": str(SKOS),
    "vann": "http://purl.org/vocab/vann/",
    "void": str(VOID),
    "xsd": str(XSD),
}

# The prefix of the instance base itself.
INSTANCE_PREFIX = "id"


def merge(declared: Iterable[Mapping[str, str]], instance_base: str) -> dict[str, str]:
    """Prefix -> namespace IRI from the declarations of each file, in loading order, sorted."""
    prefixes: dict[str, str] = {}
    for declarations in declared:
        for prefix, namespace in declarations.items():
            if prefix:
                prefixes.setdefault(prefix, str(namespace))
    prefixes.setdefault(INSTANCE_PREFIX, instance_base)
    named = set(prefixes.values())
    for prefix, namespace in STANDARD.items():
        if prefix not in prefixes and namespace not in named:
            prefixes[prefix] = namespace
    return dict(sorted(prefixes.items()))


def bind_all(graph: Graph, prefixes: Mapping[str, str]) -> Graph:
    """`graph`, with every prefix of `prefixes` (a loaded graph's `prefixes`) bound."""
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


__all__ = [
    "INSTANCE_PREFIX",
    "OA",
    "STANDARD",
    "VOCABULARY_ROOT",
    "bind_all",
    "merge",
]
