"""Overload and slow clients, over raw sockets to a real server with small limits.

- Past `BLKG_MAX_CONCURRENT_REQUESTS` requests in flight, a request is answered 503 at once,
  with `Retry-After` and a coded JSON error, instead of waiting in line; `/health` still
  answers; once the load is gone, requests are served again.
- A body that stalls or trickles is cut off after `BLKG_BODY_TIMEOUT` (408).
- A request head that never ends (slowloris) is cut off after `BLKG_HEADER_TIMEOUT` (408), a
  connection that sends nothing is closed, an oversized head is refused (431), an idle
  kept-alive connection is closed (uvicorn's 5 s), bytes that are not HTTP get a JSON 400,
  and hundreds of stalled connections do not keep anybody else waiting.
"""

from __future__ import annotations

import socket
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import orjson
import pytest

from tests import figures
from tests.conftest import RunningServer
from tests.safety import error_codes

LIMIT = 4
BODY_TIMEOUT = 1.5
HEADER_TIMEOUT = 1.5
MAX_HEADER_BYTES = 8192
SECTION = "overload"


@pytest.fixture(scope="module")
def small() -> Iterator[RunningServer]:
    env = {
        "BLKG_MAX_CONCURRENT_REQUESTS": str(LIMIT),
        "BLKG_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "BLKG_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
        "BLKG_MAX_HEADER_BYTES": str(MAX_HEADER_BYTES),
    }
    running = RunningServer(env=env).wait_ready()
    yield running
    running.stop()


def connect(server: RunningServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


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


def read_response(sock: socket.socket) -> bytes:
    """One whole response (head and Content-Length body) from a kept-alive connection."""
    sock.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    _, headers, body = parse(data)
    while len(body) < int(headers["content-length"]):
        body += sock.recv(65536)
        data += body
    return data


def read_until_closed(sock: socket.socket, timeout: float = 10) -> bytes:
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return data


def parse(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def assert_coded(raw: bytes, status: int, code: str) -> dict[str, str]:
    got, headers, body = parse(raw)
    assert got == status, raw[:300]
    assert headers["content-type"] == "application/json"
    assert error_codes(orjson.loads(body)) == [code]
    return headers


def test_past_the_limit_a_request_gets_503_at_once_with_retry_after(small):
    holders = [stalled_post(small) for _ in range(LIMIT)]
    started = time.monotonic()
    time.sleep(0.3)  # the stalled requests are in flight

    def probe(n: int) -> tuple[httpx.Response, float]:
        began = time.monotonic()
        response = httpx.get(
            small.url + "/graphql", params={"query": f"{{ framework {{ name }} }} #{n}"}
        )
        return response, time.monotonic() - began

    with ThreadPoolExecutor(max_workers=10) as pool:
        probes = list(pool.map(probe, range(30)))
    health = httpx.get(small.url + "/health")
    for response, seconds in probes:
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert error_codes(response.json()) == ["OVERLOADED"]
        assert seconds < 1.0
    assert health.status_code == 200
    for sock in holders:  # each stalled request is cut off by the body deadline
        assert_coded(read_until_closed(sock), 408, "REQUEST_TIMEOUT")
        sock.close()
    held = time.monotonic() - started
    assert BODY_TIMEOUT - 0.1 < held < BODY_TIMEOUT + 3
    after = httpx.get(small.url + "/graphql", params={"query": "{ framework { name } }"})
    assert after.status_code == 200
    figures.count(SECTION, Counter(r.status_code for r, _ in probes), intended=(503,))
    figures.record(SECTION, **{"slowest 503 s": round(max(s for _, s in probes), 3)})


def test_a_trickled_body_is_cut_off_with_408(small):
    sock = stalled_post(small, "/sparql", "application/sparql-query")
    started = time.monotonic()
    sock.settimeout(0.05)
    raw = b""
    for _ in range(60):  # a byte every 0.1 s: never done before the deadline
        try:
            sock.sendall(b" ")
        except OSError:
            break
        try:
            raw += sock.recv(65536)
            break
        except TimeoutError:
            time.sleep(0.05)
    raw += read_until_closed(sock)
    sock.close()
    seconds = time.monotonic() - started
    headers = assert_coded(raw, 408, "REQUEST_TIMEOUT")
    assert headers["connection"] == "close"
    assert BODY_TIMEOUT - 0.1 < seconds < BODY_TIMEOUT + 2
    figures.record(SECTION, **{"trickled body cut off after s": round(seconds, 2)})


def test_a_head_that_never_ends_is_cut_off_with_408(small):
    sock = connect(small)
    started = time.monotonic()
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
    sock.settimeout(0.05)
    raw = b""
    for byte in head:  # one byte every 0.1 s
        try:
            sock.sendall(bytes([byte]))
            raw += sock.recv(65536)
            break
        except TimeoutError:
            time.sleep(0.05)
        except OSError:
            break
    raw += read_until_closed(sock)
    sock.close()
    seconds = time.monotonic() - started
    assert_coded(raw, 408, "REQUEST_TIMEOUT")
    assert HEADER_TIMEOUT - 0.1 < seconds < HEADER_TIMEOUT + 2
    figures.record(SECTION, **{"slowloris cut off after s": round(seconds, 2)})


def test_a_connection_that_sends_nothing_is_closed(small):
    with connect(small) as sock:
        started = time.monotonic()
        assert read_until_closed(sock) == b""
    assert HEADER_TIMEOUT - 0.1 < time.monotonic() - started < HEADER_TIMEOUT + 2


def test_an_idle_kept_alive_connection_is_closed(small):
    with connect(small) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert read_until_closed(sock, timeout=15) == b""
    assert 4 < time.monotonic() - started < 10  # uvicorn's timeout_keep_alive, 5 s


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
    stalled = []
    for _ in range(300):
        sock = connect(small)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: ")
        stalled.append(sock)
    latencies = []
    with httpx.Client(base_url=small.url, timeout=10) as http:
        for n in range(20):
            began = time.monotonic()
            response = http.post("/graphql", json={"query": f"{{ framework {{ name }} }} #{n}"})
            latencies.append(time.monotonic() - began)
            assert response.status_code == 200
    assert max(latencies) < 0.5
    time.sleep(HEADER_TIMEOUT + 0.5)
    closed = sum(
        1 for sock in stalled if read_until_closed(sock, timeout=2).startswith(b"HTTP/1.1 408")
    )
    for sock in stalled:
        sock.close()
    assert closed == len(stalled)
    figures.record(
        SECTION,
        **{
            "stalled connections cut off": closed,
            "slowest request beside them s": round(max(latencies), 3),
        },
    )
