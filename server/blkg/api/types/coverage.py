"""Coverage: what a chosen set of sessions addresses, and what it leaves uncovered."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from blkg.api.types.framework import Responsibility
from blkg.api.types.session import Session, SessionLink
from blkg.read import model as m


@dataclass(frozen=True)
class CoverageRowView:
    responsibility: m.Responsibility
    links: list[m.SessionLink]

    @property
    def sessions(self) -> list[m.Session]:
        return [link.session for link in self.links]


@dataclass(frozen=True)
class CoverageView:
    sessions: list[m.Session]
    rows: list[CoverageRowView]

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
    responsibilities: list[m.Responsibility],
    sessions: list[m.Session],
    basis: set[m.Basis],
    min_depth: m.Depth | None = None,
) -> CoverageView:
    chosen = {s.number for s in sessions if s.treats_at_least(min_depth, basis)}
    rows = [
        CoverageRowView(
            responsibility,
            [
                link
                for link in responsibility.session_links
                if link.session.number in chosen and link.basis in basis
            ],
        )
        for responsibility in responsibilities
    ]
    return CoverageView(sorted(sessions, key=lambda s: s.number), rows)


@strawberry.type(description="One responsibility and the chosen sessions that address it.")
class CoverageRow:
    responsibility: Responsibility = strawberry.field(description="The responsibility.")
    sessions: list[Session] = strawberry.field(
        description="The chosen sessions that address it, ordered by number; empty if none."
    )
    links: list[SessionLink] = strawberry.field(
        description="The same, with basis, components and sources."
    )


@strawberry.type(
    description="What a set of sessions covers: for every responsibility, which of the chosen "
    "sessions address it, with the responsibilities left uncovered."
)
class Coverage:
    sessions: list[Session] = strawberry.field(description="The sessions asked about, by number.")
    rows: list[CoverageRow] = strawberry.field(
        description="One row per responsibility, ordered by number."
    )
    covered: list[Responsibility] = strawberry.field(
        description="Responsibilities addressed by at least one chosen session."
    )
    uncovered: list[Responsibility] = strawberry.field(
        description="Responsibilities no chosen session addresses."
    )
    total_days: int = strawberry.field(description="The chosen sessions' days added up.")


__all__ = ["Coverage", "CoverageRow", "CoverageView", "compute_coverage"]
