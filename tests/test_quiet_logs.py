"""A client's mistakes are answered, not logged (issue 9, item 10), on a real server whose
output the test reads.

Bytes that are not HTTP, broken request lines, headers and bodies, unserved versions, upgrade
requests, oversized heads and Accept headers, and requests cut off by the head and body
deadlines are each answered (or the connection closed) and leave the server's output as it
was after start-up; so do generated garbage and mutated requests (hypothesis). The bytes of
log written for the whole run are a figure.
"""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import figures
from tests.conftest import RunningServer
from tests.raw_http import connect, parse, read_until_closed

SECTION = "quiet logs"


@pytest.fixture(scope="module")
def watched() -> Iterator[RunningServer]:
    env = {"BLKG_HEADER_TIMEOUT": "1", "BLKG_BODY_TIMEOUT": "1", "BLKG_MAX_HEADER_BYTES": "4096"}
    running = RunningServer(env=env).wait_ready()
    started = running.printed()
    yield running
    logged = running.printed()[len(started) :]
    running.stop()
    figures.record(SECTION, **{"bytes logged for client mistakes": len(logged.encode())})


def exchange(server: RunningServer, data: bytes, half_close: bool = False) -> bytes:
    """Send `data`, then (with `half_close`) say nothing more follows; all the answer."""
    with connect(server.port) as sock:
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # refused and closed before it was all sent
        return read_until_closed(sock)


MISTAKES = {
    "tls-hello": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    "words": b"NOT HTTP\r\n\r\n",
    "binary": bytes(range(256)),
    "bad-target-byte": b"GET /h\xff HTTP/1.1\r\nHost: x\r\n\r\n",
    "space-in-target": b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
    "bare-lf": b"GET / HTTP/1.1\nHost: x\n\n",
    "header-without-colon": b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
    "bad-header-name": b"GET / HTTP/1.1\r\nHo(st: x\r\n\r\n",
    "control-in-value": b"GET / HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n",
    "two-lengths": (
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"
    ),
    "negative-length": b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "bad-chunk": b"POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "length-and-chunked": (
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    ),
    "http-0.9": b"GET /health\r\n",
    "http-2.0": b"GET / HTTP/2.0\r\n\r\n",
    "h2-preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "http-9.9": b"GET / HTTP/9.9\r\n\r\n",
    "websocket-upgrade": (
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ),
    "h2c-upgrade": b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
    b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n",
    "oversized-head": b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 10_000 + b"\r\n\r\n",
    "too-many-ranges": b"GET /export HTTP/1.1\r\nHost: x\r\nAccept: " + b"*/*," * 100 + b"\r\n\r\n",
    "head-deadline": b"GET /health HTTP/1.1\r\nHost: x\r\n",
    "body-deadline": b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: 10\r\n\r\n{",
    "nothing": b"",
    "method-unknown": b"FOO / HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad-json": b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: 5\r\nConnection: close\r\n\r\n{oops",
    "bad-graphql": b"GET /graphql?query=%7B HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "bad-sparql": b"GET /sparql?query=SELEC HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_a_clients_mistake_is_answered_and_not_logged(watched, name):
    before = watched.printed()
    raw = exchange(watched, MISTAKES[name])
    if raw:
        status, _, _ = parse(raw)
        assert 400 <= status < 500, raw[:300]
    assert watched.printed() == before


REQUEST_LINES = [b"GET / HTTP/1.1", b"POST /graphql HTTP/1.1", b"GET /sparql?query=x HTTP/1.0"]
HEADERS = [
    b"Host: x",
    b"Content-Type: application/json",
    b"Content-Length: 5",
    b"Transfer-Encoding: chunked",
    b"Accept: text/turtle",
    b"Expect: 100-continue",
    b"Connection: close",
    b"Upgrade: websocket",
]


@st.composite
def mutated_requests(draw) -> bytes:
    """A request put together from real parts, then cut, spliced and sprinkled with bytes."""
    lines = [draw(st.sampled_from(REQUEST_LINES))]
    lines += draw(st.lists(st.sampled_from(HEADERS), max_size=5))
    data = b"\r\n".join(lines) + b"\r\n\r\n" + draw(st.binary(max_size=20))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 4))
        data = data[:at] + draw(st.binary(max_size=4)) + data[at + cut :]
    return data


@settings(max_examples=300)
@given(data=st.binary(min_size=1, max_size=200) | mutated_requests())
def test_generated_garbage_is_answered_and_not_logged(watched, data):
    before = watched.printed()
    raw = exchange(watched, data, half_close=True)
    status = parse(raw)[0] if raw.startswith(b"HTTP/1.1 ") else None
    figures.count(SECTION, Counter({status or 0: 1}))  # 0: closed, no answer
    assert status is None or status < 500, raw[:300]
    assert watched.printed() == before
