"""`python -m bench`: start every server, load them in interleaved rounds, check the answers,
measure start-up, memory and growth, print the table and write it as JSON."""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import orjson

from bench import growth, refusal, report, servers, tools, wrk
from bench.questions import rows_from_graphql, rows_from_sparql
from bench.sampler import Sampler

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=8, help="seconds per wrk run (8)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds per server (2)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--starts", type=int, default=5, help="start-up measurements (5)")
    parser.add_argument("--no-growth", action="store_true", help="skip the growth measurement")
    parser.add_argument(
        "--loops", action="store_true", help="also load blkg on the asyncio and uvloop loops"
    )
    return parser.parse_args(argv)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _output(command: list[str]) -> bytes:
    completed = subprocess.run(command, capture_output=True, cwd=ROOT)
    if completed.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{completed.stderr.decode()}")
    return completed.stdout


def wait_quiet(limit_cores: float = 0.25, timeout: float = 120) -> float:
    """Wait until the machine's other processes use less than `limit_cores` over a second;
    return the seconds waited (the benchmark shares this machine's two cores)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        before = wrk.busy_cpu()
        time.sleep(1)
        if wrk.busy_cpu() - before < limit_cores:
            break
    else:
        _log("bench: warning: the machine stayed busy; measuring anyway")
    return time.perf_counter() - started


def _environment(wrk_path: str, oxigraph_path: str) -> dict:
    from importlib.metadata import version

    packages = ("uvicorn", "uvloop", "httptools", "starlette", "strawberry-graphql", "rdflib")
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "wrk": tools.version([wrk_path, "-v"]),
        "oxigraph": tools.version([oxigraph_path, "--version"]),
        **{name: version(name) for name in packages},
    }


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    wrk_path, oxigraph_path = tools.ensure_wrk(), tools.ensure_oxigraph()
    RESULTS.mkdir(parents=True, exist_ok=True)
    logs = RESULTS / "logs"
    environment = _environment(wrk_path, oxigraph_path)
    blkg_command = str(Path(sys.executable).parent / "blkg")

    _log("bench: exporting the graph as Turtle and computing the uncached answer ...")
    turtle = _output([blkg_command, "export", "--format", "turtle", "--graph", "all"])
    reference = _output([sys.executable, "-m", "bench.probe", "reference"])
    reference_rows = rows_from_graphql(reference)
    body_file = RESULTS / "ceiling-body.json"
    body_file.write_bytes(reference)

    def same_bytes(body: bytes) -> bool:
        return body == reference

    def same_rows(body: bytes) -> bool:
        return rows_from_sparql(body) == reference_rows

    # Byte-compile the package, as its first start (or a wheel install) would: this machine sets
    # PYTHONDONTWRITEBYTECODE=1, which would otherwise leave every start compiling the sources.
    compileall.compile_dir(ROOT / "server" / "blkg", quiet=1)

    with ExitStack() as running:
        _log(f"bench: measuring start-up of `blkg serve` ({args.starts} starts) ...")
        startups, waited = [], []
        for _ in range(args.starts - 1):
            waited.append(wait_quiet())
            probe = servers.start_blkg("blkg-startup", logs)
            startups.append(probe.startup_s)
            probe.stop()
        waited.append(wait_quiet())
        blkg = servers.start_blkg("blkg", logs)
        running.callback(blkg.stop)
        startups.append(blkg.startup_s)

        _log("bench: starting the other servers ...")
        started = [
            (
                "ceiling",
                servers.start_python_server(
                    "ceiling", "bench.ceiling", ["--body", str(body_file)], logs
                ),
                same_bytes,
            ),
            ("blkg", blkg, same_bytes),
            ("oxigraph", servers.start_oxigraph(oxigraph_path, turtle, logs), same_rows),
            (
                "blkg-nocache",
                servers.start_blkg("blkg-nocache", logs, env={"BLKG_RESPONSE_CACHE": "0"}),
                same_bytes,
            ),
            (
                "blkg-fullpath-nocache",
                servers.start_python_server(
                    "blkg-fullpath-nocache",
                    "bench.variant",
                    ["--full-path"],
                    logs,
                    env={"BLKG_RESPONSE_CACHE": "0"},
                ),
                same_bytes,
            ),
        ]
        if args.loops:
            for cache in ("1", "0"):
                for loop in ("asyncio", "uvloop"):
                    name = f"blkg-{loop}" + ("-nocache" if cache == "0" else "")
                    variant = servers.start_python_server(
                        name,
                        "bench.variant",
                        ["--loop", loop],
                        logs,
                        env={"BLKG_RESPONSE_CACHE": cache},
                    )
                    started.append((name, variant, same_bytes))
        for _, server, _ in started:
            if server is not blkg:
                running.callback(server.stop)

        first_answers = {}
        for name, server, expected in started:
            status, body = server.ask()
            first_answers[name] = status == 200 and expected(body)
            if not first_answers[name]:
                raise SystemExit(f"bench: {name} gives a wrong answer ({status}): {body[:300]!r}")

        _log("bench: warm-up and single-connection pass ...")
        single = {}
        for name, server, _ in started:
            wrk.run(wrk_path, server, args.warmup, args.connections)
            single[name] = wrk.run(wrk_path, server, 3, connections=1, threads=1)

        runs: dict[str, list[dict]] = {name: [] for name, _, _ in started}
        for round_number in range(args.rounds):
            shift = round_number % len(started)
            order = started[shift:] + started[:shift]
            waited.append(wait_quiet())
            _log(f"bench: round {round_number + 1}/{args.rounds}: {[n for n, _, _ in order]}")
            for name, server, expected in order:
                sampler = Sampler(server, expected)
                sampler.start()
                result = wrk.run(wrk_path, server, args.duration, args.connections)
                result.update(sampler.stop())
                result["round"] = round_number + 1
                runs[name].append(result)
                time.sleep(0.5)

        memory = {name: server.memory_mb() for name, server, _ in started}

        _log("bench: over-budget GraphQL queries from 4 clients, /health probed meanwhile ...")
        waited.append(wait_quiet())
        refusals = [refusal.measure(blkg, args.duration, name) for name in refusal.VARIANTS]
        dear_answers = [refusal.measure(blkg, args.duration, name) for name in refusal.ANSWERS]

    growth_result = None
    if not args.no_growth:
        _log("bench: growth (synthetic data 10x and 100x; takes about a minute) ...")
        growth_result = growth.measure(log=_log)

    results = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "settings": vars(args),
        "environment": environment,
        "first_answers_correct": first_answers,
        "waited_for_quiet_s": waited,
        "startup_s": startups,
        "startup_median_s": statistics.median(startups),
        "memory_after_mb": memory,
        "single_connection": single,
        "runs": runs,
        "growth": growth_result,
        "refusals": refusals,
        "dear_answers": dear_answers,
    }
    results["summary"] = report.summarise(results)
    text = report.render(results)
    print(text)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for path in (RESULTS / f"bench-{stamp}.json", RESULTS / "latest.json"):
        path.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    (RESULTS / "latest.txt").write_text(text + "\n")
    _log(f"bench: written to {RESULTS / f'bench-{stamp}.json'}")
    return 0 if all(t["met"] for t in results["summary"]["targets"]) else 1


__all__ = ["main"]
