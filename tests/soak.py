"""The soak test: a real `blkg serve` under many concurrent clients.

Clients on loopback send a fixed mix of GraphQL (POST and GET), SPARQL, export and IRI
requests, some repeated (answered from caches), some new each time (parsed, validated,
executed, queried in the workers): first a warm-up of a fixed number of requests (the same
work on a fast machine and a busy one), then for `duration` seconds. Measured: requests sent,
answers by status, transport errors, latency percentiles, and the resident memory of the
server and of its SPARQL workers once the warm-up is answered and at the end (the server idle
both times). Passing means no unintended answer or transport error, memory grown by less than
`max_growth_mb` after the warm-up, every kind of request answered, and the data folder exactly
as it was. The intended answers are 200, 304 and the server's load shedding: a 503 with
`Retry-After` and the code `SPARQL_BUSY`, `GRAPHQL_BUSY` or `OVERLOADED` (counted as shed, never
as an error).

Latency is a figure. `make soak` runs the long form (three minutes at 48 connections), which
also bounds p99 (`--max-p99-s`); `tests/test_soak.py` runs a short form inside `make test`,
which does not (a latency bound measures the machine as much as the server):

    python -m tests.soak --duration 180 --concurrency 48
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from blkg.resources import default_data_dir
from tests.conftest import RunningServer, client_limits
from tests.system import child_pids, folder_digest, rss_mb

SLUGS = [
    "affirmation", "change-agent", "contingent-rewards", "communication", "culture",
    "discipline", "flexibility", "focus", "ideals-beliefs", "input", "intellectual-stimulation",
    "monitoring-evaluating", "optimizer", "order", "outreach", "relationships", "resources",
    "situational-awareness", "visibility",
]  # fmt: skip
GRAPHQL = [
    *(f'{{ responsibility(slug: "{s}") {{ name sessions {{ number title }} }} }}' for s in SLUGS),
    *(f"{{ session(number: {n}) {{ title components {{ name }} }} }}" for n in range(1, 11)),
    *(f"{{ coverage(sessions: [{a}, {b}]) {{ uncovered {{ name }} totalDays }} }}"
      for a in range(1, 11) for b in (2, 7)),
    '{ sessions(addresses: "focus") { number title year } }',
    "{ responsibilities(secondOrderChange: POSITIVE) { name secondOrderRank correlation { r } } }",
    "{ framework { name } }",
]  # fmt: skip
SPARQL = [
    "SELECT ?s ?title WHERE { ?s a blf:Session ; rdfs:label ?title } ORDER BY ?s",
    "ASK { sess:3 ?p ?o }",
    "SELECT ?r (COUNT(?s) AS ?n) WHERE { ?s blf:addresses ?r } GROUP BY ?r",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a blf:Responsibility ; rdfs:label ?l }",
    "DESCRIBE sess:5",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
]
EXPORTS = [
    (fmt, graph) for fmt in ("turtle", "trig", "nt", "jsonld") for graph in ("all", "asserted")
]
IDS = [f"/id/session/{n}" for n in range(1, 11)] + [f"/id/responsibility/{s}" for s in SLUGS]
ACCEPTS = ["text/turtle", "application/ld+json", "text/html", "application/n-triples"]
KINDS = ("graphql", "sparql", "export", "iri")
NEW_EACH_TIME = 400  # distinct variants of each new-each-time request, more than the caches hold
INTENDED = {200, 304}
# The server's load shedding (SECURITY.md): refused at once with 503 and Retry-After, by design.
SHED_CODES = {"SPARQL_BUSY", "GRAPHQL_BUSY", "OVERLOADED"}
EXAMPLES = 5  # unintended answers and errors kept, to say what went wrong
Memory = dict[str, tuple[float, float]]  # process -> RSS MB (after warm-up, at the end)


@dataclass
class Tally:
    """What one phase (warm-up or measured) saw."""

    statuses: Counter = field(default_factory=Counter)
    shed: Counter = field(default_factory=Counter)  # load-shedding 503s by code
    errors: Counter = field(default_factory=Counter)  # transport errors by kind and cause
    answered: Counter = field(default_factory=Counter)  # intended answers by kind of request
    latencies: list[float] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.errors.values())

    @property
    def unintended(self) -> int:
        wrong = sum(n for status, n in self.statuses.items() if status not in INTENDED)
        return wrong - sum(self.shed.values()) + sum(self.errors.values())

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def note(self, example: str) -> None:
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


@dataclass
class Report:
    duration: float
    concurrency: int
    warmup: Tally
    measured: Tally
    memory_mb: Memory
    data_unchanged: bool

    def growth_mb(self) -> float:
        return sum(end - start for start, end in self.memory_mb.values())

    @property
    def unintended(self) -> int:
        return self.measured.unintended + self.warmup.unintended

    def lines(self) -> list[str]:
        m = self.measured
        memory = ", ".join(f"{k} {a:.1f}->{b:.1f}" for k, (a, b) in self.memory_mb.items())
        lines = [
            f"soak: {self.duration:g} s at {self.concurrency} connections, "
            f"{m.requests} requests ({m.requests / self.duration:.0f}/s) after "
            f"{self.warmup.requests} warm-up requests",
            f"soak: statuses {dict(sorted(m.statuses.items()))}, shed {dict(m.shed)}, transport "
            f"errors {dict(m.errors)}, unintended errors {self.unintended}",
            f"soak: latency p50 {m.percentile(0.5) * 1000:.1f} ms, p99 "
            f"{m.percentile(0.99) * 1000:.1f} ms, max {max(m.latencies, default=0) * 1000:.1f} ms",
            f"soak: RSS MB after warm-up -> end: {memory}; growth {self.growth_mb():+.1f} MB; "
            f"data folder unchanged: {self.data_unchanged}",
        ]
        examples = self.warmup.examples + m.examples
        return lines + [f"soak: unintended: {example}" for example in examples[:EXAMPLES]]


def pick(rng: random.Random, etags: dict) -> tuple[str, str, dict]:
    """One request of the mix: (kind, method and path, httpx options)."""
    roll = rng.random()
    nonce = rng.randrange(NEW_EACH_TIME) if rng.random() < 0.3 else None
    suffix = "" if nonce is None else f" # {nonce}"
    if roll < 0.40:
        return "graphql", "POST /graphql", {"json": {"query": rng.choice(GRAPHQL) + suffix}}
    if roll < 0.50:
        return "graphql", "GET /graphql", {"params": {"query": rng.choice(GRAPHQL) + suffix}}
    if roll < 0.70:
        return "sparql", "GET /sparql", {"params": {"query": rng.choice(SPARQL) + suffix}}
    if roll < 0.80:
        fmt, graph = rng.choice(EXPORTS)
        headers = {}
        if (fmt, graph) in etags and rng.random() < 0.5:
            headers["If-None-Match"] = etags[(fmt, graph)]
        return (
            "export",
            "GET /export",
            {"params": {"format": fmt, "graph": graph}, "headers": headers},
        )
    return "iri", "GET " + rng.choice(IDS), {"headers": {"Accept": rng.choice(ACCEPTS)}}


def shed_code(response: httpx.Response) -> str | None:
    """The code of a load-shedding refusal (503, Retry-After, a shedding code), else None."""
    if response.status_code != 503 or "retry-after" not in response.headers:
        return None
    try:
        codes = {e["extensions"]["code"] for e in response.json()["errors"]}
    except (ValueError, KeyError, TypeError):
        return None
    return codes.pop() if len(codes) == 1 and codes <= SHED_CODES else None


def cause(error: BaseException) -> str:
    """The error's kind and the operating system's error beneath it, if any."""
    seen: BaseException | None = error
    while seen is not None and not isinstance(seen, OSError):
        seen = seen.__cause__ or seen.__context__
    beneath = f" ({type(seen).__name__})" if seen is not None else ""
    return type(error).__name__ + beneath


async def client_loop(http: httpx.AsyncClient, rng: random.Random, etags: dict, tally: Tally,
                      more: Callable[[], bool]) -> None:  # fmt: skip
    """Send requests of the mix one after the other while `more()` says so."""
    while more():
        kind, target, options = pick(rng, etags)
        method, path = target.split(" ", 1)
        started = time.monotonic()
        try:
            response = await http.request(method, path, **options)
        except httpx.TransportError as error:
            tally.errors[cause(error)] += 1
            tally.note(f"{target}: {cause(error)}: {error}")
            continue
        tally.latencies.append(time.monotonic() - started)
        tally.statuses[response.status_code] += 1
        if response.status_code in INTENDED:
            tally.answered[kind] += 1
        elif code := shed_code(response):
            tally.shed[code] += 1
        else:
            tally.note(f"{target} -> {response.status_code} {response.text[:200]}")
        if kind == "export" and response.status_code == 200:
            params = options["params"]
            etags[(params["format"], params["graph"])] = response.headers["etag"]


class Budget:
    """A number of requests shared by all clients: `take()` is True while any is left."""

    def __init__(self, requests: int):
        self.left = requests

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


def memory(pid: int) -> dict[str, float]:
    workers = child_pids(pid)
    return {"server": rss_mb(pid), "workers": sum(rss_mb(child) for child in workers)}


async def soak(url: str, server_pid: int, duration: float, concurrency: int,
               warmup_requests: int) -> tuple[Tally, Tally, Memory]:  # fmt: skip
    warm, measured = Tally(), Tally()
    rngs = [random.Random(seed) for seed in range(concurrency)]
    etags: dict = {}
    limits = client_limits(concurrency, kept=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        budget = Budget(warmup_requests)
        await phase(http, rngs, etags, warm, budget.take)
        after_warmup = memory(server_pid)  # every warm-up answer is in: the server is idle
        deadline = time.monotonic() + duration
        await phase(http, rngs, etags, measured, lambda: time.monotonic() < deadline)
        # One more round trip after the last answer: the server is done with every request.
        await http.get("/health")
    at_end = memory(server_pid)
    return warm, measured, {k: (after_warmup[k], at_end[k]) for k in at_end}


async def phase(http: httpx.AsyncClient, rngs: list[random.Random], etags: dict, tally: Tally,
                more: Callable[[], bool]) -> None:  # fmt: skip
    """One client per connection, all until `more()` says stop; a client that fails stops all."""
    async with asyncio.TaskGroup() as clients:
        for rng in rngs:
            clients.create_task(client_loop(http, rng, etags, tally, more))


def run(duration: float, concurrency: int, warmup_requests: int,
        env: dict | None = None) -> Report:  # fmt: skip
    """Copy the data, serve it, soak the server, stop it; the report says what happened."""
    with tempfile.TemporaryDirectory(prefix="blkg-soak-") as scratch:
        data = Path(scratch) / "data"
        shutil.copytree(default_data_dir(), data)
        before = folder_digest(data)
        with RunningServer("--data", str(data), env=env) as server:
            warm, measured, rss = asyncio.run(
                soak(server.url, server.process.pid, duration, concurrency, warmup_requests)
            )
            alive = server.process.poll() is None
        unchanged = folder_digest(data) == before and alive
    return Report(duration, concurrency, warm, measured, rss, unchanged)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--duration", type=float, default=180.0, help="seconds measured (180)")
    parser.add_argument("--concurrency", type=int, default=48, help="connections (48)")
    parser.add_argument(
        "--warmup-requests", type=int, default=1000, help="requests of warm-up (1000)"
    )
    parser.add_argument("--max-growth-mb", type=float, default=48.0, help="memory bound (48)")
    parser.add_argument("--max-p99-s", type=float, default=2.0, help="p99 bound in s (2)")
    args = parser.parse_args(argv)
    report = run(args.duration, args.concurrency, args.warmup_requests)
    for line in report.lines():
        print(line)
    failures = problems(report, args.max_growth_mb, args.max_p99_s)
    for failure in failures:
        print(f"soak: FAILED: {failure}", file=sys.stderr)
    print("soak: passed" if not failures else "soak: failed")
    return 1 if failures else 0


def problems(report: Report, max_growth_mb: float, max_p99_s: float | None = None) -> list[str]:
    """What is wrong with the soak's outcome (p99 only when a bound is given)."""
    found = []
    if report.unintended:
        found.append(f"{report.unintended} unintended errors")
    if report.growth_mb() > max_growth_mb:
        found.append(f"memory grew {report.growth_mb():.1f} MB (bound {max_growth_mb:g})")
    if max_p99_s is not None and report.measured.percentile(0.99) > max_p99_s:
        found.append(f"p99 {report.measured.percentile(0.99):.3f} s (bound {max_p99_s:g})")
    if not report.data_unchanged:
        found.append("the data folder changed, or the server died")
    if report.measured.requests == 0:
        found.append("no request was measured")
    unanswered = [kind for kind in KINDS if not report.measured.answered[kind]]
    if report.measured.requests and unanswered:
        found.append(f"no {' or '.join(unanswered)} request was answered")
    return found


__all__ = ["Report", "Tally", "main", "problems", "run"]


if __name__ == "__main__":
    sys.exit(main())
