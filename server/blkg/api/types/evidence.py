"""The evidence: findings, the study, the evidence review, the rating scale, the practices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from blkg.api.descriptions import from_ontology
from blkg.api.types.common import (
    FACT_QUOTATIONS_DOC,
    SOURCES_DOC,
    Concept,
    FindingKind,
    Node,
    Quotation,
    Source,
    plain_type,
)
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


@strawberry.type(description=from_ontology(BLF.Finding))
class Finding(Node):
    kind: FindingKind = strawberry.field(description="What kind of finding it is.")
    label: str = strawberry.field(description="A short name for the finding.")
    text: str | None = strawberry.field(description="The finding in words, where recorded.")
    outcome_domain: Concept | None = strawberry.field(description=from_ontology(BLF.outcomeDomain))
    rating: EffectivenessRating | None = strawberry.field(
        description=from_ontology(BLF.effectivenessRating)
    )
    intervention_percent: float | None = strawberry.field(
        description=from_ontology(BLF.interventionPercent)
    )
    comparison_percent: float | None = strawberry.field(
        description=from_ontology(BLF.comparisonPercent)
    )
    studies: int | None = strawberry.field(description=from_ontology(BLF.studyCount))
    schools: int | None = strawberry.field(description=from_ontology(BLF.schoolCount))
    principals: int | None = strawberry.field(description=from_ontology(BLF.principalCount))
    approximate_teachers: int | None = strawberry.field(
        description=from_ontology(BLF.approximateTeacherCount)
    )
    approximate_students: int | None = strawberry.field(
        description=from_ontology(BLF.approximateStudentCount)
    )
    average_r: float | None = strawberry.field(description=from_ontology(BLF.averageR))
    first_year_covered: int | None = strawberry.field(
        description=from_ontology(BLF.firstYearCovered)
    )
    last_year_covered: int | None = strawberry.field(description=from_ontology(BLF.lastYearCovered))
    interpretation: str | None = strawberry.field(description=from_ontology(BLF.interpretation))
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    quotations: list[Quotation] = strawberry.field(description=FACT_QUOTATIONS_DOC)
    is_type_of = plain_type(m.Finding)


@strawberry.type(description=from_ontology(BLF.Study))
class Study(Node):
    label: str = strawberry.field(description="The study's short name.")
    design: str | None = strawberry.field(description=from_ontology(BLF.design))
    setting: str | None = strawberry.field(description=from_ontology(BLF.setting))
    comparison_condition: str | None = strawberry.field(
        description=from_ontology(BLF.comparisonCondition)
    )
    principals: int | None = strawberry.field(description=from_ontology(BLF.principalCount))
    findings: list[Finding] = strawberry.field(description="What its authors report.")
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    quotations: list[Quotation] = strawberry.field(description=FACT_QUOTATIONS_DOC)
    is_type_of = plain_type(m.Study)


@strawberry.type(description=from_ontology(BLF.EvidenceReview))
class EvidenceReview(Node):
    label: str = strawberry.field(description="The review's short name.")
    studies_identified: int | None = strawberry.field(
        description=from_ontology(BLF.studiesIdentified)
    )
    studies_meeting_standards: int | None = strawberry.field(
        description=from_ontology(BLF.studiesMeetingStandards)
    )
    standards_version: str | None = strawberry.field(
        description=from_ontology(BLF.standardsVersion)
    )
    protocol_version: str | None = strawberry.field(description=from_ontology(BLF.protocolVersion))
    study_rating: str | None = strawberry.field(description=from_ontology(BLF.studyRating))
    reviewed_studies: list[Study] = strawberry.field(description=from_ontology(BLF.reviewedStudy))
    findings: list[Finding] = strawberry.field(description="The review's findings.")
    unknown_effect_domains: list[Concept] = strawberry.field(
        description=from_ontology(BLF.unknownEffectDomain)
    )
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    quotations: list[Quotation] = strawberry.field(description=FACT_QUOTATIONS_DOC)
    is_type_of = plain_type(m.Review)


__all__ = ["EffectivenessRating", "EvidenceReview", "Finding", "Practice", "Study"]
