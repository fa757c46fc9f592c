"""The JSON-LD context: generated from the ontology, served, and the one the export embeds."""

from __future__ import annotations

import orjson
import pytest
from rdflib import OWL, RDF, RDFS, XSD

from blkg.jsonld_context import CONTEXT_PATH, build_context
from blkg.vocabulary import BLF, BLF_IRI


@pytest.fixture(scope="module")
def context(graph) -> dict:
    return build_context(graph.named("ontology"), graph.prefixes)["@context"]


def test_every_own_term_has_a_definition(context):
    own = {str(term).removeprefix(BLF_IRI) for term in dir(BLF)}
    assert len(own) > 100
    assert own <= set(context)


def test_object_properties_are_coerced_to_iris(graph, context):
    ontology = graph.named("ontology")
    properties = list(ontology.subjects(RDF.type, OWL.ObjectProperty))
    assert properties
    for prop in properties:
        name = prop.removeprefix(BLF_IRI)
        assert context[name] == {"@id": f"blf:{name}", "@type": "@id"}


def test_datatype_properties_carry_their_xsd_datatype(graph, context):
    ontology = graph.named("ontology")
    typed = [
        (prop, ontology.value(prop, RDFS.range))
        for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty)
        if str(ontology.value(prop, RDFS.range)).startswith(str(XSD))
    ]
    assert typed
    for prop, datatype in typed:
        name = prop.removeprefix(BLF_IRI)
        assert context[name]["@type"] == "xsd:" + datatype.removeprefix(str(XSD))


def test_prefixes_follow_the_configured_base(graph, context):
    assert context["resp"] == graph.settings.instance_base + "responsibility/"
    assert context["blf"] == BLF_IRI


def test_the_prefixes_are_the_graphs(graph, context):
    prefixes = {name: value for name, value in context.items() if isinstance(value, str)}
    own = {str(term).removeprefix(BLF_IRI) for term in dir(BLF)}
    assert {n: i for n, i in prefixes.items() if not i.startswith("blf:")} == {
        name: iri for name, iri in graph.prefixes.items() if name not in own
    }


def test_a_prefix_named_like_a_term_gives_way_to_the_term(graph):
    prefixes = {**graph.prefixes, "number": graph.settings.instance_base + "number/"}
    context = build_context(graph.named("ontology"), prefixes)["@context"]
    assert context["number"] == {"@id": "blf:number", "@type": "xsd:integer"}


def test_context_is_served_as_json_ld(client, context):
    response = client.get(CONTEXT_PATH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    assert response.json() == {"@context": context}


def test_json_ld_export_embeds_the_served_context(client):
    served = client.get(CONTEXT_PATH).json()
    export = orjson.loads(client.get("/export", params={"format": "jsonld"}).content)
    assert export["@context"] == served["@context"]


def test_json_ld_export_is_compact(client):
    text = client.get("/export", params={"format": "jsonld", "graph": "asserted"}).text
    assert '"number": "20"' in text
    assert "https://w3id.org/blkg/def#number" not in text
