"""No server-side request forgery: nothing a client sends makes the server fetch a URL.

A listener on a loopback port stands for "another host". Every way a request could name a
URL for the server to fetch (SPARQL `SERVICE` in all its spellings, `FROM`/`FROM NAMED`,
`default-graph-uri`/`named-graph-uri`, `LOAD`, `DESCRIBE`, JSON-LD with a remote `@context`,
GraphQL ids, IRI paths) is sent to the real server, and the listener must see no connection.
Behind the parse check, the SPARQL workers cannot open a socket at all: pyoxigraph itself
would run `SERVICE` (a positive control below shows the listener catching it), and a sealed
worker (`blkg.sparql.worker.seal_descriptors`) fails instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import figures
from tests.conftest import wait_for
from tests.safety import assert_safe, error_codes
from tests.system import child_pids


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/"
        self.connections: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.connections.append(connection.recv(200) or b"(connected)")
                except OSError:
                    self.connections.append(b"(connected)")

    def seen(self) -> list[bytes]:
        """The connections that arrived before now. A sentinel connection of our own is made
        last and waited for: the listener accepts in order, so whatever came before it has
        been recorded by the time it is."""
        sentinel = b"(sentinel %d)" % len(self.connections)
        with socket.create_connection(self.socket.getsockname()) as probe:
            probe.sendall(sentinel)
            wait_for(lambda: sentinel in self.connections, "the listener to see the sentinel")
        found = list(self.connections)
        self.connections.remove(sentinel)
        return found[: found.index(sentinel)]

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


def sparql_vectors(url: str) -> list[tuple[dict, int, str | None]]:
    """(request parameters, expected status, expected code) for each way to name `url`."""
    pattern = "{ ?s ?p ?o }"
    escaped_slash = "\\U0000002f"
    refused = [
        f"SELECT * {{ SERVICE <{url}> {pattern} }}",
        f"select * {{ service <{url}> {pattern} }}",
        f"SELECT * {{ SERVICE SILENT <{url}> {pattern} }}",
        f"SELECT * {{ VALUES ?x {{ <{url}> }} SERVICE ?x {pattern} }}",
        f"SELECT * {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {pattern} }} }}",
        f"SELECT * {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {pattern} }} }}",
        f"SELECT * {{ {{ SELECT * {{ SERVICE <{url}> {pattern} }} }} }}",
        f"ASK {{ SERVICE <{url}> {pattern} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} {{ SERVICE <{url}> {pattern} }}",
        f"SELECT * {{ \\u0053ERVICE <{url}> {pattern} }}",
        f"SELECT * {{ SERV\\u0049CE <{url}> {pattern} }}",
        f"SELECT * {{ ?a ?b ?c # comment\r SERVICE <{url}> {pattern}\n }}",
        f"SELECT * {{ ?a ?b ?c # comment\\u000d SERVICE <{url}> {pattern}\n }}",
        f"SELECT * {{ SERVICE <{url.replace(':', chr(92) + 'u003a', 1)}> {pattern} }}",
        f"PREFIX r: <{url.replace('/', escaped_slash, 1)}>\nSELECT * {{ SERVICE r: {pattern} }}",
    ]
    # Escapes that once hid a SERVICE from the check: processed once, as SPARQL 1.1 says,
    # the SERVICE is inside a string literal for the check and the engine alike.
    hidden = [
        f'SELECT * {{ ?a ?b ?c FILTER(?c != "x{escape}") SERVICE <{url}> {pattern} '
        f'FILTER(?c != "#"\n) }}'
        for escape in ("\\u005c", "\\U0000005c", "\\u005C")
    ]
    vectors: list[tuple[dict, int, str | None]] = [
        ({"query": query}, 400, None) for query in refused
    ]
    vectors += [({"query": query}, 200, None) for query in hidden]
    vectors += [
        ({"query": f"SELECT * FROM <{url}> {pattern}"}, 200, None),
        ({"query": f"SELECT * FROM NAMED <{url}> {{ GRAPH ?g {pattern} }}"}, 200, None),
        ({"query": f"SELECT * {{ GRAPH <{url}> {pattern} }}"}, 200, None),
        ({"query": f"DESCRIBE <{url}>"}, 200, None),
        ({"query": f"SELECT * {pattern} LIMIT 1", "default-graph-uri": url}, 200, None),
        ({"query": f"SELECT * {pattern} LIMIT 1", "named-graph-uri": url}, 200, None),
        ({"query": f"LOAD <{url}>"}, 400, "UPDATE_REFUSED"),
        ({"query": f"LOAD SILENT <{url}> INTO GRAPH <urn:g>"}, 400, "UPDATE_REFUSED"),
        ({"update": f"LOAD <{url}>"}, 400, "UPDATE_REFUSED"),
    ]
    return vectors


def test_no_request_makes_the_server_fetch_a_url(client, listener):
    for params, status, code in sparql_vectors(listener.url):
        for response in (
            client.get("/sparql", params=params),
            client.post("/sparql", data=params),
        ):
            assert_safe(response)
            assert response.status_code == status, (params, response.text[:300])
            if status == 400:
                codes = set(error_codes(response.json()))
                allowed = {code} if code else {"SERVICE_REFUSED", "QUERY_SYNTAX"}
                assert codes <= allowed, (params, codes)
    jsonld = f'{{"@context": "{listener.url}context.jsonld", "@id": "urn:x"}}'
    others = [
        client.post("/sparql", content=jsonld, headers={"Content-Type": "application/ld+json"}),
        client.post("/graphql", content=jsonld, headers={"Content-Type": "application/ld+json"}),
        client.post("/graphql", content=jsonld, headers={"Content-Type": "application/json"}),
        client.post("/graphql", json={"query": f'{{ node(id: "{listener.url}") {{ id }} }}'}),
        client.get("/id/" + listener.url),
        client.get("/export", params={"format": listener.url}),
        client.get("/.well-known/void", headers={"Host": listener.url.split("/")[2]}),
    ]
    for response in others:
        assert_safe(response)
    assert listener.seen() == []
    figures.record(
        "ssrf", requests=2 * len(sparql_vectors(listener.url)) + len(others), fetches_seen=0
    )


# -- the workers themselves ------------------------------------------------------------------

SERVICE_IN_A_CHILD = """
import sys, pyoxigraph
if sys.argv[2] == "sealed":
    from blkg.sparql.worker import seal_descriptors
    seal_descriptors()
try:
    list(pyoxigraph.Store().query("SELECT * {{ SERVICE <%s> {{ ?s ?p ?o }} }}" % sys.argv[1]))
    print("query ran")
except OSError as error:
    print("query failed:", error)
try:
    open(sys.argv[3]).close()
    print("file opened")
except OSError as error:
    print("file failed:", error)
"""


def run_service_query(url: str, mode: str) -> str:
    code = textwrap.dedent(SERVICE_IN_A_CHILD).replace("{{", "{").replace("}}", "}")
    result = subprocess.run(
        [sys.executable, "-c", code, url, mode, __file__],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_pyoxigraph_alone_would_fetch_a_service_url(listener):
    """The positive control: the listener does catch a SERVICE call when nothing stops it."""
    run_service_query(listener.url, "unsealed")
    seen = listener.seen()
    assert len(seen) == 1 and seen[0].startswith(b"POST ")


def test_a_sealed_worker_can_open_no_socket_and_no_file(listener):
    output = run_service_query(listener.url, "sealed")
    assert "query failed: Too many open files" in output
    assert "file failed: [Errno 24] Too many open files" in output
    assert listener.seen() == []


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="needs Linux /proc")
def test_the_running_workers_are_sealed(client, server):
    client.get("/sparql", params={"query": "ASK {}"})
    workers = child_pids(server.process.pid)
    assert len(workers) >= 1
    for pid in workers:
        limits = Path(f"/proc/{pid}/limits").read_text().splitlines()
        soft = int(next(line for line in limits if line.startswith("Max open files")).split()[3])
        open_now = len(os.listdir(f"/proc/{pid}/fd"))
        assert soft <= open_now, f"worker {pid}: limit {soft}, {open_now} descriptors open"
