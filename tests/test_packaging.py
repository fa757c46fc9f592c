"""A plain (non-editable) install carries the ontology and data it serves and validates them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from blkg.export import serialize

ROOT = Path(__file__).resolve().parent.parent
PIP_INSTALL = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("blkg-*.whl")
    return built


def test_the_wheel_carries_ontology_shapes_data_and_static_files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for expected in [
        "blkg/_resources/ontology/blkg.ttl",
        "blkg/_resources/data/responsibilities.ttl",
        "blkg/_resources/data/sessions.ttl",
        "blkg/static/graphiql.html",
        "blkg/static/vendor/graphiql.min.js",
    ]:
        assert expected in names
    assert any(n.startswith("blkg/_resources/ontology/shapes/") for n in names)


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed on its own into a folder (no source tree on the path)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [*PIP_INSTALL, "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def run_installed(target: Path, *args: str) -> subprocess.CompletedProcess:
    """`blkg ARGS` run from the installed copy, in a folder outside the repository."""
    code = "import blkg, sys; print(blkg.__file__, file=sys.stderr); "
    code += f"from blkg.cli import main; sys.exit(main({list(args)!r}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(target)},
        cwd=target.parent,
        timeout=120,
    )


def test_the_installed_wheel_validates_its_own_data(installed):
    result = run_installed(installed, "validate")
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().splitlines()[0].startswith(str(installed))
    assert b"conforms:" in result.stdout


def test_the_installed_wheel_exports_what_the_source_tree_exports(installed, graph):
    result = run_installed(installed, "export", "--format", "turtle")
    assert result.returncode == 0, result.stderr
    assert result.stdout == serialize(graph, "turtle")
