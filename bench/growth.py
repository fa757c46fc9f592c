"""Growth: load + validation time and the coverage question's latency on synthetic data 10x
and 100x the size of the shipped graph, with the exponent k of a log-log fit (time ~ size^k).

Size is the number of triples served (ontology, data and inferred). Each measurement runs in
a fresh process (`bench.probe growth`); the smaller sizes are measured three times and the
median kept, since one process can run at either of this machine's two speeds.
"""

from __future__ import annotations

import itertools
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson

from bench.synthetic import RELAXATION, write_scaled

FACTORS = (1, 10, 100)


# The 100x answer resolves about 55,000 fields, past the server's default limit on one query
# (BLKG_MAX_RESOLVED_FIELDS, 20,000); the probes lift it to measure the query's growth.
PROBE_ENVIRONMENT = {"BLKG_MAX_RESOLVED_FIELDS": "10000000"}


def _probe(*args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.probe", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **PROBE_ENVIRONMENT},
    )
    if completed.returncode != 0:
        raise SystemExit(f"bench: growth probe {args} failed:\n{completed.stderr}")
    return orjson.loads(completed.stdout.strip().splitlines()[-1])


def fit_exponent(sizes: list[float], times: list[float]) -> float:
    """Least-squares slope of log(time) against log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def _median_probe(folder: Path, repeats: int) -> dict:
    runs = [_probe("growth", str(folder)) for _ in range(repeats)]
    merged = dict(runs[0])
    for key in ("load_s", "validate_s", "read_layer_s", "query_full_s", "query_plan_s"):
        merged[key] = statistics.median(run[key] for run in runs)
    merged["load_validate_s"] = statistics.median(r["load_s"] + r["validate_s"] for r in runs)
    merged["runs"] = repeats
    return merged


def measure(factors: tuple[int, ...] = FACTORS, log=print) -> dict:
    with tempfile.TemporaryDirectory(prefix="blkg-growth-") as workdir:
        work = Path(workdir)
        calibration = _probe("calibrate", str(work / "calibration"))
        base, per_session = calibration["base"], calibration["per_session"]
        rows = []
        for factor in factors:
            sessions = round((factor - 1) * base / per_session)
            folder = work / f"x{factor}"
            write_scaled(folder, sessions)
            log(f"bench: growth {factor}x: {sessions} synthetic sessions ...")
            rows.append({"factor": factor, **_median_probe(folder, 3 if factor < 100 else 1)})
    sizes = [row["triples"] for row in rows]
    steps = [
        {
            "from": a["factor"],
            "to": b["factor"],
            "k_load_validate": fit_exponent(
                [a["triples"], b["triples"]], [a["load_validate_s"], b["load_validate_s"]]
            ),
            "k_query_plan": fit_exponent(
                [a["triples"], b["triples"]], [a["query_plan_s"], b["query_plan_s"]]
            ),
        }
        for a, b in itertools.pairwise(rows)
    ]
    return {
        "environment": PROBE_ENVIRONMENT,
        "steps": steps,
        "relaxation": RELAXATION,
        "rows": rows,
        "k_load_validate": fit_exponent(sizes, [r["load_validate_s"] for r in rows]),
        "k_query_plan": fit_exponent(sizes, [r["query_plan_s"] for r in rows]),
        "k_query_full": fit_exponent(sizes, [r["query_full_s"] for r in rows]),
        "k_answer_bytes": fit_exponent(sizes, [r["answer_bytes"] for r in rows]),
    }


__all__ = ["FACTORS", "fit_exponent", "measure"]
