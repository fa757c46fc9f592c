"""The evidence: findings, the study, the evidence review, the rating scale, the practices."""

from __future__ import annotations

from blkg.api.types.common import Node
from blkg.api.types.published import published
from blkg.read import model as m


@published(m.Rating)
class EffectivenessRating(Node):
    pass


@published(m.Practice)
class Practice(Node):
    pass


@published(m.Finding)
class Finding(Node):
    pass


@published(m.Study)
class Study(Node):
    pass


@published(m.Review)
class EvidenceReview(Node):
    pass


__all__ = ["EffectivenessRating", "EvidenceReview", "Finding", "Practice", "Study"]
