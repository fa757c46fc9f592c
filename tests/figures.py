"""Figures the hardening tests measure (requests sent, errors, p99, memory), printed at the end.

A test calls `record("section", name=value, ...)`; `pytest_terminal_summary` in conftest.py
prints every section after the run, so a CI log shows what the fuzzing, abuse, overload and
soak tests actually did, not only that they passed.
"""

from __future__ import annotations

from collections import Counter

FIGURES: dict[str, dict[str, object]] = {}


def record(section: str, **values: object) -> None:
    """Set figures of `section` (later values of the same name replace earlier ones)."""
    FIGURES.setdefault(section, {}).update(values)


def count(section: str, statuses: Counter, intended: tuple[int, ...] = ()) -> None:
    """Add a tally of HTTP statuses to `section`: requests, statuses, and the 5xx answers
    other than the `intended` ones (a limit's 503 or 504 when a test drives past it)."""
    figures = FIGURES.setdefault(section, {})
    tally = figures.setdefault("statuses", Counter())
    tally.update(statuses)
    figures["requests"] = sum(tally.values())
    figures["unintended 5xx"] = sum(
        n for status, n in tally.items() if status >= 500 and status not in intended
    )


def lines() -> list[str]:
    """One line per section, in the order the sections were first recorded."""
    rendered = []
    for section, values in FIGURES.items():
        parts = [f"{name}={_format(value)}" for name, value in values.items()]
        rendered.append(f"{section}: " + ", ".join(parts))
    return rendered


def _format(value: object) -> str:
    if isinstance(value, Counter):
        return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


__all__ = ["FIGURES", "count", "lines", "record"]
