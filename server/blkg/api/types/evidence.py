"""The evidence: findings, the study, the evidence review, the rating scale, the practices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from blkg.api.types.common import (
    Node,
)
from blkg.api.types.published import published
from blkg.read import model as m

if TYPE_CHECKING:
    from blkg.api.types.session import PracticeCoverage

PRACTICE_COVERAGE = Annotated["PracticeCoverage", strawberry.lazy("blkg.api.types.session")]


@published(m.Rating, name="EffectivenessRating")
class EffectivenessRating(Node):
    pass


@published(m.Practice, later={m.PracticeCoverage: PRACTICE_COVERAGE})
class Practice(Node):
    pass


@published(m.Finding)
class Finding(Node):
    pass


@published(m.Study)
class Study(Node):
    pass


@published(m.Review, name="EvidenceReview")
class EvidenceReview(Node):
    pass


__all__ = ["EffectivenessRating", "EvidenceReview", "Finding", "Practice", "Study"]
