"""Start-up of `blkg serve` (blkg.startup): the graph is validated in a forked child while the
application is built from it; nothing is returned that has not been validated, and the verdict
is the one serial validation gives."""

from __future__ import annotations

import gc
import os
import shutil
import threading
from pathlib import Path

import pytest

from blkg import startup
from blkg.config import Settings
from blkg.errors import ValidationFailed
from blkg.graph import graph_violations, load_knowledge_graph
from blkg.startup import ConcurrentValidation, build_validated, collector_paused


@pytest.fixture
def broken_data(tmp_path: Path, data_dir: Path) -> Path:
    """A membership without its component: a violation, and a read layer that cannot be built."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    path = copy / "component-memberships.ttl"
    path.write_text(path.read_text().replace("    blf:component comp:leadership ;\n", "", 1))
    return copy


def test_valid_data_builds_the_app_from_the_loaded_graph():
    built = []
    app = build_validated(Settings(), lambda graph: built.append(graph) or "the app")
    assert app == "the app"
    assert len(built) == 1 and len(built[0].named("data")) > 0


def test_violations_stop_the_start_with_the_serial_verdict(broken_data):
    settings = Settings().with_data_dir(broken_data)
    expected = graph_violations(load_knowledge_graph(settings, check=False))
    assert expected
    with pytest.raises(ValidationFailed) as failure:
        build_validated(settings, lambda graph: "the app")
    assert failure.value.violations == expected


def test_violations_win_over_a_build_that_breaks_on_the_invalid_data(broken_data):
    from blkg.read import build_catalog

    def build(graph):
        return build_catalog(graph.union(), graph.settings.instance_base)

    with pytest.raises(ValidationFailed) as failure:
        build_validated(Settings().with_data_dir(broken_data), build)
    assert any("blf:component" in str(v) for v in failure.value.violations)


def test_a_build_error_on_valid_data_is_raised_as_it_is():
    def build(graph):
        raise RuntimeError("the build failed")

    with pytest.raises(RuntimeError, match="the build failed"):
        build_validated(Settings(), build)


def test_the_child_validates_while_the_parent_goes_on(graph):
    validation = ConcurrentValidation(graph)
    if threading.active_count() == 1:  # a process with threads is never forked
        assert validation.pid is not None and validation.pid != os.getpid()
    assert validation.violations() == []
    assert validation.pid is None  # the child has been waited for


def test_a_child_that_fails_leaves_the_verdict_to_the_parent(graph, monkeypatch):
    parent, validated_here = os.getpid(), []

    def child_fails(g):
        if os.getpid() != parent:
            raise RuntimeError("the child failed")
        validated_here.append(g)
        return []

    monkeypatch.setattr(startup, "graph_violations", child_fails)
    assert ConcurrentValidation(graph).violations() == []
    assert validated_here == [graph]


def test_collection_is_paused_inside_and_what_survives_is_frozen():
    assert gc.isenabled()
    try:
        with collector_paused():
            assert not gc.isenabled()
            survivor = [object()]
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0 and survivor
    finally:
        gc.unfreeze()
