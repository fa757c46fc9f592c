"""The framework, its components, its responsibilities and the links between them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from blkg.api.descriptions import from_ontology
from blkg.api.types.common import (
    DEPTH_ARGUMENT_DOC,
    ID_DOC,
    IRI_DOC,
    SOURCES_DOC,
    Basis,
    ChangeAssociation,
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
    from blkg.api.types.session import Session, SessionFocus, SessionLink

SESSION = Annotated["Session", strawberry.lazy("blkg.api.types.session")]
SESSION_LINK = Annotated["SessionLink", strawberry.lazy("blkg.api.types.session")]
SESSION_FOCUS = Annotated["SessionFocus", strawberry.lazy("blkg.api.types.session")]


@published(m.Correlation)
class Correlation:
    pass


@strawberry.type(description=from_ontology(BLF.Component))
class Component(Node):
    slug: str = strawberry.field(description="Stable identifier, e.g. 'purposeful-community'.")
    number: int | None = strawberry.field(description=from_ontology(BLF.number))
    name: str = strawberry.field(description="The component's name.")
    alt_names: list[str] = strawberry.field(description="Other names the sources use for it.")
    definition: str | None = strawberry.field(description="Definition in the project's words.")
    memberships: list[ComponentMembership] = strawberry.field(
        description="The qualified links to the responsibilities it groups, ordered by number."
    )
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)

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

    is_type_of = plain_type(m.Component)


written(m.Component, Component)


RESPONSIBILITY = Annotated["Responsibility", strawberry.lazy("blkg.api.types.framework")]


@published(m.Membership, name="ComponentMembership", later={m.Responsibility: RESPONSIBILITY})
class ComponentMembership(Node):
    pass


@strawberry.type(description=from_ontology(BLF.Responsibility))
class Responsibility(Node):
    slug: str = strawberry.field(description="Stable identifier, e.g. 'situational-awareness'.")
    number: int = strawberry.field(
        description="Position in the order of Figure 4.1 of Marzano et al. (2005); the numbers "
        "after those the figure shows continue its order by inference (see the data's notes)."
    )
    name: str = strawberry.field(description="The responsibility's name.")
    definition: str = strawberry.field(description="What it is about, in the project's words.")
    correlation: Correlation | None = strawberry.field(
        description="Correlation with student achievement; null where no source gives it."
    )
    second_order_change: ChangeAssociation | None = strawberry.field(
        description=from_ontology(BLF.secondOrderAssociation) + " Null when neither."
    )
    second_order_rank: int | None = strawberry.field(description=from_ontology(BLF.secondOrderRank))
    components: list[Component] = strawberry.field(
        description="The components that group it (any basis), in framework order."
    )
    memberships: list[ComponentMembership] = strawberry.field(
        description="The qualified links to its components, with basis and sources."
    )
    session_links: list[SESSION_LINK] = strawberry.field(
        description="The sessions that address it, with basis, components and sources."
    )
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)

    @strawberry.field(description="The sessions that address it, ordered by number.")
    def sessions(
        self,
        basis: Annotated[list[Basis] | None, strawberry.argument(BASIS_ARGUMENT_DOC)] = None,
        min_depth: Annotated[Depth | None, strawberry.argument(DEPTH_ARGUMENT_DOC)] = None,
    ) -> list[SESSION]:
        return [link.session for link in with_basis(self.session_links, basis, min_depth)]

    is_type_of = plain_type(m.Responsibility)


written(m.Responsibility, Responsibility)


@published(m.Framework)
class Framework(Node):
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    iri: str = strawberry.field(description=IRI_DOC)


__all__ = ["Component", "ComponentMembership", "Correlation", "Framework", "Responsibility"]
