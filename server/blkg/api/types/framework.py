"""The framework, its components, its responsibilities and the links between them."""

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

SESSION = later("Session")
SESSION_FOCUS = later("SessionFocus")


@published(m.Correlation)
class Correlation:
    pass


@published(m.Component)
class Component(Node):
    @strawberry.field(description="The responsibilities the component groups, ordered by number.")
    def responsibilities(
        self, basis: Annotated[list[Basis] | None, strawberry.argument(BASIS_ARGUMENT_DOC)] = None
    ) -> list[Responsibility]:
        return [link.responsibility for link in with_basis(self.memberships, basis)]

    @strawberry.field(description="The sessions that focus on the component, ordered by number.")
    def sessions(
        self,
        basis: Annotated[list[Basis] | None, strawberry.argument(BASIS_ARGUMENT_DOC)] = None,
        min_depth: Annotated[Depth | None, strawberry.argument(DEPTH_ARGUMENT_DOC)] = None,
    ) -> list[SESSION]:
        focuses = with_basis(self.focuses, basis, min_depth)
        return sorted((focus.session for focus in focuses), key=lambda s: s.number)

    @strawberry.field(description="The qualified links to the sessions that focus on it.")
    def session_focuses(self) -> list[SESSION_FOCUS]:
        return sorted(self.focuses, key=lambda focus: focus.session.number)


@published(m.Membership)
class ComponentMembership(Node):
    pass


@published(m.Responsibility)
class Responsibility(Node):
    @strawberry.field(description="The sessions that address it, ordered by number.")
    def sessions(
        self,
        basis: Annotated[list[Basis] | None, strawberry.argument(BASIS_ARGUMENT_DOC)] = None,
        min_depth: Annotated[Depth | None, strawberry.argument(DEPTH_ARGUMENT_DOC)] = None,
    ) -> list[SESSION]:
        return [link.session for link in with_basis(self.session_links, basis, min_depth)]


@published(m.Framework)
class Framework(Node):
    pass


__all__ = ["Component", "ComponentMembership", "Correlation", "Framework", "Responsibility"]
