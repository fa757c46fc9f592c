"""The JSON-LD context of the vocabulary, generated from the ontology.

One source of truth: the prefixes every export binds (the graph's `prefixes`, which its files
declare), plus one term per `blf:` class, property and individual the ontology declares. Object
properties are coerced to IRIs (`"@type": "@id"`) and datatype properties with an XML Schema
range to that datatype, so values compact to plain strings. A prefix with the name of one of
those terms (`method:` beside `blf:method`) is left out: a JSON-LD term is a prefix or a term,
not both, and the vocabulary's term wins. The JSON-LD export embeds this context inline (offline
parsers need nothing else) and the server publishes it at `/def/context.jsonld`.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from blkg.vocabulary import BLF_IRI

CONTEXT_PATH = "/def/context.jsonld"


def build_context(ontology: Graph, prefixes: Mapping[str, str]) -> dict:
    """`{"@context": {...}}` for the given ontology graph and prefixes (a loaded graph's
    `prefixes`)."""
    own = {iri.removeprefix(BLF_IRI): iri for iri in _own_terms(ontology)}
    bound = sorted(prefixes.items())
    terms: dict[str, object] = {prefix: iri for prefix, iri in bound if prefix not in own}
    for name, iri in sorted(own.items()):
        terms[name] = _definition(ontology, iri)
    return {"@context": terms}


def _own_terms(ontology: Graph) -> set[URIRef]:
    return {
        subject
        for subject in ontology.subjects(RDF.type)
        if isinstance(subject, URIRef)
        and str(subject).startswith(BLF_IRI)
        and len(str(subject)) > len(BLF_IRI)
    }


def _definition(ontology: Graph, iri: URIRef) -> object:
    compact = "blf:" + iri.removeprefix(BLF_IRI)
    if (iri, RDF.type, OWL.ObjectProperty) in ontology:
        return {"@id": compact, "@type": "@id"}
    if (iri, RDF.type, OWL.DatatypeProperty) in ontology:
        datatype = ontology.value(iri, RDFS.range)
        if isinstance(datatype, URIRef) and str(datatype).startswith(str(XSD)):
            return {"@id": compact, "@type": "xsd:" + datatype.removeprefix(str(XSD))}
        return {"@id": compact}
    return compact


__all__ = ["CONTEXT_PATH", "build_context"]
