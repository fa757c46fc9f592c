"""The sessions, their learning outcomes and knowledge types, and the links that reach them."""

from __future__ import annotations

from typing import Annotated

import strawberry

from blkg.api.types.common import (
    DEPTH_ARGUMENT_DOC,
    Basis,
    Depth,
    Node,
)
from blkg.api.types.links import BASIS_ARGUMENT_DOC, with_basis
from blkg.api.types.published import later, published
from blkg.read import model as m

RESPONSIBILITY = later("Responsibility")


@published(m.KnowledgeType)
class KnowledgeType(Node):
    pass


@published(m.LearningOutcome)
class LearningOutcome(Node):
    pass


@published(m.SessionFocus)
class SessionFocus(Node):
    pass


@published(m.PracticeCoverage)
class PracticeCoverage(Node):
    pass


@published(m.Treatment)
class Treatment(Node):
    pass


@published(m.SessionLink)
class SessionLink(Node):
    pass


@published(m.Session)
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
