"""The loaded graph: its named graphs, and the union every reader shares."""

from __future__ import annotations

from blkg.app import create_app
from blkg.config import Settings
from blkg.graph import ASSERTED, GRAPH_NAMES, load_knowledge_graph


def test_the_union_is_built_once_per_selection(graph):
    assert graph.union() is graph.union()
    assert graph.union(ASSERTED) is not graph.union()


def test_the_union_holds_exactly_the_named_graphs(graph):
    expected = set()
    for name in GRAPH_NAMES:
        expected |= set(graph.named(name))
    assert set(graph.union()) == expected


def test_building_the_app_leaves_the_shared_union_as_it_was():
    loaded = load_knowledge_graph(Settings())
    before = set(loaded.union())
    create_app(loaded)
    assert set(loaded.union()) == before


def test_validation_leaves_the_shapes_as_written(graph):
    from rdflib.compare import isomorphic

    from blkg.graph import graph_violations, load_shapes

    graph_violations(graph)
    assert isomorphic(graph.shapes, load_shapes())
