"""Slow, stalled, oversized and malformed clients, over raw sockets to a real server with
small limits (`tests/test_admission.py` has the 503 past the admission limit, in-process).

- A body that stalls or trickles is cut off after `BLKG_BODY_TIMEOUT` (408).
- A request head that never ends (slowloris) is cut off after `BLKG_HEADER_TIMEOUT` (408), a
  connection that sends nothing is closed, an oversized head is refused (431), an idle
  kept-alive connection is closed (uvicorn's 5 s), bytes that are not HTTP get a JSON 400,
  and hundreds of stalled connections do not keep anybody else waiting.

Each test waits for the server's answer or close (the deadline passing is the event); how long
each took is a figure, not an assertion.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests import figures
from tests.conftest import RunningServer
from tests.raw_http import assert_coded, read_response, read_until_closed
from tests.raw_http import connect as connect_to

BODY_TIMEOUT = 1.5
HEADER_TIMEOUT = 1.5
MAX_HEADER_BYTES = 8192
SECTION = "overload"


@pytest.fixture(scope="module")
def small() -> Iterator[RunningServer]:
    env = {
        "BLKG_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "BLKG_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
        "BLKG_MAX_HEADER_BYTES": str(MAX_HEADER_BYTES),
    }
    running = RunningServer(env=env).wait_ready()
    yield running
    running.stop()


def connect(server: RunningServer) -> socket.socket:
    return connect_to(server.port)


def stalled_post(
    server: RunningServer, path: str = "/graphql", content_type: str = "application/json"
) -> socket.socket:
    """A POST whose head says 100 bytes of body, of which only 10 are sent."""
    sock = connect(server)
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
        "Content-Length: 100\r\n\r\n".encode()
        + b'{"query": '
    )
    return sock


def trickle_until_answered(sock: socket.socket, data: bytes) -> bytes:
    """Send `data` a byte every 0.1 s (pacing, not ordering) until the server answers or
    closes; then everything it sends until it closes."""
    sock.settimeout(0.05)
    raw = b""
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
            raw += sock.recv(65536)
            break
        except TimeoutError:
            time.sleep(0.05)
        except OSError:
            break
    return raw + read_until_closed(sock)


def test_a_trickled_body_is_cut_off_with_408(small):
    with stalled_post(small, "/sparql", "application/sparql-query") as sock:
        started = time.monotonic()
        raw = trickle_until_answered(sock, b" " * 1000)
        seconds = time.monotonic() - started
    headers = assert_coded(raw, 408, "REQUEST_TIMEOUT")
    assert headers["connection"] == "close"
    figures.record(SECTION, **{"trickled body cut off after s": round(seconds, 2)})


def test_a_head_that_never_ends_is_cut_off_with_408(small):
    with connect(small) as sock:
        started = time.monotonic()
        raw = trickle_until_answered(
            sock, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
        )
        seconds = time.monotonic() - started
    assert_coded(raw, 408, "REQUEST_TIMEOUT")
    figures.record(SECTION, **{"slowloris cut off after s": round(seconds, 2)})


def test_a_connection_that_sends_nothing_is_closed(small):
    with connect(small) as sock:
        started = time.monotonic()
        assert read_until_closed(sock) == b""
        seconds = time.monotonic() - started
    figures.record(SECTION, **{"silent connection closed after s": round(seconds, 2)})


def test_an_idle_kept_alive_connection_is_closed(small):
    with connect(small) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert read_until_closed(sock) == b""
        seconds = time.monotonic() - started
    figures.record(SECTION, **{"idle kept-alive connection closed after s": round(seconds, 2)})


@pytest.mark.parametrize("size", [MAX_HEADER_BYTES * 2, 4 * 1024 * 1024])
def test_an_oversized_head_is_refused_with_431(small, size):
    with connect(small) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        try:
            for _ in range(size // 4096):
                sock.sendall(b"X-Pad: " + b"a" * 4087 + b"\r\n")
                time.sleep(0.001)
        except OSError:
            pass  # refused and closed before it was all sent
        assert_coded(read_until_closed(sock), 431, "HEADERS_TOO_LARGE")


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        b"GET / HTTP/9.9\r\n\r\n",
        b"NOT HTTP\r\n\r\n",
    ],
    ids=["tls-hello", "http-9.9", "words"],
)
def test_bytes_that_are_not_http_get_a_json_400(small, garbage):
    with connect(small) as sock:
        sock.sendall(garbage + b"\r\n\r\n")
        assert_coded(read_until_closed(sock), 400, "BAD_REQUEST")


def test_hundreds_of_stalled_connections_do_not_keep_others_waiting(small):
    stalled: list[socket.socket] = []
    latencies = []
    try:
        for _ in range(300):
            stalled.append(connect(small))
            stalled[-1].sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: ")
        with httpx.Client(base_url=small.url, timeout=30) as http:
            for n in range(20):
                began = time.monotonic()
                response = http.post("/graphql", json={"query": f"{{ framework {{ name }} }} #{n}"})
                latencies.append(time.monotonic() - began)
                assert response.status_code == 200
        answers = [read_until_closed(sock) for sock in stalled]  # each ends at the deadline
    finally:
        for sock in stalled:
            sock.close()
    closed = sum(1 for raw in answers if raw.startswith(b"HTTP/1.1 408"))
    assert closed == len(stalled)
    figures.record(
        SECTION,
        **{
            "stalled connections cut off": closed,
            "slowest request beside them s": round(max(latencies), 3),
        },
    )
