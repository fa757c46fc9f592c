"""Slow request bodies hold connections, not the admission slots answers need (issue 9, item 7).

A request reaches the application only once its body has arrived whole (or once more has
arrived, or been declared, than any route accepts, which the route refuses at once with 413),
so connections sending their bodies slowly, stalled or a byte at a time, plain, chunked or
after `Expect: 100-continue`, to `/graphql` or `/sparql`, many times the admission limit of
the server, leave every slot free: GraphQL keeps answering 200 meanwhile. The GraphQL p99
under each attack is a figure, not an assertion.

The test waits for the events it needs: the server has read everything the slow clients sent
(their kernels hold nothing unacknowledged, the server's sockets nothing unread) before the
probes go, and the slow connections are all still open once the probes are done.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import orjson
import pytest

from tests import figures
from tests.conftest import RunningServer, wait_for
from tests.raw_http import (
    TCP_ESTABLISHED,
    assert_coded,
    connect,
    parse,
    read_response,
    server_has_read_all,
    tcp_state,
)

LIMIT = 4
ATTACKERS = 64  # as many as in the attack reported, sixteen times the limit
PROBES = 60
SECTION = "slow bodies"
QUERY = b'{"query": "{ framework { name } }"}'


@pytest.fixture(scope="module")
def guarded() -> Iterator[RunningServer]:
    env = {
        "BLKG_MAX_CONCURRENT_REQUESTS": str(LIMIT),
        "BLKG_BODY_TIMEOUT": "300",  # the attack lasts as long as the test needs it
    }
    running = RunningServer(env=env).wait_ready()
    yield running
    running.stop()


def post_head(path: str, content_type: str, framing: str, extra: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
        f"{framing}\r\n{extra}\r\n"
    ).encode()


# name -> (request head, the first part of the body, what trickling sends each time)
SLOW_BODIES = {
    "graphql": (post_head("/graphql", "application/json", "Content-Length: 60000"), b'{"q', b" "),
    "sparql": (
        post_head("/sparql", "application/sparql-query", "Content-Length: 60000"),
        b"SELECT",
        b" ",
    ),
    "sparql-form": (
        post_head("/sparql", "application/x-www-form-urlencoded", "Content-Length: 60000"),
        b"query=ASK",
        b"+",
    ),
    "chunked": (
        post_head("/graphql", "application/json", "Transfer-Encoding: chunked"),
        b'3\r\n{"q\r\n',
        b"1\r\n \r\n",
    ),
    "expect-100": (
        post_head(
            "/graphql", "application/json", "Content-Length: 60000", "Expect: 100-continue\r\n"
        ),
        b'{"q',
        b" ",
    ),
}


def open_slow(server: RunningServer, name: str) -> socket.socket:
    head, first, _ = SLOW_BODIES[name]
    sock = connect(server.port)
    try:
        sock.sendall(head)
        if name == "expect-100":  # the server asks for the body before anything is sent
            assert read_until_continue(sock) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(first)
    except BaseException:
        sock.close()
        raise
    return sock


def read_until_continue(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\r\n\r\n"):
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def trickling(socks: list[socket.socket], piece: bytes, every: float) -> Iterator[None]:
    """Send `piece` on every socket each `every` s (pacing) while the block runs."""
    stop = threading.Event()

    def trickle() -> None:
        while not stop.wait(every):
            for sock in socks:
                sock.sendall(piece)

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def probe(client: httpx.Client, n: int) -> tuple[int, float]:
    began = time.monotonic()
    response = client.post("/graphql", json={"query": f"{{ framework {{ name }} }} #{n}"})
    return response.status_code, time.monotonic() - began


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


@pytest.mark.parametrize("name", list(SLOW_BODIES))
@pytest.mark.parametrize("pace", ["stalled", "trickled"])
def test_graphql_answers_while_many_connections_send_bodies_slowly(guarded, name, pace):
    slow: list[socket.socket] = []
    try:
        for _ in range(ATTACKERS):
            slow.append(open_slow(guarded, name))
        wait_for(lambda: server_has_read_all(guarded.port, slow), "the slow heads to be read")
        every = 0.1 if pace == "trickled" else 3600.0
        with (
            trickling(slow, SLOW_BODIES[name][2], every),
            httpx.Client(base_url=guarded.url, timeout=30) as client,
        ):
            results = [probe(client, n) for n in range(PROBES)]
        assert [status for status, _ in results] == [200] * PROBES
        assert all(tcp_state(sock) == TCP_ESTABLISHED for sock in slow)  # attacked throughout
    finally:
        for sock in slow:
            sock.close()
    figures.record(
        SECTION,
        **{f"graphql p99 s, {ATTACKERS} {pace} {name}": round(p99([s for _, s in results]), 4)},
    )


# -- a request reaches the application once its body is whole --------------------------------


def test_a_body_sent_in_pieces_is_answered_once_it_is_whole(guarded):
    with connect(guarded.port) as sock:
        sock.sendall(post_head("/graphql", "application/json", f"Content-Length: {len(QUERY)}"))
        for piece in (QUERY[:5], QUERY[5:20], QUERY[20:]):
            wait_for(lambda: server_has_read_all(guarded.port, [sock]), "the piece to be read")
            sock.sendall(piece)
        status, _, body = parse(read_response(sock))
    assert status == 200
    assert orjson.loads(body) == {"data": {"framework": {"name": "Balanced Leadership Framework"}}}


def test_expect_100_continue_is_asked_for_the_body_and_answered(guarded):
    with connect(guarded.port) as sock:
        sock.sendall(
            post_head(
                "/graphql",
                "application/json",
                f"Content-Length: {len(QUERY)}",
                "Expect: 100-continue\r\n",
            )
        )
        assert read_until_continue(sock) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(QUERY)
        status, _, _ = parse(read_response(sock))
    assert status == 200


@pytest.mark.parametrize(
    "framing",
    ["Content-Length: 70000", "Transfer-Encoding: chunked"],
    ids=["declared", "chunked"],
)
def test_a_body_past_the_limit_is_refused_without_waiting_for_the_rest(guarded, framing):
    part = b"x" * 66_000  # past the 64 KiB limit, and the rest never comes
    if framing.startswith("Transfer"):
        part = f"{len(part):x}\r\n".encode() + part + b"\r\n"
    with connect(guarded.port) as sock:
        sock.sendall(post_head("/graphql", "application/json", framing))
        sock.sendall(part)
        raw = read_response(sock)
    assert_coded(raw, 413, "PAYLOAD_TOO_LARGE")
