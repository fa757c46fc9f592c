"""Answers a client does not take are dropped after `BLKG_SEND_TIMEOUT` (issue 9, item 3).

A client that stops reading (its TCP window fills, then the server's socket buffer, then the
server's own buffer) used to pin its answers in the server's memory for as long as it kept
the connection open. Now, once anything waits in the server's buffer for the client, the
client has `BLKG_SEND_TIMEOUT` to take it; past that the connection is reset, which frees the
buffer in the server and in the kernel at once.

Each test pipelines more large answers (`/export`, a GraphQL introspection) than the kernel's
socket buffers can hold, on a connection that offers a tiny window and reads nothing, a
little, or a trickle, and waits for the event: the client's socket is reset (`TCP_CLOSE`),
after which the server holds no socket for the connection. A client that reads is not cut
off, however many answers it asks for. Memory during the attack is a figure.
"""

from __future__ import annotations

import math
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests import figures
from tests.conftest import RunningServer, wait_for
from tests.raw_http import (
    TCP_CLOSE,
    Responses,
    client_port,
    connect,
    parse,
    read_response,
    server_sides,
    tcp_state,
)
from tests.system import rss_mb

SEND_TIMEOUT = 2.0
SECTION = "send deadline"
TINY_WINDOW = 4096
INTROSPECTION = (
    "{ __schema { types { name description fields { name description "
    "type { name kind ofType { name kind ofType { name kind } } } } } } }"
)
TARGETS = {
    "export-nt": "/export?format=nt&graph=all",
    "export-jsonld": "/export?format=jsonld&graph=all",
    "graphql-introspection": "/graphql?" + urlencode({"query": INTROSPECTION}),
}


@pytest.fixture(scope="module")
def deadline_server() -> Iterator[RunningServer]:
    running = RunningServer(env={"BLKG_SEND_TIMEOUT": str(SEND_TIMEOUT)}).wait_ready()
    yield running
    running.stop()


def kernel_buffer_bytes() -> int:
    """The most the kernel may buffer for one connection on the server's side."""
    return int(Path("/proc/sys/net/ipv4/tcp_wmem").read_text().split()[2])


def answer_size(server: RunningServer, target: str) -> int:
    response = httpx.get(server.url + target, timeout=30)
    assert response.status_code == 200
    return len(response.content)


def pipeline(server: RunningServer, target: str, last: str = "keep-alive") -> socket.socket:
    """A connection with a tiny window that asks for more copies of `target` than the kernel
    can hold (the last request with `Connection: last`), and has read nothing yet."""
    sock = connect(server.port, receive_buffer=TINY_WINDOW)
    copies = math.ceil(2 * kernel_buffer_bytes() / answer_size(server, target)) + 2
    request = f"GET {target} HTTP/1.1\r\nHost: x\r\n"
    try:
        sock.sendall((request + "\r\n").encode() * (copies - 1))
        sock.sendall((request + f"Connection: {last}\r\n\r\n").encode())
    except OSError:
        sock.close()
        raise
    return sock


def server_sockets(server: RunningServer) -> int:
    """Sockets the server process has open."""
    fds = Path(f"/proc/{server.process.pid}/fd")
    count = 0
    for fd in fds.iterdir():
        try:
            count += fd.readlink().name.startswith("socket:")
        except OSError:
            continue  # closed while listed
    return count


def assert_dropped(server: RunningServer, sock: socket.socket) -> None:
    """Wait for the reset, then check the server holds nothing for the connection."""
    port = client_port(sock)
    wait_for(lambda: tcp_state(sock) == TCP_CLOSE, "the server to reset the connection")
    assert port not in server_sides(server.port)


@pytest.fixture
def baseline(deadline_server) -> Iterator[int]:
    """The server's sockets before a test; after it, the server is back to them."""
    before = server_sockets(deadline_server)
    yield before
    wait_for(lambda: server_sockets(deadline_server) <= before, "the server's sockets to close")


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_client_that_never_reads_is_dropped(deadline_server, baseline, target):
    with pipeline(deadline_server, TARGETS[target]) as sock:
        assert_dropped(deadline_server, sock)
    assert httpx.get(deadline_server.url + "/health").status_code == 200


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_client_that_reads_one_answer_then_stops_is_dropped(deadline_server, baseline, target):
    with pipeline(deadline_server, TARGETS[target]) as sock:
        status, _, _ = parse(read_response(sock))
        assert status == 200
        assert_dropped(deadline_server, sock)


def test_a_client_that_reads_a_trickle_is_dropped(deadline_server, baseline):
    with pipeline(deadline_server, TARGETS["export-nt"]) as sock:
        stop = threading.Event()

        def trickle() -> None:  # 64 bytes every 50 ms: the buffer never empties
            while not stop.wait(0.05):
                try:
                    sock.recv(64)
                except OSError:
                    return

        reader = threading.Thread(target=trickle, daemon=True)
        reader.start()
        try:
            assert_dropped(deadline_server, sock)
        finally:
            stop.set()
            reader.join()


def test_an_answer_left_behind_at_close_is_dropped(deadline_server, baseline):
    """The last request says `Connection: close`: the server closes with its buffer full,
    which alone would keep the buffer until the client read it."""
    with pipeline(deadline_server, TARGETS["export-nt"], last="close") as sock:
        assert_dropped(deadline_server, sock)


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_client_that_reads_gets_every_answer(deadline_server, baseline, target):
    size = answer_size(deadline_server, TARGETS[target])
    copies = math.ceil(2 * kernel_buffer_bytes() / size) + 2
    with connect(deadline_server.port) as sock:
        request = f"GET {TARGETS[target]} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        sock.sendall(request * copies)
        responses = Responses(sock)
        answers = [parse(responses.next()) for _ in range(copies)]
    assert [status for status, _, _ in answers] == [200] * copies
    assert {len(body) for _, _, body in answers} == {size}


def test_memory_stays_bounded_with_six_clients_that_never_read(deadline_server, baseline):
    pid = deadline_server.process.pid
    before = rss_mb(pid)
    peak = before
    started = time.monotonic()
    clients = [pipeline(deadline_server, TARGETS["export-nt"]) for _ in range(6)]
    try:

        def all_dropped() -> bool:
            nonlocal peak
            peak = max(peak, rss_mb(pid))
            return all(tcp_state(sock) == TCP_CLOSE for sock in clients)

        wait_for(all_dropped, "the six clients to be reset")
        seconds = time.monotonic() - started
    finally:
        for sock in clients:
            sock.close()
    figures.record(
        SECTION,
        **{
            "6 non-reading clients: RSS before MB": round(before, 1),
            "peak MB": round(peak, 1),
            "after MB": round(rss_mb(pid), 1),
            "all reset after s": round(seconds, 2),
        },
    )
