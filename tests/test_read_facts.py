"""A field is declared once (`blkg.read.facts`): from that one declaration the builder reads it
from the graph and the GraphQL type publishes it, described by the ontology unless the
declaration says otherwise; and the enums the API publishes are the SKOS schemes they mirror,
checked against the graph when the catalog is built."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rdflib import SKOS, Graph, Literal, URIRef

from blkg.api.descriptions import from_ontology
from blkg.api.types.common import Node
from blkg.api.types.published import published
from blkg.read import build_catalog
from blkg.read import model as m
from blkg.read.catalog import _Builder
from blkg.read.facts import declared, fact
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
    @published(PricedOffering)
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


def test_every_link_field_holds_the_objects_its_graph_values_name(graph, catalog_objects):
    """Whatever order the classes are built in: a link read before its target exists is read
    again once every object does."""
    union = graph.union()
    checked = 0
    for built in catalog_objects:
        for field in declared(type(built)):
            predicate = field.fact.predicate
            if predicate is None or field.fact.reading is not None or _is_value(field.item):
                continue
            subject = URIRef(built.iri)
            named = {str(o) for o in union.objects(subject, predicate)}
            value = getattr(built, field.name)
            held = {o.iri for o in value} if field.many else {value.iri} if value else set()
            assert held == {iri for iri in named if iri in catalog_objects.iris}, (
                f"{built.id}.{field.name}"
            )
            checked += 1
    assert checked > 500


def _is_value(item) -> bool:
    """Not a link to a node the catalog builds (a literal, an enum, the statistics)."""
    return not (isinstance(item, type) and issubclass(item, m.Node))


class _Objects(list):
    iris: set[str]


@pytest.fixture(scope="module")
def catalog_objects(graph) -> _Objects:
    catalog = build_catalog(graph.union(), graph.settings.instance_base)
    objects = _Objects(catalog.by_id.values())
    objects.iris = {o.iri for o in objects}
    return objects
