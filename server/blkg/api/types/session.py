"""The sessions, their learning outcomes and knowledge types, and the links that reach them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from blkg.api.descriptions import from_ontology
from blkg.api.types.common import (
    DEPTH_ARGUMENT_DOC,
    LINK_SOURCES_DOC,
    QUOTATIONS_DOC,
    RATIONALE_DOC,
    SOURCES_DOC,
    Basis,
    Concept,
    Depth,
    Node,
    Quotation,
    Source,
    plain_type,
)
from blkg.api.types.links import BASIS_ARGUMENT_DOC, with_basis
from blkg.read import model as m
from blkg.vocabulary import BLF

if TYPE_CHECKING:
    from blkg.api.types.evidence import Practice
    from blkg.api.types.framework import Component, Responsibility

COMPONENT = Annotated["Component", strawberry.lazy("blkg.api.types.framework")]
RESPONSIBILITY = Annotated["Responsibility", strawberry.lazy("blkg.api.types.framework")]
PRACTICE = Annotated["Practice", strawberry.lazy("blkg.api.types.evidence")]


@strawberry.type(description=from_ontology(BLF.KnowledgeType))
class KnowledgeType(Node):
    slug: str = strawberry.field(description="Stable identifier, e.g. 'declarative'.")
    number: int | None = strawberry.field(description=from_ontology(BLF.number))
    name: str = strawberry.field(description="The knowledge type's name.")
    question: str | None = strawberry.field(description=from_ontology(BLF.guidingQuestion))
    definition: str | None = strawberry.field(description="What it is, in the project's words.")
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.KnowledgeType)


@strawberry.type(description=from_ontology(BLF.LearningOutcome))
class LearningOutcome(Node):
    number: int = strawberry.field(description="Position among the session's outcomes.")
    text: str = strawberry.field(description=from_ontology(BLF.text))
    session: Session = strawberry.field(description=from_ontology(BLF.learningOutcomeOf))
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.LearningOutcome)


@strawberry.type(description=from_ontology(BLF.SessionFocus))
class SessionFocus(Node):
    session: Session = strawberry.field(description="The session.")
    component: COMPONENT = strawberry.field(description="The component it focuses on.")
    basis: Basis = strawberry.field(description=from_ontology(BLF.basis))
    rationale: str | None = strawberry.field(description=RATIONALE_DOC)
    quotations: list[Quotation] = strawberry.field(description=QUOTATIONS_DOC)
    sources: list[Source] = strawberry.field(description=LINK_SOURCES_DOC)
    is_type_of = plain_type(m.SessionFocus)


@strawberry.type(description=from_ontology(BLF.PracticeCoverage))
class PracticeCoverage(Node):
    session: Session = strawberry.field(description="The session.")
    practices: list[PRACTICE] = strawberry.field(
        description="The research-based practices it deals with, in the source's order."
    )
    basis: Basis = strawberry.field(description=from_ontology(BLF.basis))
    rationale: str | None = strawberry.field(description=RATIONALE_DOC)
    quotations: list[Quotation] = strawberry.field(description=QUOTATIONS_DOC)
    sources: list[Source] = strawberry.field(description=LINK_SOURCES_DOC)
    is_type_of = plain_type(m.PracticeCoverage)


@strawberry.type(description=from_ontology(BLF.Treatment))
class Treatment(Node):
    session: Session = strawberry.field(description="The session.")
    depth: Depth = strawberry.field(description=from_ontology(BLF.depth))
    basis: Basis = strawberry.field(description=from_ontology(BLF.basis))
    rationale: str | None = strawberry.field(description=RATIONALE_DOC)
    quotations: list[Quotation] = strawberry.field(
        description="The brochure's words the depth is read from (the session's description and "
        "learning outcomes, or what it says of a year's sessions together)."
    )
    sources: list[Source] = strawberry.field(description=LINK_SOURCES_DOC)
    is_type_of = plain_type(m.Treatment)


@strawberry.type(description=from_ontology(BLF.SessionLink))
class SessionLink(Node):
    session: Session = strawberry.field(description="The session that addresses it.")
    responsibility: RESPONSIBILITY = strawberry.field(description="The responsibility addressed.")
    basis: Basis = strawberry.field(
        description="SOURCED when both links of one of its paths are sourced, else EDITORIAL. "
        "No source maps sessions to individual responsibilities: where these links are "
        "editorial, the map is the project's reading of the sources, and the rationale and "
        "quotations show each step."
    )
    via: list[COMPONENT] = strawberry.field(description=from_ontology(BLF.via))
    rationale: str = strawberry.field(
        description="Why the rule joins them: the session focus and component membership of "
        "each path, each with its basis."
    )
    quotations: list[Quotation] = strawberry.field(
        description="The quotations of the focus and membership links it is derived from."
    )
    depth: Depth | None = strawberry.field(
        description="The session's depth of treatment; null where none is recorded."
    )
    sources: list[Source] = strawberry.field(
        description="The works named by the focus and membership links it is derived from and by "
        "their quotations."
    )
    is_type_of = plain_type(m.SessionLink)


@strawberry.type(description=from_ontology(BLF.Session))
class Session(Node):
    number: int = strawberry.field(description="The session's number.")
    title: str = strawberry.field(description="The session's title as the brochure gives it.")
    year: int = strawberry.field(description=from_ontology(BLF.year))
    days: int = strawberry.field(description=from_ontology(BLF.days))
    description: str | None = strawberry.field(
        description="What the session covers, in the project's words; null where the brochure "
        "gives only the title."
    )
    extends: Session | None = strawberry.field(description=from_ontology(BLF.extends))
    extended_by: list[Session] = strawberry.field(
        description="The later sessions that extend this one."
    )
    components: list[COMPONENT] = strawberry.field(
        description="The components it focuses on (any basis), in framework order."
    )
    focuses: list[SessionFocus] = strawberry.field(
        description="The qualified links to its components, with basis and rationale."
    )
    outcomes: list[LearningOutcome] = strawberry.field(
        description="Its learning outcomes, in order; empty where the brochure lists none."
    )
    knowledge_types: list[KnowledgeType] = strawberry.field(
        description="The knowledge types the brochure says this session develops."
    )
    methods: list[Concept] = strawberry.field(description=from_ontology(BLF.method))
    practice_coverages: list[PracticeCoverage] = strawberry.field(
        description="The research-based practices it deals with, with basis and rationale; "
        "empty where no source or reading links it to practices."
    )
    session_links: list[SessionLink] = strawberry.field(
        description="The responsibilities it addresses, with basis, components and sources."
    )
    depth: Depth | None = strawberry.field(
        description="How deeply it treats what it addresses (the shortcut of `treatment`); "
        "null where the sources say nothing of it."
    )
    treatment: Treatment | None = strawberry.field(
        description="Its depth with the basis, quotations and rationale it rests on."
    )
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)

    @strawberry.field(description="The responsibilities it addresses, ordered by number.")
    def responsibilities(
        self,
        basis: Annotated[list[Basis] | None, strawberry.argument(BASIS_ARGUMENT_DOC)] = None,
        min_depth: Annotated[Depth | None, strawberry.argument(DEPTH_ARGUMENT_DOC)] = None,
    ) -> list[RESPONSIBILITY]:
        links = with_basis(self.session_links, basis, min_depth)
        return [link.responsibility for link in links]

    is_type_of = plain_type(m.Session)


__all__ = [
    "KnowledgeType",
    "LearningOutcome",
    "PracticeCoverage",
    "Session",
    "SessionFocus",
    "SessionLink",
    "Treatment",
]
