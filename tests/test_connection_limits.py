"""The guarded connections (`blkg.web.connections`) enforce the limits they are given in code,
whatever the environment says, and run on the uvicorn and httptools releases they were written
against (the package pins them; the protocol extends uvicorn's internals).

The server here is uvicorn in a thread of the test process, started with the options `blkg
serve` uses (`blkg.cli.uvicorn_options`), in front of an application that answers 200.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Iterator
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from blkg.config import Limits
from blkg.web.connections import UVICORN_INTERNALS
from tests.conftest import ROOT, serving_in_thread
from tests.raw_http import assert_coded, connect, parse, read_until_closed

# What the environment would set, were it read: far from what the code passes.
ENVIRONMENT = {"BLKG_MAX_HEADER_BYTES": "1000000", "BLKG_HEADER_TIMEOUT": "600"}
GIVEN = Limits(max_header_bytes=2048, header_timeout_seconds=0.5)


async def answer_ok(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    headers = [(b"content-length", b"2")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"ok"})


def serving(limits: Limits):
    """The port of a server whose connections are guarded by `limits`, for a block."""
    return serving_in_thread(answer_ok, limits)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with pytest.MonkeyPatch.context() as environment:
        for name, value in ENVIRONMENT.items():
            environment.setenv(name, value)
        with serving(GIVEN) as running:
            yield running


def head_with(padding: int) -> bytes:
    head = f"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: {'a' * padding}\r\n\r\n"
    return head.encode()


def send(port: int, data: bytes) -> bytes:
    with connect(port) as sock:
        with contextlib.suppress(OSError):  # refused and closed before it was all sent
            sock.sendall(data)
        return read_until_closed(sock)


def test_a_head_past_the_size_given_in_code_gets_431(port):
    head = head_with(GIVEN.max_header_bytes)
    assert len(head) < int(ENVIRONMENT["BLKG_MAX_HEADER_BYTES"])
    assert_coded(send(port, head), 431, "HEADERS_TOO_LARGE")


def test_a_head_inside_the_size_given_in_code_is_served(port):
    head = head_with(GIVEN.max_header_bytes // 2)
    status, _, body = parse(send(port, head))
    assert (status, body) == (200, b"ok")


def test_a_head_late_past_the_deadline_given_in_code_gets_408(port):
    with connect(port) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the end of the head
        answer = read_until_closed(sock, timeout=float(ENVIRONMENT["BLKG_HEADER_TIMEOUT"]) / 10)
    assert_coded(answer, 408, "REQUEST_TIMEOUT")


def _pins() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(text) for text in project["dependencies"]]
    return {requirement.name: requirement for requirement in requirements}


@pytest.mark.parametrize("package", ["uvicorn", "httptools"])
def test_the_installed_release_is_one_the_protocol_was_written_against(package):
    pinned = _pins()[package].specifier
    assert any(spec.operator in ("<", "<=", "==", "~=") for spec in pinned), "no upper bound"
    assert version(package) in pinned


@pytest.mark.parametrize("name", UVICORN_INTERNALS)
def test_what_the_protocol_relies_on_is_still_in_uvicorn(name):
    assert callable(getattr(HttpToolsProtocol, name, None))
