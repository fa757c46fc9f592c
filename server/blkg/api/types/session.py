"""The sessions, their learning outcomes and knowledge types, and the links that reach them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from blkg.api.types.common import (
    DEPTH_ARGUMENT_DOC,
    Basis,
    Depth,
    Node,
)
from blkg.api.types.links import BASIS_ARGUMENT_DOC, with_basis
from blkg.api.types.published import published
from blkg.read import model as m

if TYPE_CHECKING:
    from blkg.api.types.evidence import Practice
    from blkg.api.types.framework import Component, Responsibility

COMPONENT = Annotated["Component", strawberry.lazy("blkg.api.types.framework")]
RESPONSIBILITY = Annotated["Responsibility", strawberry.lazy("blkg.api.types.framework")]
PRACTICE = Annotated["Practice", strawberry.lazy("blkg.api.types.evidence")]
SESSION = Annotated["Session", strawberry.lazy("blkg.api.types.session")]


@published(m.KnowledgeType)
class KnowledgeType(Node):
    pass


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
