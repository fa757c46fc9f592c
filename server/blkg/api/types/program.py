"""The program: outcomes by year, the program models and their elements, and pricing."""

from __future__ import annotations

import strawberry

from blkg.api.descriptions import from_ontology
from blkg.api.types.common import SOURCES_DOC, Concept, Node, OutcomeKind, Source, plain_type
from blkg.api.types.session import KnowledgeType
from blkg.read import model as m
from blkg.vocabulary import BLF


@strawberry.type(description=from_ontology(BLF.ProgramOutcome))
class ProgramOutcome(Node):
    kind: OutcomeKind = strawberry.field(description="Ultimate, annual or real result.")
    number: int = strawberry.field(description="Position within its kind (and year).")
    text: str = strawberry.field(description=from_ontology(BLF.text))
    year: int | None = strawberry.field(
        description="The consortium year of an annual outcome; null for the others."
    )
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.ProgramOutcome)


@strawberry.type(description=from_ontology(BLF.ProgramYear))
class ProgramYear(Node):
    year: int = strawberry.field(description="The year's number.")
    label: str = strawberry.field(description="The year with its theme.")
    is_type_of = plain_type(m.ProgramYear)


@strawberry.type(description=from_ontology(BLF.ProgramElement))
class ProgramElement(Node):
    label: str = strawberry.field(description="The element's name.")
    description: str | None = strawberry.field(description="What it is, in the project's words.")
    year: int | None = strawberry.field(description="The program year it belongs to, if any.")
    min_sessions: int | None = strawberry.field(description=from_ontology(BLF.minSessions))
    max_sessions: int | None = strawberry.field(description=from_ontology(BLF.maxSessions))
    min_days: int | None = strawberry.field(description=from_ontology(BLF.minDays))
    max_days: int | None = strawberry.field(description=from_ontology(BLF.maxDays))
    on_request: bool | None = strawberry.field(description=from_ontology(BLF.onRequest))
    methods: list[Concept] = strawberry.field(description=from_ontology(BLF.method))
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.ProgramElement)


@strawberry.type(description=from_ontology(BLF.ProgramModel))
class ProgramModel(Node):
    label: str = strawberry.field(description="The model's name.")
    description: str | None = strawberry.field(description="What it is, in the project's words.")
    max_sessions: int | None = strawberry.field(description=from_ontology(BLF.maxSessions))
    target_population: list[str] = strawberry.field(description=from_ontology(BLF.targetPopulation))
    delivery_methods: list[str] = strawberry.field(description=from_ontology(BLF.deliveryMethod))
    cost_drivers: list[str] = strawberry.field(description=from_ontology(BLF.costDriver))
    elements: list[ProgramElement] = strawberry.field(description=from_ontology(BLF.hasElement))
    knowledge_types: list[KnowledgeType] = strawberry.field(
        description=from_ontology(BLF.developsKnowledgeType)
    )
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.ProgramModel)


@strawberry.type(description=from_ontology(BLF.Offering))
class Offering(Node):
    label: str = strawberry.field(description="The offering's name.")
    price: float | None = strawberry.field(description="The price, in `currency`.")
    currency: str | None = strawberry.field(description="ISO 4217 currency code of the price.")
    price_unit: str | None = strawberry.field(description=from_ontology(BLF.priceUnit))
    plus_travel: bool | None = strawberry.field(description=from_ontology(BLF.plusTravel))
    min_participants: int | None = strawberry.field(description=from_ontology(BLF.minParticipants))
    max_participants: int | None = strawberry.field(description=from_ontology(BLF.maxParticipants))
    includes: list[str] = strawberry.field(description=from_ontology(BLF.includes))
    first_year_price: float | None = strawberry.field(description=from_ontology(BLF.firstYearPrice))
    first_year_discount: float | None = strawberry.field(
        description=from_ontology(BLF.firstYearDiscount)
    )
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.Offering)


__all__ = ["Offering", "ProgramElement", "ProgramModel", "ProgramOutcome", "ProgramYear"]
