"""Query abuse: hostile GraphQL and SPARQL queries are refused with their code, or stopped at
their limit, and a normal query sent while the attack goes on is still answered, correctly.

Each attack runs in two threads (GraphQL) or one (SPARQL, which has two workers: one for the
attack, one left for everybody else), each request a new variant so no cache answers it,
while the main thread keeps asking normal questions, from the attack's first request until
its last answer. A SPARQL attack request waits until the pool is whole again (a stopped
query's worker is replaced in the background: no worker of the server is ending, and
`/health` counts them all ready), so the attack holds one worker at a time, as one attacker
would. How long the answers took is a figure (requests, the slowest attack answer, the
slowest normal answer, normal answers that overlapped an attack request), printed at the end
of the run, never a pass mark: it measures the machine as much as the server.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest

from blkg.config import Limits
from tests import figures
from tests.conftest import RunningServer, http_client, wait_for
from tests.safety import assert_safe, error_codes
from tests.system import child_pids, ending

SPARQL_TIMEOUT = 2.0
LIMITS = Limits()
MIN_NORMAL = 3  # normal questions asked at least, however fast the attack ends
PACE_SECONDS = 0.05  # between two normal questions (pacing, not ordering)
GUARD_SECONDS = 120  # only guards against a hang


@pytest.fixture(scope="module")
def target() -> Iterator[RunningServer]:
    with RunningServer(env={"BLKG_SPARQL_TIMEOUT": str(SPARQL_TIMEOUT)}) as running:
        with http_client(running.url) as http:
            until_the_pool_is_whole(running, http)
        yield running


def pool_is_whole(server: RunningServer, http: httpx.Client) -> bool:
    """Every SPARQL worker runs and is ready: none is being stopped (killed at the time limit,
    whether or not the server has reaped it yet) or replaced (started, not yet ready)."""
    workers = child_pids(server.process.pid)
    if any(ending(pid) for pid in workers):
        return False
    pool = http.get("/health").json().get("sparql")
    return pool is None or pool["workers"] == pool["size"] == len(workers)


def until_the_pool_is_whole(server: RunningServer, http: httpx.Client) -> None:
    wait_for(lambda: pool_is_whole(server, http), "the SPARQL pool to be whole")


@dataclass
class Answer:
    response: httpx.Response
    started: float
    ended: float

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclass
class Siege:
    """What happened while an attack ran: its answers and the normal answers meanwhile."""

    attacks: list[Answer] = field(default_factory=list)
    normal: list[Answer] = field(default_factory=list)

    def slowest_attack(self) -> float:
        return max(answer.seconds for answer in self.attacks)

    def slowest_normal(self) -> float:
        return max(answer.seconds for answer in self.normal)

    def normal_during_attack(self) -> int:
        """Normal answers whose request overlapped an attack request."""
        return sum(
            any(a.started < n.ended and n.started < a.ended for a in self.attacks)
            for n in self.normal
        )


def timed(send: Callable[[], httpx.Response]) -> Answer:
    started = time.monotonic()
    response = send()
    return Answer(response, started, time.monotonic())


Ask = Callable[[httpx.Client, int], httpx.Response]


def siege(url: str, attack: Ask, threads: int, rounds: int, normal: Ask,
          before_each: Callable[[httpx.Client], None] | None = None) -> Siege:  # fmt: skip
    """Run `rounds` attack requests in each of `threads` threads (`before_each` first waits
    for whatever each needs), and normal requests from the attack's first request until its
    last answer (at least `MIN_NORMAL`)."""
    result = Siege()
    lock = threading.Lock()
    begun, over = threading.Event(), threading.Event()
    running = [threads]

    def attacker(offset: int) -> None:
        try:
            with http_client(url, timeout=60) as http:
                for n in range(rounds):
                    if before_each:
                        before_each(http)
                    begun.set()
                    answer = timed(lambda n=n: attack(http, offset * rounds + n))
                    with lock:
                        result.attacks.append(answer)
        finally:
            begun.set()  # an attacker that fails must not leave the main thread waiting
            with lock:
                running[0] -= 1
                if not running[0]:
                    over.set()

    with ThreadPoolExecutor(threads) as pool:
        attackers = [pool.submit(attacker, t) for t in range(threads)]
        try:
            assert begun.wait(GUARD_SECONDS), "the attack never began"
            with http_client(url, timeout=60) as http:
                n = 0
                while n < MIN_NORMAL or not over.is_set():
                    result.normal.append(timed(lambda n=n: normal(http, n)))
                    n += 1
                    over.wait(PACE_SECONDS)
        finally:
            for done in attackers:
                done.result(timeout=GUARD_SECONDS)  # an attacker's error fails the test here
    return result


def report(section: str, result: Siege) -> None:
    statuses = Counter(a.response.status_code for a in result.attacks + result.normal)
    figures.count(section, statuses, intended=(503, 504))
    recorded = figures.FIGURES[section]
    figures.record(
        section,
        attacks=recorded.get("attacks", 0) + len(result.attacks),
        **{
            "slowest attack s": max(recorded.get("slowest attack s", 0.0), result.slowest_attack()),
            "slowest normal s": max(recorded.get("slowest normal s", 0.0), result.slowest_normal()),
            "normal answers during an attack": recorded.get("normal answers during an attack", 0)
            + result.normal_during_attack(),
        },
    )


# -- normal questions ----------------------------------------------------------------------

NORMAL_GRAPHQL = "{ session(number: 3) { title } }"


def normal_question(http: httpx.Client, n: int) -> httpx.Response:
    """Alternately a GraphQL and a SPARQL question (new each time: no cache answers it)."""
    if n % 2:
        return http.get("/sparql", params={"query": f"ASK {{ sess:3 ?p ?o }} # {n}"})
    return http.post("/graphql", json={"query": f"{NORMAL_GRAPHQL} # {n}"})


@pytest.fixture(scope="module")
def normal_answers(target) -> list[object]:
    """The answers to the two normal questions with no attack going on."""
    with http_client(target.url) as http:
        answers = [normal_question(http, n) for n in (-2, -1)]
    assert [answer.status_code for answer in answers] == [200, 200]
    return [answer.json() for answer in answers]


def assert_answered_correctly(result: Siege, expected: list[object]) -> None:
    for n, answer in enumerate(result.normal):
        response = answer.response
        assert response.status_code == 200, response.text[:300]
        assert response.json() == expected[n % 2], response.text[:300]


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


@pytest.mark.parametrize("name", list(GRAPHQL_ATTACKS))
def test_graphql_abuse_is_refused_while_normal_queries_are_answered(target, normal_answers, name):
    query, code = GRAPHQL_ATTACKS[name]

    def attack(http: httpx.Client, n: int) -> httpx.Response:
        return http.post("/graphql", json={"query": f"{query}\n# {n}"})

    result = siege(target.url, attack, threads=2, rounds=4, normal=normal_question)
    report("abuse graphql", result)
    for answer in result.attacks:
        assert_safe(answer.response)
        assert answer.response.status_code == 400
        assert error_codes(answer.response.json()) == [code], answer.response.text[:300]
    assert_answered_correctly(result, normal_answers)


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
def test_sparql_abuse_is_stopped_at_its_limit_while_normal_queries_are_answered(
    target, normal_answers, name
):
    query, codes = SPARQL_ATTACKS[name]

    def attack(http: httpx.Client, n: int) -> httpx.Response:
        return http.get("/sparql", params={"query": f"{query}\n# {n}"})

    rounds = 2 if codes & STOPPED else 4
    result = siege(target.url, attack, threads=1, rounds=rounds, normal=normal_question,
                   before_each=lambda http: until_the_pool_is_whole(target, http))  # fmt: skip
    report("abuse sparql", result)
    for answer in result.attacks:
        response = answer.response
        assert_safe(response, allowed_5xx=(503, 504))
        assert set(error_codes(response.json())) <= codes, response.text[:300]
        if response.status_code == 503:
            assert response.headers["retry-after"]
    assert_answered_correctly(result, normal_answers)
