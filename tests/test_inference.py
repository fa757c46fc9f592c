"""The derived links: which sessions address which responsibility, and on what basis."""

from __future__ import annotations

import pytest
from rdflib import PROV, RDF

from blkg.read import build_catalog
from blkg.vocabulary import BLF
from tests.reference import RESPONSIBILITIES, expected_session_links


@pytest.fixture(scope="module")
def catalog(graph):
    return build_catalog(graph.union(), graph.settings.instance_base)


@pytest.mark.parametrize("number", range(1, 22), ids=[row[2] for row in RESPONSIBILITIES])
def test_sessions_and_basis_follow_the_rule(catalog, number):
    links = catalog.responsibility(number=number).session_links
    actual = {link.session.number: link.basis.value for link in links}
    assert actual == expected_session_links(number)


def test_situational_awareness_example_of_the_data_model(catalog):
    links = catalog.responsibility(slug="situational-awareness").session_links
    assert [link.session.number for link in links] == [1, 2, 5, 8, 9, 10]
    # No text the project can quote maps sessions to responsibilities: the map is a reading.
    assert [link.session.number for link in links if link.basis.value == "SOURCED"] == []


def test_every_link_names_the_components_it_goes_through(catalog):
    for link in catalog.session_links:
        assert link.via
        assert set(link.via) <= set(link.session.components)
        assert set(link.via) <= set(link.responsibility.components)


def test_derived_links_live_only_in_the_inferred_graph(graph):
    assert not list(graph.named("data").subjects(RDF.type, BLF.SessionLink))
    assert list(graph.named("inferred").subjects(RDF.type, BLF.SessionLink))


def test_every_derived_link_has_provenance(graph):
    inferred = graph.named("inferred")
    for link in inferred.subjects(RDF.type, BLF.SessionLink):
        derived_from = set(inferred.objects(link, PROV.wasDerivedFrom))
        assert len(derived_from) >= 2
        assert inferred.value(link, PROV.wasGeneratedBy) is not None


def test_shortcut_triples_match_the_qualified_links(graph):
    inferred = graph.named("inferred")
    addresses = set(inferred.subject_objects(BLF.addresses))
    links = {
        (inferred.value(link, BLF.session), inferred.value(link, BLF.responsibility))
        for link in inferred.subjects(RDF.type, BLF.SessionLink)
    }
    assert addresses == links
