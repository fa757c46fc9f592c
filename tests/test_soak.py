"""The soak test in its short form (see tests/soak.py; `make soak` runs the long form).

Twenty seconds at 32 connections after a warm-up of 400 requests, on a copy of the data: every
request answered as intended (load shedding included), memory grown by at most a small bound
after the warm-up, every kind of request answered, the data folder untouched. Latency and the
rest go to the end-of-run figures: a latency bound would measure how busy the machine is.
"""

from __future__ import annotations

import pytest

from tests import figures
from tests.soak import problems, run

DURATION = 20.0
CONCURRENCY = 32
WARMUP_REQUESTS = 400
MAX_GROWTH_MB = 32.0

pytestmark = pytest.mark.slow


def test_a_short_soak_answers_every_request_with_stable_memory():
    report = run(DURATION, CONCURRENCY, WARMUP_REQUESTS)
    measured = report.measured
    figures.record(
        "soak (short form)",
        seconds=DURATION,
        connections=CONCURRENCY,
        requests=measured.requests,
        **{
            "warm-up requests": report.warmup.requests,
            "statuses": measured.statuses,
            "shed (503 with Retry-After)": measured.shed + report.warmup.shed,
            "transport errors": measured.errors + report.warmup.errors,
            "unintended errors": report.unintended,
            "p50 ms": round(measured.percentile(0.5) * 1000, 1),
            "p99 ms": round(measured.percentile(0.99) * 1000, 1),
            "RSS MB after warm-up -> end": {
                name: f"{start:.1f}->{end:.1f}" for name, (start, end) in report.memory_mb.items()
            },
            "growth MB": round(report.growth_mb(), 1),
            "data folder unchanged": report.data_unchanged,
        },
    )
    assert problems(report, MAX_GROWTH_MB) == [], "\n".join(report.lines())
