"""Prefixes bound in every graph the project writes, including the instance namespaces."""

from __future__ import annotations

from rdflib import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, VOID, XSD, Graph

from blkg.config import Settings
from blkg.vocabulary import BLF_IRI, BLSH

STANDARD = {
    "blf": BLF_IRI,
    "blsh": str(BLSH),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "sh": str(SH),
    "skos": str(SKOS),
    "void": str(VOID),
    "xsd": str(XSD),
}

# Prefix -> path under the instance base, as the data files declare them.
INSTANCE = {
    "resp": "responsibility/",
    "comp": "component/",
    "sess": "session/",
    "src": "source/",
    "scheme": "scheme/",
}


def bind_all(graph: Graph, settings: Settings) -> Graph:
    for prefix, iri in STANDARD.items():
        graph.bind(prefix, iri, override=True, replace=True)
    for prefix, path in INSTANCE.items():
        graph.bind(prefix, settings.instance_base + path, override=True, replace=True)
    graph.bind("id", settings.instance_base, override=True, replace=True)
    return graph


__all__ = ["INSTANCE", "STANDARD", "bind_all"]
