"""The sessions, their learning outcomes and knowledge types, and the links that reach them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from blkg.api.descriptions import from_ontology
from blkg.api.types.common import (
    DEPTH_ARGUMENT_DOC,
    SOURCES_DOC,
    Basis,
    Depth,
    Node,
    Source,
    plain_type,
)
from blkg.api.types.links import BASIS_ARGUMENT_DOC, with_basis
from blkg.api.types.published import published, written
from blkg.read import model as m
from blkg.vocabulary import BLF

if TYPE_CHECKING:
    from blkg.api.types.evidence import Practice
    from blkg.api.types.framework import Component, Responsibility

COMPONENT = Annotated["Component", strawberry.lazy("blkg.api.types.framework")]
RESPONSIBILITY = Annotated["Responsibility", strawberry.lazy("blkg.api.types.framework")]
PRACTICE = Annotated["Practice", strawberry.lazy("blkg.api.types.evidence")]
SESSION = Annotated["Session", strawberry.lazy("blkg.api.types.session")]


@strawberry.type(description=from_ontology(BLF.KnowledgeType))
class KnowledgeType(Node):
    slug: str = strawberry.field(description="Stable identifier, e.g. 'declarative'.")
    number: int | None = strawberry.field(description=from_ontology(BLF.number))
    name: str = strawberry.field(description="The knowledge type's name.")
    question: str | None = strawberry.field(description=from_ontology(BLF.guidingQuestion))
    definition: str | None = strawberry.field(description="What it is, in the project's words.")
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.KnowledgeType)


written(m.KnowledgeType, KnowledgeType)


@published(m.LearningOutcome, later={m.Session: SESSION})
class LearningOutcome(Node):
    pass


LATER = {m.Session: SESSION, m.Component: COMPONENT, m.Responsibility: RESPONSIBILITY}


@published(m.SessionFocus, later=LATER)
class SessionFocus(Node):
    pass


@published(m.PracticeCoverage, later={**LATER, m.Practice: PRACTICE})
class PracticeCoverage(Node):
    pass


@published(m.Treatment, later=LATER)
class Treatment(Node):
    pass


@published(m.SessionLink, later=LATER)
class SessionLink(Node):
    pass


@published(m.Session, later=LATER)
class Session(Node):
    @strawberry.field(description="The responsibilities it addresses, ordered by number.")
    def responsibilities(
        self,
        basis: Annotated[list[Basis] | None, strawberry.argument(BASIS_ARGUMENT_DOC)] = None,
        min_depth: Annotated[Depth | None, strawberry.argument(DEPTH_ARGUMENT_DOC)] = None,
    ) -> list[RESPONSIBILITY]:
        links = with_basis(self.session_links, basis, min_depth)
        return [link.responsibility for link in links]


__all__ = [
    "KnowledgeType",
    "LearningOutcome",
    "PracticeCoverage",
    "Session",
    "SessionFocus",
    "SessionLink",
    "Treatment",
]
