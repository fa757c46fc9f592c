"""The JSON-LD context of the vocabulary, generated from the ontology.

One source of truth: the prefixes every export binds, plus one term per `blf:` class, property
and individual the ontology declares. Object properties are coerced to IRIs (`"@type": "@id"`)
and datatype properties with an XML Schema range to that datatype, so values compact to plain
strings. The JSON-LD export embeds this context inline (offline parsers need nothing else) and
the server publishes it at `/def/context.jsonld`.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from blkg import namespaces
from blkg.config import Settings
from blkg.vocabulary import BLF_IRI

CONTEXT_PATH = "/def/context.jsonld"


def build_context(ontology: Graph, settings: Settings) -> dict:
    """`{"@context": {...}}` for the given ontology graph and the configured base IRI."""
    terms: dict[str, object] = dict(sorted(_prefixes(settings).items()))
    for iri in sorted(_own_terms(ontology)):
        terms[iri.removeprefix(BLF_IRI)] = _definition(ontology, iri)
    return {"@context": terms}


def _prefixes(settings: Settings) -> dict[str, str]:
    prefixes = dict(namespaces.STANDARD)
    for prefix, path in namespaces.INSTANCE.items():
        prefixes[prefix] = settings.instance_base + path
    prefixes["id"] = settings.instance_base
    return prefixes


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
