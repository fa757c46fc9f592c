"""Slow SPARQL cannot starve the API: SPARQL waits in a short line of its own, and a query that
finds every worker busy and the line full gets `503 SPARQL_BUSY` with `Retry-After` at once.

The attack replayed: 64 clients (as many as the server admits requests at once) send slow
SPARQL queries back to back. Before, each waited for a worker holding one of the 64 request
slots, and GraphQL got `503 OVERLOADED`; now at most `workers + BLKG_SPARQL_QUEUE` of them
wait, the others are answered at once, and every GraphQL request sent meanwhile gets 200.
GraphQL's latency under the attack is a figure, not an assertion.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from blkg.config import Limits
from tests import figures
from tests.conftest import RunningServer, http_client, wait_for
from tests.safety import assert_safe, error_codes

ATTACKERS = Limits().max_concurrent_requests
PROBES = 40
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs to the time limit


@pytest.fixture(scope="module")
def target() -> Iterator[RunningServer]:
    with RunningServer(env={"BLKG_SPARQL_TIMEOUT": "2"}) as running:
        yield running


class SlowSparql:
    """Clients each sending slow SPARQL queries back to back until stopped."""

    def __init__(self, url: str, clients: int):
        self.url = url
        self.codes: Counter = Counter()
        self.failures: list[str] = []
        self.refused_at_once = threading.Event()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._client, args=(n,)) for n in range(clients)]

    def __enter__(self) -> SlowSparql:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def _client(self, n: int) -> None:
        with http_client(self.url, timeout=60) as http:
            sent = 0
            while not self.stop.is_set():
                sent += 1
                try:
                    response = http.get("/sparql", params={"query": f"{SLOW}\n# {n}.{sent}"})
                    self._note(response)
                except Exception as error:  # noted, and failed on in the test's own thread
                    with self.lock:
                        self.failures.append(repr(error))
                    return

    def _note(self, response: httpx.Response) -> None:
        assert_safe(response, allowed_5xx=(503, 504))
        codes = error_codes(response.json()) if response.status_code != 200 else []
        if "SPARQL_BUSY" in codes:
            assert response.headers["retry-after"] == "1"
            self.refused_at_once.set()
        with self.lock:
            self.codes.update(codes)


def test_graphql_is_answered_while_slow_sparql_queries_pile_up(target):
    latencies, statuses = [], Counter()
    with SlowSparql(target.url, ATTACKERS) as attack:
        wait_for(
            lambda: attack.refused_at_once.is_set() or attack.failures,
            "workers busy and the SPARQL line full",
        )
        with http_client(target.url, timeout=60) as http:
            for n in range(PROBES):
                began = time.monotonic()
                response = http.post(
                    "/graphql", json={"query": f"query Probe{n} {{ framework {{ name }} }}"}
                )
                latencies.append(time.monotonic() - began)
                statuses[response.status_code] += 1
    assert statuses == Counter({200: PROBES}), statuses
    assert attack.failures == []
    assert set(attack.codes) <= {"SPARQL_BUSY", "QUERY_TIMEOUT"}, attack.codes
    latencies.sort()
    figures.record(
        "slow sparql vs graphql",
        sparql_clients=ATTACKERS,
        sparql_answers=dict(attack.codes),
        graphql_probes=PROBES,
        graphql_p50_s=statistics.median(latencies),
        graphql_p99_s=latencies[max(0, round(0.99 * len(latencies)) - 1)],
    )
