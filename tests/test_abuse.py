"""Query abuse: hostile GraphQL and SPARQL queries are refused, or stopped at their limit, in
bounded time, and a normal query sent while the attack goes on is still answered promptly.

Each attack runs in two threads (GraphQL) or one (SPARQL, which has two workers: one for the
attack, one left for everybody else), each request a new variant so no cache answers it,
while the main thread keeps asking normal questions. The figures (requests, the slowest
attack answer, the slowest normal answer) go to the end-of-run summary.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from blkg.config import Limits
from tests import figures
from tests.conftest import RunningServer
from tests.safety import assert_safe, error_codes

SPARQL_TIMEOUT = 2.0
LIMITS = Limits()


@pytest.fixture(scope="module")
def target() -> Iterator[RunningServer]:
    running = RunningServer(env={"BLKG_SPARQL_TIMEOUT": str(SPARQL_TIMEOUT)}).wait_ready()
    with httpx.Client(base_url=running.url, timeout=30) as http:
        http.get("/sparql", params={"query": "ASK {}"})  # the workers are up
    yield running
    running.stop()


@dataclass
class Siege:
    """What happened while an attack ran: its answers and the normal answers meanwhile."""

    attacks: list[tuple[httpx.Response, float]] = field(default_factory=list)
    normal: list[tuple[httpx.Response, float]] = field(default_factory=list)

    def slowest_attack(self) -> float:
        return max(seconds for _, seconds in self.attacks)

    def slowest_normal(self) -> float:
        return max(seconds for _, seconds in self.normal)


def timed(send: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def siege(url: str, attack: Callable[[httpx.Client, int], httpx.Response], threads: int,
          rounds: int, normal: Callable[[httpx.Client, int], httpx.Response]) -> Siege:  # fmt: skip
    """Run `rounds` attack requests in each of `threads` threads, normal requests meanwhile."""
    result = Siege()
    lock = threading.Lock()

    def attacker(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            for n in range(rounds):
                answer = timed(lambda n=n: attack(http, offset * rounds + n))
                with lock:
                    result.attacks.append(answer)

    workers = [threading.Thread(target=attacker, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    with httpx.Client(base_url=url, timeout=60) as http:
        time.sleep(0.1)  # let the attack begin
        n = 0
        while any(worker.is_alive() for worker in workers) or n < 3:
            result.normal.append(timed(lambda n=n: normal(http, n)))
            n += 1
            time.sleep(0.05)
    for worker in workers:
        worker.join()
    return result


def report(section: str, result: Siege) -> None:
    statuses = Counter(r.status_code for r, _ in result.attacks + result.normal)
    figures.count(section, statuses, intended=(503, 504))
    recorded = figures.FIGURES[section]
    figures.record(
        section,
        attacks=recorded.get("attacks", 0) + len(result.attacks),
        **{
            "slowest attack s": max(recorded.get("slowest attack s", 0.0), result.slowest_attack()),
            "slowest normal s": max(recorded.get("slowest normal s", 0.0), result.slowest_normal()),
        },
    )


# -- GraphQL -------------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "{ session(number: 2) { " + "extendedBy { " * depth + "number" + " }" * depth + " } }"


def fragment_bomb(levels: int) -> str:
    lines = ["fragment F0 on Framework { name }"]
    lines += [f"fragment F{i} on Framework {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels)]
    return "\n".join(lines) + f"\n{{ framework {{ ...F{levels - 1} }} }}"


LISTS_IN_LISTS = (
    "{ responsibilities { sessions { responsibilities { sessions { responsibilities "
    "{ sessions { number } } } } } } }"
)
GRAPHQL_ATTACKS = {
    # name: (query, the code it is refused with)
    "deep, just past the limit": (nested(LIMITS.max_query_depth + 1), "QUERY_TOO_DEEP"),
    "deep, 300 levels": (nested(300), "GRAPHQL_PARSE_FAILED"),
    "wide, 10,000 fields": ("{ framework { " + "name " * 10_000 + "} }", "TOO_MANY_TOKENS"),
    "aliased, 200 aliases": (
        "{ " + " ".join(f"a{i}: __typename" for i in range(200)) + " }",
        "TOO_MANY_ALIASES",
    ),
    "fragment cycle": (
        "fragment A on Framework { name ...B } fragment B on Framework { ...A } "
        "{ framework { ...A } }",
        "GRAPHQL_VALIDATION_FAILED",
    ),
    "fragment bomb, 2^39 fields": (fragment_bomb(40), "QUERY_TOO_COMPLEX"),
    "lists in lists, a million fields": (LISTS_IN_LISTS, "RESULT_TOO_LARGE"),
    "directive flood": (
        "{ framework " + "@include(if: true) " * 3000 + "{ name } }",
        "TOO_MANY_TOKENS",
    ),
    "brackets, 3000 deep": (
        "{ coverage(sessions: " + "[" * 3000 + "]" * 3000 + ") { totalDays } }",
        "GRAPHQL_PARSE_FAILED",
    ),
}
NORMAL_GRAPHQL = "{ session(number: 3) { title } }"


def normal_question(http: httpx.Client, n: int) -> httpx.Response:
    """Alternately a GraphQL and a SPARQL question (new each time: no cache answers it)."""
    if n % 2:
        return http.get("/sparql", params={"query": f"ASK {{ sess:3 ?p ?o }} # {n}"})
    return http.post("/graphql", json={"query": f"{NORMAL_GRAPHQL} # {n}"})


@pytest.mark.parametrize("name", list(GRAPHQL_ATTACKS))
def test_graphql_abuse_is_refused_fast_while_normal_queries_go_on(target, name):
    query, code = GRAPHQL_ATTACKS[name]

    def attack(http: httpx.Client, n: int) -> httpx.Response:
        return http.post("/graphql", json={"query": f"{query}\n# {n}"})

    result = siege(target.url, attack, threads=2, rounds=4, normal=normal_question)
    report("abuse graphql", result)
    for response, _ in result.attacks:
        assert_safe(response)
        assert response.status_code == 400
        assert error_codes(response.json()) == [code], response.text[:300]
    for response, _ in result.normal:
        assert response.status_code == 200, response.text[:300]
    assert result.slowest_attack() < 2.0
    assert result.slowest_normal() < 2.0


# -- SPARQL --------------------------------------------------------------------------------

STOPPED = {"QUERY_TIMEOUT", "QUERY_ABORTED", "RESULT_TOO_LARGE"}
SPARQL_ATTACKS = {
    # name: (query, the codes that may stop it)
    "cross product": ("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", STOPPED),
    "OPTIONAL chain": (
        "SELECT * { ?s ?p ?o "
        + " ".join(f"OPTIONAL {{ ?o{i} ?p{i} ?x{i} }}" for i in range(40))
        + " }",
        STOPPED,
    ),
    "nested OPTIONALs": (
        "SELECT (COUNT(*) AS ?n) { ?s0 ?p0 ?o0 "
        + "".join(f"OPTIONAL {{ ?o{i} ?p{i + 1} ?o{i + 1} " for i in range(30))
        + "}" * 30
        + " }",
        STOPPED,
    ),
    "property path over everything": (
        "SELECT * { ?s (<urn:p>|!<urn:p>)* ?o . ?o (<urn:p>|!<urn:p>)* ?x }",
        STOPPED,
    ),
    "string doubling": (
        "SELECT (STRLEN(?v30) AS ?n) { BIND(STR(123456789) AS ?v0) "
        + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(30))
        + " }",
        STOPPED,
    ),
    "SERVICE to another host": (
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        {"SERVICE_REFUSED"},
    ),
    "nested groups": ("SELECT * {" + "{" * 500 + "}" * 500 + "}", {"QUERY_SYNTAX"}),
    "update": ("LOAD <http://127.0.0.1:9/data.ttl>", {"UPDATE_REFUSED"}),
}


@pytest.mark.parametrize("name", list(SPARQL_ATTACKS))
def test_sparql_abuse_is_stopped_at_its_limit_while_normal_queries_go_on(target, name):
    query, codes = SPARQL_ATTACKS[name]

    def attack(http: httpx.Client, n: int) -> httpx.Response:
        return http.get("/sparql", params={"query": f"{query}\n# {n}"})

    rounds = 2 if codes & STOPPED else 4
    result = siege(target.url, attack, threads=1, rounds=rounds, normal=normal_question)
    report("abuse sparql", result)
    for response, _ in result.attacks:
        assert_safe(response, allowed_5xx=(503, 504))
        assert set(error_codes(response.json())) <= codes, response.text[:300]
        if response.status_code == 503:
            assert response.headers["retry-after"]
    for response, _ in result.normal:
        assert response.status_code == 200, response.text[:300]
    assert result.slowest_attack() < SPARQL_TIMEOUT + 2.0
    assert result.slowest_normal() < SPARQL_TIMEOUT
