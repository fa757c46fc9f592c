"""The query root. Its root value is the read layer's `Catalog`, so `self` below is the catalog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Protocol, cast

import strawberry
from strawberry.types.arguments import StrawberryArgumentAnnotation
from strawberry.types.field import StrawberryField

from blkg.api.errors import bad_input, not_found
from blkg.api.types.common import (
    DEPTH_ARGUMENT_DOC,
    Basis,
    ChangeAssociation,
    Concept,
    Depth,
    Node,
    Source,
)
from blkg.api.types.coverage import Coverage
from blkg.api.types.evidence import EffectivenessRating, EvidenceReview, Finding, Practice, Study
from blkg.api.types.framework import Component, Framework, Responsibility
from blkg.api.types.program import Offering, ProgramModel, ProgramOutcome, ProgramYear
from blkg.api.types.session import KnowledgeType, Session
from blkg.read import model as m
from blkg.read.catalog import Catalog
from blkg.read.coverage import compute_coverage


class _FieldDecorator(Protocol):
    """`strawberry.field(description=...)`, as a decorator: it makes the resolver a field."""

    def __call__(self, *, description: str) -> Callable[[Callable[..., Any]], StrawberryField]: ...


# cast: strawberry types `field(description=...)` as returning Any (that form also declares
# fields that have no resolver, `x: int = strawberry.field(...)`), so that mypy would take every
# resolver below as untyped; as a decorator, it makes the resolver a `StrawberryField`.
_field = cast(_FieldDecorator, strawberry.field)


def _arg(description: str) -> StrawberryArgumentAnnotation:
    return strawberry.argument(description=description)


def consortium_years(catalog: Catalog) -> list[int]:
    """The consortium's years the data has (those of its program years, sessions and annual
    outcomes), ascending: the values a `year` argument may take."""
    years = {y.year for y in catalog.program_years} | {s.year for s in catalog.sessions}
    years |= {o.year for o in catalog.program_outcomes if o.year is not None}
    return sorted(years)


def _check_year(catalog: Catalog, year: int | None) -> None:
    if year is None:
        return
    years = consortium_years(catalog)
    if year not in years:
        listed = ", ".join(str(y) for y in years)
        raise bad_input(
            f"year must be one of {listed} (the consortium's years in the data); got {year}."
        )


def _component(catalog: Catalog, slug: str) -> m.Component:
    component = catalog.component(slug)
    if component is None:
        raise not_found("component", slug, [c.slug for c in catalog.components])
    return component


def _responsibility(catalog: Catalog, slug: str) -> m.Responsibility:
    responsibility = catalog.responsibility(slug=slug)
    if responsibility is None:
        raise not_found("responsibility", slug, [r.slug for r in catalog.responsibilities])
    return responsibility


@strawberry.type(description="The Balanced Leadership Knowledge Graph, read-only.")
class Query:
    @_field(description="The Balanced Leadership Framework itself.")
    def framework(self: Catalog) -> Framework:
        return self.framework

    @_field(description="The framework's components, in order.")
    def components(self: Catalog) -> list[Component]:
        return self.components

    @_field(description="One component by slug; null if there is none.")
    def component(
        self: Catalog, slug: Annotated[str, _arg("e.g. 'magnitude-of-change'")]
    ) -> Component | None:
        return self.component(slug)

    @_field(description="The responsibilities, ordered by number, optionally filtered.")
    def responsibilities(
        self: Catalog,
        component: Annotated[str | None, _arg("Only those this component groups (a slug).")] = None,
        second_order_change: Annotated[
            ChangeAssociation | None,
            _arg("Only those with this association to second-order change."),
        ] = None,
    ) -> list[Responsibility]:
        found = self.responsibilities
        if component is not None:
            found = _component(self, component).responsibilities
        if second_order_change is not None:
            found = [r for r in found if r.second_order_change == second_order_change]
        return found

    @_field(
        description="One responsibility by slug or number (both must match if both are given); "
        "null if there is none."
    )
    def responsibility(
        self: Catalog,
        slug: Annotated[str | None, _arg("e.g. 'situational-awareness'")] = None,
        number: Annotated[int | None, _arg("Its number (see `Responsibility.number`).")] = None,
    ) -> Responsibility | None:
        if slug is None and number is None:
            raise bad_input("Give a responsibility's slug or number.")
        return self.responsibility(slug=slug, number=number)

    @_field(description="The sessions, ordered by number, optionally filtered.")
    def sessions(
        self: Catalog,
        year: Annotated[
            int | None, _arg("Only sessions of this consortium year (see `programYears`).")
        ] = None,
        component: Annotated[str | None, _arg("Only sessions focusing on this component.")] = None,
        addresses: Annotated[
            str | None, _arg("Only sessions addressing this responsibility (a slug).")
        ] = None,
    ) -> list[Session]:
        _check_year(self, year)
        found = self.sessions
        if year is not None:
            found = [s for s in found if s.year == year]
        if component is not None:
            focused = _component(self, component)
            found = [s for s in found if focused in s.components]
        if addresses is not None:
            addressed = _responsibility(self, addresses)
            sessions = {link.session.number for link in addressed.session_links}
            found = [s for s in found if s.number in sessions]
        return found

    @_field(description="One session by number; null if there is none.")
    def session(
        self: Catalog, number: Annotated[int, _arg("The session's number.")]
    ) -> Session | None:
        return self.session(number)

    @_field(
        description="What a set of sessions covers and leaves uncovered. Default: all sessions, "
        "all bases."
    )
    def coverage(
        self: Catalog,
        sessions: Annotated[
            list[int] | None, _arg("Session numbers (default: all sessions).")
        ] = None,
        basis: Annotated[list[Basis] | None, _arg("Count only links with these bases.")] = None,
        min_depth: Annotated[Depth | None, _arg(DEPTH_ARGUMENT_DOC)] = None,
    ) -> Coverage:
        chosen = self.sessions
        if sessions is not None:
            unknown = sorted({n for n in sessions if self.session(n) is None})
            if unknown:
                raise not_found("session", unknown[0], [s.number for s in self.sessions])
            chosen = [s for s in self.sessions if s.number in set(sessions)]
        return compute_coverage(self.responsibilities, chosen, basis, min_depth)

    @_field(description="The knowledge types of the knowledge taxonomy.")
    def knowledge_types(self: Catalog) -> list[KnowledgeType]:
        return self.knowledge_types

    @_field(
        description="The program outcomes: with `year`, that year's annual outcomes; without, "
        "all of them (ultimate, annual by year, real results)."
    )
    def program_outcomes(
        self: Catalog,
        year: Annotated[int | None, _arg("A consortium year (see `programYears`).")] = None,
    ) -> list[ProgramOutcome]:
        _check_year(self, year)
        if year is None:
            return self.program_outcomes
        return [o for o in self.program_outcomes if o.year == year]

    @_field(description="The consortium's years and their themes, by year.")
    def program_years(self: Catalog) -> list[ProgramYear]:
        return self.program_years

    @_field(description="The evidence: review, study and meta-analysis findings.")
    def evidence(self: Catalog) -> list[Finding]:
        return self.findings

    @_field(description="The studies of the program's effects.")
    def studies(self: Catalog) -> list[Study]:
        return self.studies

    @_field(description="The evidence reviews of the program.")
    def reviews(self: Catalog) -> list[EvidenceReview]:
        return self.reviews

    @_field(description="The What Works Clearinghouse effectiveness rating scale.")
    def effectiveness_ratings(self: Catalog) -> list[EffectivenessRating]:
        return self.ratings

    @_field(description="The research-based practices, in order.")
    def practices(self: Catalog) -> list[Practice]:
        return self.practices

    @_field(description="The characteristics of a purposeful community.")
    def community_characteristics(self: Catalog) -> list[Concept]:
        return self.community_characteristics

    @_field(description="The phases of change.")
    def change_phases(self: Catalog) -> list[Concept]:
        return self.change_phases

    @_field(description="First- and second-order change.")
    def change_orders(self: Catalog) -> list[Concept]:
        return self.change_orders

    @_field(
        description="The program models: the consortium and the program as the WWC describes it."
    )
    def program_models(self: Catalog) -> list[ProgramModel]:
        return self.program_models

    @_field(description="The priced offerings of the brochure.")
    def offerings(self: Catalog) -> list[Offering]:
        return self.offerings

    @_field(description="Every source the graph cites, ordered by key.")
    def sources(self: Catalog) -> list[Source]:
        return sorted(self.sources, key=lambda source: source.key)

    @_field(description="Any node by its global id; null if there is none.")
    def node(
        self: Catalog, id: Annotated[strawberry.ID, _arg("A global id, e.g. 'session/3'.")]
    ) -> Node | None:
        return self.by_id.get(id)


__all__ = ["Query", "consortium_years"]
