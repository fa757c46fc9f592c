"""Bad data never reaches a client: `blkg serve` refuses it as `blkg validate` does, a running
server never swaps in what changed on disk, and the server never writes to its data folder.

(`tests/test_cli.py` covers `blkg validate` on each kind of bad data and `blkg serve` on a
shape violation; this module adds `blkg serve` on the other kinds and unreadable data.)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import RunningServer, blkg, free_port, http_client
from tests.system import folder_digest


def broken_turtle(data: Path) -> tuple[Path, str]:
    path = data / "framework.ttl"
    lines = path.read_text().splitlines()
    lines.insert(3, "this is not turtle .")
    path.write_text("\n".join(lines) + "\n")
    return data, f"{path}:4: Turtle syntax error"


def duplicate_iri(data: Path) -> tuple[Path, str]:
    (data / "zz-duplicate.ttl").write_text(
        "@prefix blf: <https://w3id.org/blkg/def#> .\n<session/3> a blf:Session .\n"
    )
    return data, "zz-duplicate.ttl"


def shape_violation(data: Path) -> tuple[Path, str]:
    path = data / "responsibilities.ttl"
    path.write_text(path.read_text().replace("blf:number 20 ;", "blf:number 22 ;", 1))
    return data, "situational-awareness"


def mistyped_slug(data: Path) -> tuple[Path, str]:
    path = data / "component-memberships.ttl"
    path.write_text(
        path.read_text().replace(
            "blf:responsibility resp:situational-awareness ",
            "blf:responsibility resp:situational-awarness ",
            1,
        )
    )
    return data, "resp:situational-awarness is used but never declared; did you mean"


def missing_folder(data: Path) -> tuple[Path, str]:
    return data / "missing", f"{data / 'missing'}: data folder not found"


def empty_folder(data: Path) -> tuple[Path, str]:
    (data / "empty").mkdir()
    return data / "empty", "no .ttl files"


def unreadable_file(data: Path) -> tuple[Path, str]:
    """A data file that cannot be read, even by root: it leads to /proc/self/mem, whose first
    page is never mapped, so reading it fails with an I/O error."""
    (data / "zz-unreadable.ttl").symlink_to("/proc/self/mem")
    return data, f"{data / 'zz-unreadable.ttl'}: Turtle syntax error: cannot read the file"


BREAKAGES: dict[str, Callable[[Path], tuple[Path, str]]] = {
    "malformed Turtle": broken_turtle,
    "duplicate IRI across files": duplicate_iri,
    "shape violation": shape_violation,
    "mistyped slug": mistyped_slug,
    "missing folder": missing_folder,
    "empty folder": empty_folder,
    "unreadable file": unreadable_file,
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_serve_refuses_bad_data_with_the_message_of_validate(data_copy, breakage):
    folder, expected = BREAKAGES[breakage](data_copy)
    validate = blkg("validate", "--data", str(folder))
    serve = blkg("serve", "--data", str(folder), "--port", str(free_port()))
    assert validate.returncode != 0
    assert serve.returncode == validate.returncode, serve.stderr
    assert serve.stderr == validate.stderr
    assert expected in serve.stderr
    assert "Traceback" not in serve.stderr + serve.stdout
    assert "serving on" not in serve.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its permissions")
def test_serve_refuses_an_unreadable_data_folder(data_copy):
    data_copy.chmod(0)
    try:
        serve = blkg("serve", "--data", str(data_copy), "--port", str(free_port()))
    finally:
        data_copy.chmod(0o755)
    assert serve.returncode == 2
    assert f"{data_copy}: cannot read the folder (permission denied)" in serve.stderr


# -- a running server and its data folder -------------------------------------------------------


QUESTIONS = [
    ("GET", "/health", {}),
    ("POST", "/graphql", {"json": {"query": "{ session(number: 3) { title } }"}}),
    ("GET", "/sparql", {"params": {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}}),
    ("GET", "/export", {"params": {"format": "nt"}}),
    ("GET", "/id/session/3", {"headers": {"Accept": "text/turtle"}}),
]


def answers(http: httpx.Client, nonce: str = "") -> list[tuple[int, bytes]]:
    got = []
    for method, path, options in QUESTIONS:
        if nonce and path == "/sparql":  # a query not asked before: the workers answer it
            options = {"params": {"query": options["params"]["query"] + f" # {nonce}"}}
        response = http.request(method, path, **options)
        got.append((response.status_code, response.content))
    return got


def test_a_running_server_never_swaps_in_changed_data(data_copy):
    with RunningServer("--data", str(data_copy)) as server, http_client(server.url) as http:
        before = answers(http)
        broken_turtle(data_copy)
        shape_violation(data_copy)
        (data_copy / "sessions.ttl").write_text(
            (data_copy / "sessions.ttl").read_text().replace("Managing Change", "Changed")
        )
        (data_copy / "pricing.ttl").unlink()
        after = answers(http)
        fresh = answers(http, nonce="after the change")
    assert all(status == 200 for status, _ in before)
    assert after == before
    assert [status for status, _ in fresh] == [200] * len(QUESTIONS)
    assert fresh[2][1] == before[2][1]  # the same triple count, from a fresh query
    assert b"Managing Change" in fresh[1][1]


def test_the_server_never_writes_to_its_data_folder(data_copy):
    digest = folder_digest(data_copy)
    with RunningServer("--data", str(data_copy)) as server, http_client(server.url) as http:
        for n in range(5):
            answers(http, nonce=str(n))
            for fmt in ("turtle", "trig", "jsonld"):
                assert http.get("/export", params={"format": fmt}).status_code == 200
    assert folder_digest(data_copy) == digest
