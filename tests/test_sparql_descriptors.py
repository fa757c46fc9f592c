"""Running out of file descriptors does not end SPARQL: the workers come back.

The attack replayed, on a real server whose limit of open files is lowered (as `ulimit -n`
would): two slow queries run while idle connections take every descriptor the server may
open; the queries pass the time limit, so their workers are killed and must be replaced, with
no descriptor left to open their pipes. Before, the replacements gave up after five failed
starts and every later query got 503. Now the engine starts them from descriptors it holds in
reserve, so the pool is whole again while the descriptors are still exhausted, answers a query
over a connection opened beforehand, and stays whole after the connections go. No answer
carries the operating system's words ("Too many open files").
"""

from __future__ import annotations

import os
import resource
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import orjson
import pytest

from blkg.sparql.descriptors import ACCEPT_HEADROOM
from tests import figures
from tests.conftest import RunningServer, http_client, wait_for
from tests.raw_http import Responses, connect, parse
from tests.safety import assert_safe

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc")

LIMIT = 128  # the server's limit of open files: about 35 in use once it is ready
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs to the time limit
OS_WORDS = ("Too many open files", "os error", "Errno", "errno")


@pytest.fixture
def constrained() -> Iterator[RunningServer]:
    env = {"BLKG_SPARQL_TIMEOUT": "3", "BLKG_HEADER_TIMEOUT": "300"}  # idle sockets stay
    running = RunningServer(env=env)
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.prlimit(running.process.pid, resource.RLIMIT_NOFILE, (LIMIT, hard))
        yield running.wait_ready()
    finally:
        running.stop()


def open_descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


class Probe:
    """A connection opened before the descriptors run out, to ask the server over meanwhile
    (kept alive by asking often)."""

    def __init__(self, port: int):
        self.sock = connect(port)
        self.responses = Responses(self.sock)
        self.bodies: list[bytes] = []

    def get(self, target: str) -> tuple[int, dict]:
        self.sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        status, _, body = parse(self.responses.next())
        self.bodies.append(body)
        return status, orjson.loads(body)

    def health(self) -> dict:
        status, body = self.get("/health")
        assert status == 200
        return body

    def close(self) -> None:
        self.sock.close()


def hold_idle_connections(port: int, count: int) -> list[socket.socket]:
    held = []
    for _ in range(count):
        try:
            held.append(connect(port))
        except OSError:  # the server's backlog is full: enough
            break
    return held


def test_sparql_workers_come_back_while_descriptors_are_exhausted(constrained):
    pid = constrained.process.pid
    probe = Probe(constrained.port)
    held: list[socket.socket] = []
    seen_degraded = False
    try:
        assert probe.get("/sparql?query=" + quote("ASK {}"))[0] == 200
        with ThreadPoolExecutor(max_workers=2) as pool:
            slow = [
                pool.submit(httpx.get, constrained.url + "/sparql", params={"query": f"{SLOW}#{n}"})
                for n in range(2)
            ]
            wait_for(  # (if this machine is so slow that they end first, the test goes on)
                lambda: probe.health()["sparql"]["busy"] == 2 or any(f.done() for f in slow),
                "both workers busy",
            )
            held = hold_idle_connections(constrained.port, LIMIT)
            wait_for(
                lambda: probe.health() and open_descriptors(pid) >= LIMIT - ACCEPT_HEADROOM,
                "the server's descriptors taken by idle connections",
            )
            exhausted_at = open_descriptors(pid)
            wait_for(  # asking meanwhile keeps the probe's connection alive
                lambda: probe.health() and all(future.done() for future in slow),
                "the slow queries stopped at the time limit, their workers killed",
            )
            timed_out = [future.result() for future in slow]
        for response in timed_out:
            assert_safe(response, allowed_5xx=(504,))
            assert response.status_code == 504

        def whole_again() -> bool:
            nonlocal seen_degraded
            body = probe.health()
            seen_degraded |= body["status"] == "degraded"
            return body["status"] == "ok" and body["sparql"]["workers"] == 2

        wait_for(whole_again, "the pool whole again, descriptors still taken")
        still_exhausted = open_descriptors(pid)
        status, answer = probe.get("/sparql?query=" + quote("ASK { ?s ?p ?o }"))
        assert status == 200 and answer["boolean"] is True
    finally:
        for sock in held:
            sock.close()
        probe.close()

    with http_client(constrained.url, timeout=60) as http:
        wait_for(lambda: http.get("/health").json()["sparql"]["workers"] == 2, "the pool")
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(
                pool.map(
                    lambda n: http.get("/sparql", params={"query": f"ASK {{ ?s ?p ?o }} #{n}"}),
                    range(4),
                )
            )
    assert [response.status_code for response in answers] == [200] * 4
    for body in probe.bodies + [response.content for response in timed_out]:
        assert not any(words.encode() in body for words in OS_WORDS), body[:300]
    figures.record(
        "descriptor exhaustion",
        limit=LIMIT,
        idle_connections_opened=len(held),
        server_descriptors_exhausted=exhausted_at,
        server_descriptors_after_respawn=still_exhausted,
        health_seen_degraded=seen_degraded,
    )
