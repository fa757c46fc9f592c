"""What refusing over-budget GraphQL queries costs the server, and `/health` meanwhile.

Four clients send over-budget queries back to back (lists nested in lists, varied by an
alias), while a process of its own asks `/health` at
a steady pace (`python -m bench.refusal PORT SECONDS`). The figures: the server's CPU time
per refusal (the event loop it takes from everybody else), the refusals' latency, and
`/health`'s p50 and p99 meanwhile. Two variants: every query text distinct, and every text
sent twice (in request bodies that differ, so the response cache does not answer the second:
the server's document cache keeps a text from its second sighting, so this variant fills it).
Targets (issue 9): a
refusal costs at most 50 ms of the loop; `/health` p99 stays under 50 ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time

import orjson

from bench import servers

CLIENTS = 4
HEALTH_EVERY_S = 0.02
REFUSAL_LIMIT_MS = 50
HEALTH_P99_LIMIT_MS = 50


def over_budget(n: int, sightings: int = 1) -> bytes:
    """The `n`th request: its query text is the same for `sightings` requests in a row; the
    bodies differ by spaces in the JSON."""
    inner = "number"
    for level in range(6, 0, -1):
        inner = f"{'sessions' if level % 2 else 'responsibilities'} {{ {inner} }}"
    text, sighting = divmod(n, sightings)
    spaces = " " * sighting
    return f'{{{spaces}"query": "{{ a{text}: responsibilities {{ {inner} }} }}"}}'.encode()


def probe_health(port: int, seconds: float) -> list[float]:
    """Latencies of `GET /health` asked every `HEALTH_EVERY_S` for `seconds`."""
    latencies = []
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        started = time.perf_counter()
        servers.request(port, "GET", "/health", None, {}, 30)
        latencies.append(time.perf_counter() - started)
        time.sleep(HEALTH_EVERY_S)
    return latencies


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(server: servers.Server, seconds: float, sightings: int = 1) -> dict:
    stop = threading.Event()
    refusals: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(10**9))

    def attacker() -> None:
        while not stop.is_set():
            with lock:
                n = next(counter)
            started = time.perf_counter()
            status, _ = servers.request(
                server.port,
                "POST",
                "/graphql",
                over_budget(n, sightings),
                {"Content-Type": "application/json"},
                30,
            )
            elapsed = time.perf_counter() - started
            with lock:
                refusals.append(elapsed)
                statuses[str(status)] = statuses.get(str(status), 0) + 1

    threads = [threading.Thread(target=attacker) for _ in range(CLIENTS)]
    cpu_before = servers.cpu_seconds(server.process.pid)
    # The prober is a process of its own, so the attackers' threads do not delay it.
    command = [sys.executable, "-m", "bench.refusal", str(server.port), str(seconds)]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as probing:
        for thread in threads:
            thread.start()
        try:
            health = orjson.loads(probing.communicate(timeout=seconds + 60)[0])
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    cpu = servers.cpu_seconds(server.process.pid) - cpu_before
    return {
        "clients": CLIENTS,
        "sightings": sightings,
        "refusals": len(refusals),
        "statuses": statuses,
        "server_cpu_ms_per_refusal": 1000 * cpu / max(1, len(refusals)),
        "refusal_p50_ms": 1000 * statistics.median(refusals),
        "refusal_p99_ms": 1000 * _percentile(refusals, 0.99),
        "health_requests": len(health),
        "health_p50_ms": 1000 * statistics.median(health),
        "health_p99_ms": 1000 * _percentile(health, 0.99),
    }


def targets(results: list[dict]) -> list[dict]:
    """The targets, each met by the worst of the variants measured."""
    cpu = max(result["server_cpu_ms_per_refusal"] for result in results)
    health = max(result["health_p99_ms"] for result in results)
    return [
        {
            "target": f"a refusal costs at most {REFUSAL_LIMIT_MS} ms of the server's loop",
            "value": round(cpu, 2),
            "met": cpu <= REFUSAL_LIMIT_MS,
        },
        {
            "target": f"/health p99 under {HEALTH_P99_LIMIT_MS} ms during {CLIENTS} "
            "clients' over-budget queries",
            "value": round(health, 2),
            "met": health < HEALTH_P99_LIMIT_MS,
        },
    ]


__all__ = ["measure", "targets"]


if __name__ == "__main__":
    sys.stdout.write(orjson.dumps(probe_health(int(sys.argv[1]), float(sys.argv[2]))).decode())
