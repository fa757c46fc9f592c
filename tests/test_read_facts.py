"""A field is declared once (`blkg.read.facts`): from that one declaration the builder reads it
from the graph and the GraphQL type publishes it, described by the ontology unless the
declaration says otherwise; and the enums the API publishes are the SKOS schemes they mirror,
checked against the graph when the catalog is built."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rdflib import SKOS, Graph, Literal

from blkg.api.descriptions import from_ontology
from blkg.api.types.common import Node
from blkg.api.types.published import published
from blkg.read import build_catalog
from blkg.read import model as m
from blkg.read.catalog import _Builder
from blkg.read.facts import fact
from blkg.read.reader import Reader
from blkg.vocabulary import BLF


@dataclass(eq=False, slots=True, repr=False)
class PricedOffering(m.Offering):
    """An offering with one more field, declared as a new property would be."""

    unit_again: str | None = fact(BLF.priceUnit, optional=True)


@pytest.fixture(scope="module")
def union(graph) -> Graph:
    copy = Graph()
    copy += graph.union()
    return copy


def builder(graph: Graph, base: str) -> _Builder:
    made = _Builder(Reader(graph, base))
    made.build_sources()
    return made


def test_a_field_declared_once_is_read_from_the_graph(union, graph):
    made = builder(union, graph.settings.instance_base)
    offerings = made.r.instances(BLF.Offering)
    read = [made.read(PricedOffering, node) for node in offerings]
    assert [o.unit_again for o in read] == [made.r.text(node, BLF.priceUnit) for node in offerings]
    assert any(o.unit_again for o in read)


def test_a_field_declared_once_is_published_with_the_ontologys_definition():
    @published(PricedOffering, name="PricedOffering")
    class Priced(Node):
        pass

    field = next(f for f in Priced.__strawberry_definition__.fields if f.name == "unit_again")
    assert field.description == from_ontology(BLF.priceUnit)


def test_an_unknown_reading_is_refused():
    with pytest.raises(ValueError, match="unknown reading 'guess'"):
        fact(BLF.text, reading="guess")


@pytest.mark.parametrize("enum", list(m.SCHEMES))
def test_every_enum_is_the_scheme_it_mirrors(union, graph, enum):
    members = builder(union, graph.settings.instance_base).members(enum)
    assert sorted(members.values(), key=lambda v: v.value) == sorted(enum, key=lambda v: v.value)


@pytest.mark.parametrize("enum", list(m.SCHEMES))
def test_an_enum_and_a_scheme_that_disagree_are_refused_by_name(graph, enum):
    changed = Graph()
    changed += graph.union()
    concept = next(changed.subjects(SKOS.inScheme, m.SCHEMES[enum]))
    changed.set((concept, SKOS.notation, Literal("SOMETHING_ELSE")))
    with pytest.raises(ValueError, match=enum.__name__) as refused:
        build_catalog(changed, graph.settings.instance_base)
    assert str(m.SCHEMES[enum]) in str(refused.value)


def test_a_numbered_scheme_must_keep_the_enums_order(graph):
    changed = Graph()
    changed += graph.union()
    changed.set((BLF.Introduces, BLF.number, Literal(9)))
    with pytest.raises(ValueError, match="in that order"):
        build_catalog(changed, graph.settings.instance_base)
