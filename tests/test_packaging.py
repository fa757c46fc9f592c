"""A plain (non-editable) install carries the ontology and data it serves and validates them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

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
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in [
        "blkg/_resources/ontology/blkg.ttl",
        "blkg/_resources/data/responsibilities.ttl",
        "blkg/_resources/data/sessions.ttl",
        "blkg/static/graphiql.html",
        "blkg/static/vendor/graphiql.min.js",
    ]:
        assert expected in names
    assert any(n.startswith("blkg/_resources/ontology/shapes/") for n in names)


def test_the_installed_wheel_validates_its_own_data(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import blkg, sys; print(blkg.__file__); "
            "from blkg.cli import main; sys.exit(main(['validate']))",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(str(target))
    assert "conforms:" in result.stdout
