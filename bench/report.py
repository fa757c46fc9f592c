"""The summary of one benchmark run: medians, ratios, the targets, and the printed table."""

from __future__ import annotations

import statistics

from bench import refusal

LABELS = {
    "ceiling": "ceiling: bare Starlette route, pre-serialised bytes",
    "blkg": "blkg serve (make serve), POST /graphql",
    "oxigraph": "Oxigraph server (Rust), in memory, SPARQL",
    "blkg-nocache": "blkg serve, BLKG_RESPONSE_CACHE=0",
    "blkg-fullpath-nocache": "blkg, cache off, no prepared plans (strawberry only)",
    "blkg-asyncio": "loop check: blkg on asyncio",
    "blkg-uvloop": "loop check: blkg on uvloop",
    "blkg-asyncio-nocache": "loop check: blkg on asyncio, cache off",
    "blkg-uvloop-nocache": "loop check: blkg on uvloop, cache off",
}
STARTUP_LIMIT_S = 1.5
RSS_LIMIT_MB = 150
P99_LIMIT_MS = 25
# "No faster than linearly": the fitted exponent may exceed 1 by the noise of one measurement
# on this machine, whose CPU runs at two speeds about 1.7x apart: log(1.7) / log(100) = 0.115.
GROWTH_LIMIT = 1.1


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _server_summary(runs: list[dict], single: dict | None) -> dict:
    return {
        "rps": _median(r["rps"] for r in runs),
        "p50_ms": _median(r["p50_ms"] for r in runs),
        "p99_ms": _median(r["p99_ms"] for r in runs),
        "p99_max_ms": max(r["p99_ms"] for r in runs),
        "errors": sum(r["non_2xx"] + r["socket_errors"] + r["failed"] for r in runs),
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "sampled": sum(r["sampled"] for r in runs),
        "wrong": sum(r["wrong"] for r in runs),
        "cpu_s": _median(r["cpu_s"] for r in runs),
        "other_cpu_s": max(r["other_cpu_s"] for r in runs),
        "rps_per_cpu_s": _median(r["rps_per_cpu_s"] for r in runs),
        "single_p50_ms": single["p50_ms"] if single else None,
        "single_rps": single["rps"] if single else None,
    }


def _ratio(runs: dict, top: str, bottom: str) -> dict:
    per_round = [a["rps"] / b["rps"] for a, b in zip(runs[top], runs[bottom], strict=True)]
    return {"median": statistics.median(per_round), "min": min(per_round), "rounds": per_round}


def summarise(results: dict) -> dict:
    runs = results["runs"]
    servers = {
        name: _server_summary(server_runs, results["single_connection"].get(name))
        for name, server_runs in runs.items()
    }
    ratios = {
        "blkg/oxigraph": _ratio(runs, "blkg", "oxigraph"),
        "blkg/ceiling": _ratio(runs, "blkg", "ceiling"),
        "blkg-nocache/ceiling": _ratio(runs, "blkg-nocache", "ceiling"),
        "blkg-nocache/oxigraph": _ratio(runs, "blkg-nocache", "oxigraph"),
        "blkg-fullpath-nocache/oxigraph": _ratio(runs, "blkg-fullpath-nocache", "oxigraph"),
    }
    blkg, memory = servers["blkg"], results["memory_after_mb"]["blkg"]
    sampled = sum(s["sampled"] for s in servers.values())
    wrong = sum(s["wrong"] for s in servers.values())
    errors = sum(s["errors"] for s in servers.values())
    targets = [
        {
            "target": "0. answers under load",
            "met": wrong == 0 and errors == 0 and all(results["first_answers_correct"].values()),
            "detail": f"{sampled} sampled answers, {wrong} differ from the uncached answer; "
            f"{errors} non-2xx or failed requests",
        },
        {
            "target": "1. >= 2x Oxigraph, p99 <= 25 ms",
            "met": ratios["blkg/oxigraph"]["median"] >= 2 and blkg["p99_ms"] <= P99_LIMIT_MS,
            "detail": f"{ratios['blkg/oxigraph']['median']:.2f}x Oxigraph (median of rounds), "
            f"p99 {blkg['p99_ms']:.1f} ms (worst round {blkg['p99_max_ms']:.1f} ms)",
        },
        {
            "target": "2. >= 50% of the ceiling",
            "met": ratios["blkg/ceiling"]["median"] >= 0.5,
            "detail": f"{100 * ratios['blkg/ceiling']['median']:.0f}% of the ceiling",
        },
        {
            "target": "3. cache off >= 5% of the ceiling",
            "met": ratios["blkg-nocache/ceiling"]["median"] >= 0.05,
            "detail": f"{100 * ratios['blkg-nocache/ceiling']['median']:.1f}% of the ceiling",
        },
        {
            "target": "4. start-up <= 1.5 s, RSS <= 150 MB",
            "met": results["startup_median_s"] <= STARTUP_LIMIT_S
            and memory["rss_mb"] <= RSS_LIMIT_MB,
            "detail": f"start-up {results['startup_median_s']:.2f} s (median of "
            f"{len(results['startup_s'])}, max {max(results['startup_s']):.2f} s), "
            f"RSS {memory['rss_mb']:.0f} MB (+{memory['children_rss_mb']:.0f} MB in "
            f"{memory['children']} SPARQL worker processes, "
            f"{memory['children_private_mb']:.0f} MB of it private)",
        },
    ]
    growth = results.get("growth")
    if growth:
        targets.append(
            {
                "target": "5. growth no faster than linear",
                "met": growth["k_load_validate"] <= GROWTH_LIMIT
                and growth["k_query_plan"] <= GROWTH_LIMIT,
                "detail": f"k = {growth['k_load_validate']:.2f} load+validation, "
                f"{growth['k_query_plan']:.2f} coverage query (limit {GROWTH_LIMIT})",
            }
        )
    else:
        targets.append({"target": "5. growth", "met": False, "detail": "not measured"})
    targets.append(
        {
            "target": "6. cache off >= Oxigraph",
            "met": ratios["blkg-nocache/oxigraph"]["median"] >= 1,
            "detail": f"{ratios['blkg-nocache/oxigraph']['median']:.2f}x Oxigraph with plans, "
            f"{ratios['blkg-fullpath-nocache/oxigraph']['median']:.2f}x without",
        }
    )
    variants = results["refusals"]
    measured = "; ".join(
        f"{v['variant']}: {v['refusals']} requests, statuses {v['statuses']}, "
        f"{v['server_cpu_ms_per_refusal']:.2f} ms CPU each, /health p50 "
        f"{v['health_p50_ms']:.1f} ms, p99 {v['health_p99_ms']:.1f} ms"
        for v in [*variants, *results.get("dear_answers", [])]
    )
    for number, target in enumerate(refusal.targets(variants), start=7):
        targets.append(
            {
                "target": f"{number}. {target['target']}",
                "met": target["met"],
                "detail": f"{target['value']} ms, worst variant ({measured})",
            }
        )
    return {"servers": servers, "ratios": ratios, "targets": targets}


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def render(results: dict) -> str:
    summary = results["summary"]
    settings = results["settings"]
    lines = [
        f"wrk -t2 -c{settings['connections']} -d{settings['duration']:g}s --timeout 30s, "
        f"{settings['rounds']} interleaved rounds after {settings['warmup']:g} s warm-up; "
        "medians of the rounds",
        "",
        f"{'server':<52} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'CPU s':>6} {'req/CPU s':>9} {'c1 p50 ms':>9} {'others':>6}",
    ]
    for name, s in summary["servers"].items():
        lines.append(
            f"{LABELS.get(name, name):<52} {_number(s['rps'], 0):>8} {_number(s['p50_ms'], 2):>7} "
            f"{_number(s['p99_ms'], 2):>7} {s['errors']:>6} {_number(s['cpu_s'], 1):>6} "
            f"{_number(s['rps_per_cpu_s'], 0):>9} {_number(s['single_p50_ms'], 2):>9} "
            f"{_number(s['other_cpu_s'], 1):>6}"
        )
    lines += [
        "(CPU s: the server's CPU seconds per run, SPARQL workers included; c1: one connection, "
        "the time per request; others: the most CPU seconds other processes took in one run)",
        "",
    ]
    for name, ratio in summary["ratios"].items():
        rounds = ", ".join(f"{r:.2f}" for r in ratio["rounds"])
        lines.append(f"ratio {name:<22} {ratio['median']:.3f} (rounds: {rounds})")
    startups = ", ".join(f"{s:.2f}" for s in results["startup_s"])
    lines.append(f"start-up to first answer: {startups} s")
    growth = results.get("growth")
    if growth:
        lines += [
            "",
            f"growth ({growth['relaxation']}; queries with "
            f"{', '.join(f'{k}={v}' for k, v in growth['environment'].items())}):",
            f"{'size':>5} {'triples':>8} {'sessions':>8} {'links':>7} {'answer kB':>9} "
            f"{'load s':>7} {'valid. s':>8} {'load+valid. s':>13} {'query ms':>9} "
            f"{'strawberry ms':>13}",
        ]
        for row in growth["rows"]:
            lines.append(
                f"{row['factor']:>4}x {row['triples']:>8,} {row['sessions']:>8,} "
                f"{row['session_links']:>7,} {row['answer_bytes'] / 1024:>9,.0f} "
                f"{row['load_s']:>7.2f} {row['validate_s']:>8.2f} {row['load_validate_s']:>13.2f} "
                f"{1000 * row['query_plan_s']:>9.2f} {1000 * row['query_full_s']:>13.1f}"
            )
        lines.append(
            f"fitted k (time ~ triples^k): load+validation {growth['k_load_validate']:.2f}, "
            f"query {growth['k_query_plan']:.2f}, strawberry execution "
            f"{growth['k_query_full']:.2f}; the answer's own size grows with k "
            f"{growth['k_answer_bytes']:.2f}"
        )
        for step in growth["steps"]:
            lines.append(
                f"  from {step['from']}x to {step['to']}x: k = {step['k_load_validate']:.2f} "
                f"load+validation, {step['k_query_plan']:.2f} query"
            )
    lines += ["", "targets:"]
    for target in summary["targets"]:
        mark = "met    " if target["met"] else "NOT MET"
        lines.append(f"  {mark} {target['target']:<36} {target['detail']}")
    return "\n".join(lines)


__all__ = ["render", "summarise"]
