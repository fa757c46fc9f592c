"""The plain objects of the read layer, one class per kind of node.

Objects refer to each other directly (a responsibility holds its components and session
links), so reading the framework is attribute access, never a graph query. Every class has
slots: the objects are many and read on every request, and compact objects keep that reading
fast on large graphs (without them, the coverage question's time per session link grew by half
from 40,000 to 400,000 triples).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Value(Enum):
    """An enumerated value of the model. Members are singletons, so they hash by identity:
    Enum's own hash is a Python call per member, and filters (a `basis` list of a hundred
    items, checked for each of thousands of objects) hash members by the hundred thousand."""

    __hash__ = object.__hash__


class Basis(Value):
    SOURCED = "SOURCED"
    EDITORIAL = "EDITORIAL"


class Depth(Value):
    """The depths of treatment, shallowest first: the GraphQL contract's order, which the
    catalog checks against the graph's (blf:DepthScheme) when it is built."""

    INTRODUCES = "INTRODUCES"
    DEVELOPS = "DEVELOPS"
    APPLIES = "APPLIES"
    INTEGRATES = "INTEGRATES"

    @property
    def rank(self) -> int:
        return _DEPTH_ORDER.index(self)


_DEPTH_ORDER = list(Depth)


class ChangeAssociation(Enum):
    POSITIVE = "POSITIVE"
    NEGATIVE = "NEGATIVE"


class FindingKind(Enum):
    REVIEW = "REVIEW"
    STUDY = "STUDY"
    META_ANALYSIS = "META_ANALYSIS"
    SUMMARY = "SUMMARY"


class OutcomeKind(Enum):
    ULTIMATE = "ULTIMATE"
    ANNUAL = "ANNUAL"
    REAL_RESULT = "REAL_RESULT"


@dataclass(eq=False, slots=True, repr=False)
class Node:
    """Anything that is a node of the graph: a global id and its IRI.

    Nodes link to each other both ways, so a generated repr would print the whole graph many
    times over; a node is shown by its class and id instead (all subclasses share this)."""

    id: str
    iri: str

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


@dataclass(eq=False, slots=True, repr=False)
class Source(Node):
    key: str
    label: str
    title: str | None = None
    creators: list[str] = field(default_factory=list)
    issued: str | None = None
    publisher: str | None = None
    identifiers: list[str] = field(default_factory=list)
    url: str | None = None
    citation: str | None = None
    note: str | None = None


@dataclass(eq=False, slots=True, repr=False)
class Quotation(Node):
    """Words of a source, verbatim, with where they stand in it."""

    exact: str
    source: Source
    locator: str | None = None


@dataclass(eq=False, slots=True, repr=False)
class Concept(Node):
    """A SKOS concept of one of the framework's smaller schemes (phases, levels, domains...)."""

    slug: str
    name: str
    scheme: str
    number: int | None = None
    alt_names: list[str] = field(default_factory=list)
    definition: str | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class Component(Concept):
    responsibilities: list[Responsibility] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    focuses: list[SessionFocus] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Correlation:
    r: float
    source: Source
    ci_lower: float | None = None
    ci_upper: float | None = None
    studies: int | None = None
    schools: int | None = None


@dataclass(eq=False, slots=True, repr=False)
class Responsibility(Concept):
    correlation: Correlation | None = None
    second_order_change: ChangeAssociation | None = None
    second_order_rank: int | None = None
    memberships: list[Membership] = field(default_factory=list)
    session_links: list[SessionLink] = field(default_factory=list)

    @property
    def components(self) -> list[Component]:
        return [m.component for m in self.memberships]


@dataclass(eq=False, slots=True, repr=False)
class QualifiedLink(Node):
    basis: Basis
    sources: list[Source]
    rationale: str | None
    quotations: list[Quotation]


@dataclass(eq=False, slots=True, repr=False)
class Membership(QualifiedLink):
    component: Component
    responsibility: Responsibility


@dataclass(eq=False, slots=True, repr=False)
class SessionFocus(QualifiedLink):
    session: Session
    component: Component


@dataclass(eq=False, slots=True, repr=False)
class SessionLink(QualifiedLink):
    """A derived link; its quotations are those of the links it rests on."""

    session: Session
    responsibility: Responsibility
    via: list[Component]

    @property
    def depth(self) -> Depth | None:
        return self.session.depth


@dataclass(eq=False, slots=True, repr=False)
class Treatment(QualifiedLink):
    """How deeply a session treats what it addresses."""

    session: Session
    depth: Depth


@dataclass(eq=False, slots=True, repr=False)
class PracticeCoverage(QualifiedLink):
    session: Session
    practices: list[Practice]


@dataclass(eq=False, slots=True, repr=False)
class LearningOutcome(Node):
    number: int
    text: str
    session: Session
    sources: list[Source] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class KnowledgeType(Concept):
    question: str | None = None


@dataclass(eq=False, slots=True, repr=False)
class Session(Node):
    number: int
    title: str
    year: int
    days: int
    description: str | None = None
    extends: Session | None = None
    extended_by: list[Session] = field(default_factory=list)
    focuses: list[SessionFocus] = field(default_factory=list)
    outcomes: list[LearningOutcome] = field(default_factory=list)
    knowledge_types: list[KnowledgeType] = field(default_factory=list)
    methods: list[Concept] = field(default_factory=list)
    session_links: list[SessionLink] = field(default_factory=list)
    practice_coverages: list[PracticeCoverage] = field(default_factory=list)
    treatment: Treatment | None = None
    sources: list[Source] = field(default_factory=list)

    @property
    def components(self) -> list[Component]:
        return [f.component for f in self.focuses]

    @property
    def depth(self) -> Depth | None:
        return None if self.treatment is None else self.treatment.depth

    def treats_at_least(self, depth: Depth | None, bases: set[Basis] | None = None) -> bool:
        """Whether it treats what it addresses at `depth` or deeper (None: any, or none), on
        one of `bases` (None: any basis)."""
        if depth is None:
            return True
        treatment = self.treatment
        return (
            treatment is not None
            and treatment.depth.rank >= depth.rank
            and (bases is None or treatment.basis in bases)
        )


@dataclass(eq=False, slots=True, repr=False)
class ProgramYear(Node):
    year: int
    label: str


@dataclass(eq=False, slots=True, repr=False)
class ProgramOutcome(Node):
    kind: OutcomeKind
    number: int
    text: str
    year: int | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class Practice(Concept):
    level: Concept | None = None
    coverages: list[PracticeCoverage] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class Rating(Concept):
    interpretation: str | None = None


@dataclass(eq=False, slots=True, repr=False)
class Finding(Node):
    kind: FindingKind
    label: str
    text: str | None = None
    outcome_domain: Concept | None = None
    rating: Rating | None = None
    intervention_percent: float | None = None
    comparison_percent: float | None = None
    studies: int | None = None
    schools: int | None = None
    principals: int | None = None
    approximate_teachers: int | None = None
    approximate_students: int | None = None
    average_r: float | None = None
    first_year_covered: int | None = None
    last_year_covered: int | None = None
    interpretation: str | None = None
    sources: list[Source] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class Study(Node):
    label: str
    design: str | None = None
    setting: str | None = None
    comparison_condition: str | None = None
    principals: int | None = None
    findings: list[Finding] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class Review(Node):
    label: str
    studies_identified: int | None = None
    studies_meeting_standards: int | None = None
    standards_version: str | None = None
    protocol_version: str | None = None
    study_rating: str | None = None
    reviewed_studies: list[Study] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unknown_effect_domains: list[Concept] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class ProgramElement(Node):
    label: str
    description: str | None = None
    year: int | None = None
    min_sessions: int | None = None
    max_sessions: int | None = None
    min_days: int | None = None
    max_days: int | None = None
    on_request: bool | None = None
    methods: list[Concept] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class ProgramModel(Node):
    label: str
    description: str | None = None
    max_sessions: int | None = None
    target_population: list[str] = field(default_factory=list)
    delivery_methods: list[str] = field(default_factory=list)
    cost_drivers: list[str] = field(default_factory=list)
    elements: list[ProgramElement] = field(default_factory=list)
    knowledge_types: list[KnowledgeType] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class Offering(Node):
    label: str
    price: float | None = None
    currency: str | None = None
    price_unit: str | None = None
    plus_travel: bool | None = None
    min_participants: int | None = None
    max_participants: int | None = None
    includes: list[str] = field(default_factory=list)
    first_year_price: float | None = None
    first_year_discount: float | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass(eq=False, slots=True, repr=False)
class Framework(Node):
    name: str
    alt_names: list[str]
    definition: str | None
    components: list[Component]
    sources: list[Source]
