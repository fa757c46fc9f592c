"""The evidence: findings, the study, the evidence review, the rating scale, the practices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from blkg.api.descriptions import from_ontology
from blkg.api.types.common import (
    SOURCES_DOC,
    Concept,
    Node,
    Source,
    plain_type,
)
from blkg.api.types.published import published, written
from blkg.read import model as m
from blkg.vocabulary import BLF

if TYPE_CHECKING:
    from blkg.api.types.session import PracticeCoverage

PRACTICE_COVERAGE = Annotated["PracticeCoverage", strawberry.lazy("blkg.api.types.session")]


@strawberry.type(description=from_ontology(BLF.EffectivenessRating))
class EffectivenessRating(Node):
    slug: str = strawberry.field(description="Stable identifier, e.g. 'potentially-positive'.")
    number: int | None = strawberry.field(description="Position on the scale.")
    name: str = strawberry.field(description="The rating's name.")
    definition: str | None = strawberry.field(description="What evidence earns it.")
    interpretation: str | None = strawberry.field(description=from_ontology(BLF.interpretation))
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.Rating)


written(m.Rating, EffectivenessRating)


@strawberry.type(description=from_ontology(BLF.ResearchPractice))
class Practice(Node):
    slug: str = strawberry.field(description="Stable identifier of the practice.")
    number: int | None = strawberry.field(description="Position in the source's list.")
    name: str = strawberry.field(description="The practice's name.")
    definition: str | None = strawberry.field(description="What it is, in the project's words.")
    level: Concept | None = strawberry.field(description=from_ontology(BLF.practiceLevel))
    coverages: list[PRACTICE_COVERAGE] = strawberry.field(
        description="The sessions that deal with this practice, with basis and rationale."
    )
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.Practice)


written(m.Practice, Practice)


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
