"""The loaded graph: its named graphs, and the union every reader shares."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


def test_data_that_declares_no_modification_date_is_as_new_as_its_newest_file(data_copy: Path):
    dataset = data_copy / "dataset.ttl"
    lines = dataset.read_text().splitlines(keepends=True)
    declared = [line for line in lines if line.lstrip().startswith("dcterms:modified ")]
    assert len(declared) == 1
    dataset.write_text("".join(line for line in lines if line not in declared))
    newest = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)  # after any other file
    os.utime(dataset, (newest.timestamp(), newest.timestamp()))
    loaded = load_knowledge_graph(Settings(data_dir=data_copy), check=False)
    assert loaded.modified == newest
