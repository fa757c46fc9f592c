"""The soak test: a real `blkg serve` under many concurrent clients for a bounded time.

Clients on loopback send a fixed mix of GraphQL (POST and GET), SPARQL, export and IRI
requests, some repeated (answered from caches), some new each time (parsed, validated,
executed, queried in the workers), for `duration` seconds after a warm-up. Measured: requests
sent, answers by status, transport errors, latency percentiles, and the resident memory of the
server and of its SPARQL workers at the end of the warm-up and at the end. Passing means no
unintended error, memory grown by less than `max_growth_mb` after the warm-up, p99 under
`max_p99_s`, and the data folder exactly as it was.

`make soak` runs the long form (three minutes at 48 connections) and prints the figures;
`tests/test_soak.py` runs a short form inside `make test`:

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
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from blkg.resources import default_data_dir
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
NEW_EACH_TIME = 400  # distinct variants of each new-each-time request, more than the caches hold
INTENDED = {200, 304}


@dataclass
class Tally:
    """What one phase (warm-up or measured) saw."""

    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # transport errors by kind
    latencies: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.errors.values())

    @property
    def unintended(self) -> int:
        wrong = sum(n for status, n in self.statuses.items() if status not in INTENDED)
        return wrong + sum(self.errors.values())

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass
class Report:
    duration: float
    concurrency: int
    warmup: Tally
    measured: Tally
    memory_mb: dict[str, tuple[float, float]]  # process -> (after warm-up, at the end)
    data_unchanged: bool

    def growth_mb(self) -> float:
        return sum(end - start for start, end in self.memory_mb.values())

    def lines(self) -> list[str]:
        m = self.measured
        memory = ", ".join(f"{k} {a:.1f}->{b:.1f}" for k, (a, b) in self.memory_mb.items())
        return [
            f"soak: {self.duration:g} s at {self.concurrency} connections, "
            f"{m.requests} requests ({m.requests / self.duration:.0f}/s) after "
            f"{self.warmup.requests} warm-up requests",
            f"soak: statuses {dict(sorted(m.statuses.items()))}, transport errors "
            f"{dict(m.errors)}, unintended errors {m.unintended + self.warmup.unintended}",
            f"soak: latency p50 {m.percentile(0.5) * 1000:.1f} ms, p99 "
            f"{m.percentile(0.99) * 1000:.1f} ms, max {max(m.latencies, default=0) * 1000:.1f} ms",
            f"soak: RSS MB after warm-up -> end: {memory}; growth {self.growth_mb():+.1f} MB; "
            f"data folder unchanged: {self.data_unchanged}",
        ]


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


async def client_loop(http: httpx.AsyncClient, seed: int, phases: list[tuple[float, Tally]],
                      etags: dict) -> None:  # fmt: skip
    rng = random.Random(seed)
    for deadline, tally in phases:
        while time.monotonic() < deadline:
            kind, target, options = pick(rng, etags)
            method, path = target.split(" ", 1)
            started = time.monotonic()
            try:
                response = await http.request(method, path, **options)
            except httpx.TransportError as error:
                tally.errors[type(error).__name__] += 1
                continue
            tally.latencies.append(time.monotonic() - started)
            tally.statuses[response.status_code] += 1
            if kind == "export" and response.status_code == 200:
                params = options["params"]
                etags[(params["format"], params["graph"])] = response.headers["etag"]


def memory(pid: int) -> dict[str, float]:
    workers = child_pids(pid)
    return {"server": rss_mb(pid), "workers": sum(rss_mb(child) for child in workers)}


async def soak(url: str, server_pid: int, duration: float, concurrency: int,
               warmup: float) -> tuple[Tally, Tally, dict[str, tuple[float, float]]]:  # fmt: skip
    warm, measured = Tally(), Tally()
    start = time.monotonic()
    phases = [(start + warmup, warm), (start + warmup + duration, measured)]
    etags: dict = {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        clients = [
            asyncio.create_task(client_loop(http, seed, phases, etags))
            for seed in range(concurrency)
        ]
        await asyncio.sleep(max(0.0, start + warmup - time.monotonic()))
        after_warmup = memory(server_pid)
        await asyncio.gather(*clients)
    await asyncio.sleep(0.5)  # let the last answers' garbage go
    at_end = memory(server_pid)
    return warm, measured, {k: (after_warmup[k], at_end[k]) for k in at_end}


def run(duration: float, concurrency: int, warmup: float, env: dict | None = None) -> Report:
    """Copy the data, serve it, soak the server, stop it; the report says what happened."""
    from tests.conftest import RunningServer

    with tempfile.TemporaryDirectory(prefix="blkg-soak-") as scratch:
        data = Path(scratch) / "data"
        shutil.copytree(default_data_dir(), data)
        before = folder_digest(data)
        server = RunningServer("--data", str(data), env=env).wait_ready()
        try:
            warm, measured, rss = asyncio.run(
                soak(server.url, server.process.pid, duration, concurrency, warmup)
            )
            alive = server.process.poll() is None
        finally:
            server.stop()
        unchanged = folder_digest(data) == before and alive
    return Report(duration, concurrency, warm, measured, rss, unchanged)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--duration", type=float, default=180.0, help="seconds measured (180)")
    parser.add_argument("--concurrency", type=int, default=48, help="connections (48)")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of warm-up (10)")
    parser.add_argument("--max-growth-mb", type=float, default=48.0, help="memory bound (48)")
    parser.add_argument("--max-p99-s", type=float, default=2.0, help="p99 bound in s (2)")
    args = parser.parse_args(argv)
    report = run(args.duration, args.concurrency, args.warmup)
    for line in report.lines():
        print(line)
    failures = problems(report, args.max_growth_mb, args.max_p99_s)
    for failure in failures:
        print(f"soak: FAILED: {failure}", file=sys.stderr)
    print("soak: passed" if not failures else "soak: failed")
    return 1 if failures else 0


def problems(report: Report, max_growth_mb: float, max_p99_s: float) -> list[str]:
    found = []
    unintended = report.measured.unintended + report.warmup.unintended
    if unintended:
        found.append(f"{unintended} unintended errors")
    if report.growth_mb() > max_growth_mb:
        found.append(f"memory grew {report.growth_mb():.1f} MB (bound {max_growth_mb:g})")
    if report.measured.percentile(0.99) > max_p99_s:
        found.append(f"p99 {report.measured.percentile(0.99):.3f} s (bound {max_p99_s:g})")
    if not report.data_unchanged:
        found.append("the data folder changed, or the server died")
    if report.measured.requests == 0:
        found.append("no request was measured")
    return found


__all__ = ["Report", "Tally", "main", "problems", "run"]


if __name__ == "__main__":
    sys.exit(main())
