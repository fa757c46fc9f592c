"""The soak test in its short form (see tests/soak.py; `make soak` runs the long form).

Twenty seconds at 32 connections after a five-second warm-up, on a copy of the data: no
unintended error, memory grown by at most a small bound after the warm-up, p99 bounded, the
data folder untouched. The figures go to the end-of-run summary.
"""

from __future__ import annotations

import pytest

from tests import figures
from tests.soak import problems, run

DURATION = 20.0
CONCURRENCY = 32
WARMUP = 5.0
MAX_GROWTH_MB = 32.0
MAX_P99_S = 2.0

pytestmark = pytest.mark.slow


def test_a_short_soak_has_no_errors_stable_memory_and_bounded_latency():
    report = run(DURATION, CONCURRENCY, WARMUP)
    measured = report.measured
    figures.record(
        "soak (short form)",
        seconds=DURATION,
        connections=CONCURRENCY,
        requests=measured.requests,
        **{
            "warm-up requests": report.warmup.requests,
            "statuses": measured.statuses,
            "unintended errors": measured.unintended + report.warmup.unintended,
            "p50 ms": round(measured.percentile(0.5) * 1000, 1),
            "p99 ms": round(measured.percentile(0.99) * 1000, 1),
            "RSS MB after warm-up -> end": {
                name: f"{start:.1f}->{end:.1f}" for name, (start, end) in report.memory_mb.items()
            },
            "growth MB": round(report.growth_mb(), 1),
            "data folder unchanged": report.data_unchanged,
        },
    )
    assert problems(report, MAX_GROWTH_MB, MAX_P99_S) == [], "\n".join(report.lines())
