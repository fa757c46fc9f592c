"""The GraphQL types of coverage: what a chosen set of sessions addresses, and what it leaves
uncovered. They resolve over the plain objects `blkg.read.coverage` computes."""

from __future__ import annotations

import strawberry

from blkg.api.types.framework import Responsibility
from blkg.api.types.session import Session, SessionLink


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


__all__ = ["Coverage", "CoverageRow"]
