"""The ontology file and the Python vocabulary agree, and every own term is documented."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from blkg.loading import parse_turtle, turtle_files
from blkg.resources import ontology_dir
from blkg.vocabulary import BLF, BLF_IRI

ONTOLOGY_IRI = URIRef("https://w3id.org/blkg/def")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in turtle_files(ontology_dir()):
        graph += parse_turtle(path)
    return graph


def own_terms(ontology: Graph) -> set[str]:
    return {str(s) for s in ontology.subjects() if str(s).startswith(BLF_IRI)}


def python_terms() -> set[str]:
    return {str(BLF[name]) for name in BLF.__annotations__}


def test_every_python_name_is_declared_in_the_ontology(ontology):
    assert python_terms() - own_terms(ontology) == set()


def test_every_ontology_term_has_a_python_name(ontology):
    assert own_terms(ontology) - python_terms() == set()


def test_the_vocabulary_is_not_empty(ontology):
    assert len(own_terms(ontology)) > 50


@pytest.mark.parametrize("check", ["label", "definition", "isDefinedBy"])
def test_every_own_term_is_documented(ontology, check):
    missing = []
    for term in map(URIRef, sorted(own_terms(ontology))):
        labels = [*ontology.objects(term, RDFS.label), *ontology.objects(term, SKOS.prefLabel)]
        if check == "label" and not any(getattr(x, "language", None) == "en" for x in labels):
            missing.append(term)
        if check == "definition" and not any(
            getattr(x, "language", None) == "en" for x in ontology.objects(term, SKOS.definition)
        ):
            missing.append(term)
        if check == "isDefinedBy" and (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology:
            missing.append(term)
    assert missing == []


@pytest.mark.parametrize(
    "prop",
    [
        "http://purl.org/dc/terms/title",
        "http://purl.org/dc/terms/description",
        "http://purl.org/dc/terms/license",
        "http://purl.org/dc/terms/created",
        "http://purl.org/dc/terms/modified",
        str(OWL.versionInfo),
        str(OWL.versionIRI),
    ],
)
def test_the_ontology_header_states(ontology, prop):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, URIRef(prop)) is not None
