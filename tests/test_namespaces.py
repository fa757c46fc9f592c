"""The project's prefixes come from the files that declare them (`blkg.namespaces`): every prefix
a file declares is in the JSON-LD context, may be used in a SPARQL query without declaring it,
is bound in exports and names things on pages; the vocabulary's root is written once.

The declarations are read here from the files' text, apart from the loader: an `@prefix` line,
its IRI resolved against the instance base as the loader resolves the files' relative IRIs.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.namespace import Namespace

from blkg.config import DEFAULT_BASE_IRI, Settings
from blkg.graph import load_knowledge_graph
from blkg.jsonld_context import build_context
from blkg.namespaces import STANDARD, VOCABULARY_ROOT, merge
from blkg.resource_description import ONTOLOGY, SHAPES, Describer
from blkg.resources import default_data_dir, ontology_dir, shapes_dir
from blkg.vocabulary import BLF, BLF_IRI, BLSH

PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.M | re.I)
VANN = Namespace("http://purl.org/vocab/vann/")
INSTANCE_BASE = Settings().instance_base


def _declarations() -> list[tuple[str, str]]:
    """(prefix, namespace) as the shipped files declare them, each pair once."""
    files = [(path, None) for path in sorted(ontology_dir().glob("*.ttl"))]
    files += [(path, None) for path in sorted(shapes_dir().glob("*.ttl"))]
    files += [(path, INSTANCE_BASE) for path in sorted(default_data_dir().glob("*.ttl"))]
    found = {
        (prefix, urljoin(base, iri) if base and ":" not in iri else iri)
        for path, base in files
        for prefix, iri in PREFIX.findall(Path(path).read_text())
    }
    return sorted(found)


DECLARED = _declarations()
OWN_TERMS = {str(term).removeprefix(BLF_IRI) for term in dir(BLF)}


def _in_context(declaration: tuple[str, str]):
    prefix, _ = declaration
    if prefix not in OWN_TERMS:
        return declaration
    reason = f"{prefix}: has the name of blf:{prefix}; the term wins in JSON-LD (rename the prefix)"
    return pytest.param(*declaration, marks=pytest.mark.xfail(reason=reason, strict=True))


def test_the_files_declare_the_prefixes_the_issue_named():
    assert {"rating", "domain", "resp", "blf", "blsh"} <= {prefix for prefix, _ in DECLARED}


@pytest.mark.parametrize(("prefix", "namespace"), DECLARED)
def test_a_declared_prefix_is_a_prefix_of_the_graph(graph, prefix, namespace):
    assert graph.prefixes[prefix] == namespace


@pytest.mark.parametrize(("prefix", "namespace"), [_in_context(d) for d in DECLARED])
def test_a_declared_prefix_is_in_the_json_ld_context(graph, prefix, namespace):
    context = build_context(graph.named("ontology"), graph.prefixes)["@context"]
    assert context[prefix] == namespace


@pytest.mark.parametrize(("prefix", "namespace"), DECLARED)
def test_a_declared_prefix_needs_no_declaration_in_sparql(client, prefix, namespace):
    query = f"SELECT (STR({prefix}:) AS ?namespace) {{}}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    assert [row["namespace"]["value"] for row in rows] == [namespace]


def test_a_query_may_use_rating_without_declaring_it(client, graph):
    rated = graph.union().subject_objects(BLF.effectivenessRating)
    finding, rating = next(pair for pair in rated if pair[1].startswith(graph.prefixes["rating"]))
    local = rating.removeprefix(graph.prefixes["rating"])
    query = f"SELECT ?finding {{ ?finding blf:effectivenessRating rating:{local} }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    found = {row["finding"]["value"] for row in response.json()["results"]["bindings"]}
    assert str(finding) in found


def test_the_turtle_export_writes_the_declared_prefixes(client):
    text = client.get("/export", params={"format": "turtle", "graph": "asserted"}).text
    assert "@prefix rating: <" in text and "rating:" in text.split("@prefix rating:")[1]


def test_pages_name_things_with_the_declared_prefixes(graph):
    names = Describer(graph).everything.namespace_manager
    rating = URIRef(graph.prefixes["rating"] + "positive")
    assert names.compute_qname(rating, generate=False)[0] == "rating"


def test_the_instance_base_is_id_and_standard_vocabularies_are_there(graph):
    assert graph.prefixes["id"] == graph.settings.instance_base
    assert graph.prefixes["void"] == STANDARD["void"]  # declared by no file; VoID uses it


def test_the_prefixes_follow_a_configured_base():
    settings = Settings(base_iri="http://127.0.0.1:9000/")
    graph = load_knowledge_graph(settings, check=False)
    assert graph.prefixes["rating"] == "http://127.0.0.1:9000/id/rating/"
    assert graph.prefixes["blf"] == BLF_IRI


# -- merging --------------------------------------------------------------------------------


def test_the_first_declaration_of_a_prefix_wins():
    merged = merge([{"ex": "urn:a/"}, {"ex": "urn:b/"}], "urn:base/")
    assert merged["ex"] == "urn:a/"


def test_the_empty_prefix_stays_in_its_file():
    assert "" not in merge([{"": "urn:a/"}], "urn:base/")


def test_a_standard_vocabulary_a_file_names_otherwise_is_not_named_twice():
    merged = merge([{"dct": STANDARD["dcterms"]}], "urn:base/")
    assert merged["dct"] == STANDARD["dcterms"] and "dcterms" not in merged
    assert merged["skos"] == STANDARD["skos"] and merged["id"] == "urn:base/"


# -- the vocabulary's root -------------------------------------------------------------------


def test_the_vocabulary_root_is_where_the_ontology_and_shapes_are(graph):
    ontology = graph.named("ontology")
    assert set(ontology.subjects(RDF.type, OWL.Ontology)) == {URIRef(VOCABULARY_ROOT + "def")}
    assert (ONTOLOGY, VANN.preferredNamespaceUri, Literal(BLF_IRI)) in ontology
    assert BLF_IRI.startswith(VOCABULARY_ROOT) and str(BLSH).startswith(str(SHAPES))
    assert (URIRef(VOCABULARY_ROOT + "shapes"), RDF.type, OWL.Ontology) in graph.shapes
    assert DEFAULT_BASE_IRI == VOCABULARY_ROOT


def test_the_graph_binds_its_prefixes_for_everything_it_writes(graph):
    union: Graph = graph.union()
    bound = dict(union.namespaces())
    assert all(str(bound[prefix]) == iri for prefix, iri in graph.prefixes.items())
