"""Coverage: what a chosen set of sessions addresses, and what it leaves uncovered.

A question about the read layer's objects, not about GraphQL: the API's `coverage` field
answers from it, and the workbench pages can ask it the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from blkg.read import model as m
from blkg.read.links import with_basis


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One responsibility and the links by which the chosen sessions address it."""

    responsibility: m.Responsibility
    links: list[m.SessionLink]

    @property
    def sessions(self) -> list[m.Session]:
        return [link.session for link in self.links]


@dataclass(frozen=True, slots=True)
class Coverage:
    """The chosen sessions, ordered by number, and one row per responsibility."""

    sessions: list[m.Session]
    rows: list[CoverageRow]

    @property
    def covered(self) -> list[m.Responsibility]:
        return [row.responsibility for row in self.rows if row.links]

    @property
    def uncovered(self) -> list[m.Responsibility]:
        return [row.responsibility for row in self.rows if not row.links]

    @property
    def total_days(self) -> int:
        return sum(session.days for session in self.sessions)


def compute_coverage(
    responsibilities: Iterable[m.Responsibility],
    sessions: Iterable[m.Session],
    basis: Collection[m.Basis] | None = None,
    min_depth: m.Depth | None = None,
) -> Coverage:
    """Which of `sessions` address each of `responsibilities` (rows in the order given).

    A row keeps a responsibility's links with one of `basis` (None: any) from the chosen
    sessions that treat what they address at least `min_depth` deep (None: any depth, and
    sessions without a recorded depth count), that depth too resting on one of `basis`:
    the same filters as the `basis` and `minDepth` arguments everywhere in the API.
    """
    ordered = sorted(sessions, key=lambda session: session.number)
    chosen = {session.number for session in ordered}
    rows = [
        CoverageRow(
            responsibility,
            [
                link
                for link in with_basis(responsibility.session_links, basis, min_depth)
                if link.session.number in chosen
            ],
        )
        for responsibility in responsibilities
    ]
    return Coverage(ordered, rows)


__all__ = ["Coverage", "CoverageRow", "compute_coverage"]
