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
from typing import Any, ClassVar

from rdflib import DCTERMS, SDO, SKOS, URIRef

from blkg.namespaces import OA
from blkg.read.facts import LABEL, fact
from blkg.vocabulary import BLF

SOURCES = "The sources that state this, ordered by key."
LINK_QUOTATIONS = "The quotations the link rests on, in the order of their ids."
RATIONALE = (
    "The project's reasoning where the link is editorial: what in the sources the reading rests "
    "on. Null on sourced links."
)
LINK_SOURCES = (
    "The works the link names, ordered by key: on a sourced link, the source its quotations "
    "come from; on an editorial link, works the reading leans on, which are not statements "
    "of the link by them (the rationale says how each is used)."
)
FACT_QUOTATIONS = (
    "The words of its sources that state it, verbatim, in the order of their ids; empty where "
    "none is quoted."
)


# The declarations most classes share.
def stated_by() -> Any:
    """The sources that state the node (dcterms:source), ordered by key."""
    return fact(DCTERMS.source, SOURCES, reading="sources", many=True)


def quoted() -> Any:
    """The quotations that state the node (blf:quotation), in the order of their ids."""
    return fact(BLF.quotation, FACT_QUOTATIONS, reading="quotations", many=True)


def from_iri(about: str) -> Any:
    """The last segment of the node's IRI."""
    return fact(reading="slug", about=about)


def named(about: str) -> Any:
    """The node's label."""
    return fact(LABEL, about, reading="label")


class Value(Enum):
    """An enumerated value of the model. Members are singletons, so they hash by identity:
    Enum's own hash is a Python call per member, and a filter (a `basis` list, checked for
    every object an answer reaches) hashes members once per item per object."""

    __hash__ = object.__hash__


class Basis(Value):
    SOURCED = "SOURCED"
    EDITORIAL = "EDITORIAL"


class Depth(Value):
    """The depths of treatment, shallowest first: the GraphQL contract's order, the graph's
    (blf:DepthScheme, by blf:number) too."""

    INTRODUCES = "INTRODUCES"
    DEVELOPS = "DEVELOPS"
    APPLIES = "APPLIES"
    INTEGRATES = "INTEGRATES"

    @property
    def rank(self) -> int:
        return _DEPTH_ORDER.index(self)


_DEPTH_ORDER = list(Depth)


class ChangeAssociation(Value):
    POSITIVE = "POSITIVE"
    NEGATIVE = "NEGATIVE"


# The SKOS scheme each enum mirrors: its members are the scheme's concepts, each named by its
# skos:notation (the catalog checks that they agree, and in order where the scheme numbers
# its concepts), and a field of one of these types is read from the concept it links to.
SCHEMES = {
    Basis: BLF.BasisScheme,
    Depth: BLF.DepthScheme,
    ChangeAssociation: BLF.ChangeAssociationScheme,
}


class FindingKind(Enum):
    REVIEW = "REVIEW"
    STUDY = "STUDY"
    META_ANALYSIS = "META_ANALYSIS"
    SUMMARY = "SUMMARY"


class OutcomeKind(Enum):
    ULTIMATE = "ULTIMATE"
    ANNUAL = "ANNUAL"
    REAL_RESULT = "REAL_RESULT"


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Node:
    """Anything that is a node of the graph: a global id and its IRI.

    Nodes link to each other both ways, so a generated repr would print the whole graph many
    times over; a node is shown by its class and id instead (all subclasses share this)."""

    # The class of the graph this class reads (its instances are built), and what it is where
    # the ontology's definition of that class is not the description to publish.
    rdf_class: ClassVar[URIRef | None] = None
    about: ClassVar[str | None] = None

    id: str
    iri: str

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Source(Node):
    rdf_class = DCTERMS.BibliographicResource
    about = "A publication or web page the graph's facts are taken from."

    key: str = from_iri("Short key of the source, e.g. 'marzano-2005'.")
    label: str = named("Short human-readable name (authors and year).")
    title: str | None = fact(DCTERMS.title, "Title of the work.", optional=True)
    creators: list[str] = fact(DCTERMS.creator, "Authors, in citation order.", many=True)
    issued: str | None = fact(DCTERMS.issued, "Year (or year and month) of issue.", optional=True)
    publisher: str | None = fact(DCTERMS.publisher, "Publisher of the work.", optional=True)
    identifiers: list[str] = fact(
        DCTERMS.identifier, "Identifiers such as a DOI, ERIC or report number.", many=True
    )
    url: str | None = fact(SDO.url, "Where the work can be read, if given.", optional=True)
    citation: str | None = fact(
        DCTERMS.bibliographicCitation, "Full bibliographic citation.", optional=True
    )
    note: str | None = fact(SKOS.note, "Editorial note about the source.", optional=True)


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Quotation(Node):
    """Words of a source, verbatim, with where they stand in it."""

    rdf_class = OA.TextQuoteSelector
    about = (
        "Words of a source, quoted verbatim, that a link or fact rests on. On a sourced link the "
        "quotation states the link; on an editorial link it is what the reading starts from."
    )

    exact: str = fact(OA.exact, "The source's words, verbatim.")
    source: Source = fact(DCTERMS.source, "The source the words come from.")
    locator: str | None = fact(BLF.locator, optional=True)


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Concept(Node):
    """A SKOS concept of one of the framework's smaller schemes (phases, levels, domains...)."""

    rdf_class = SKOS.Concept
    about = (
        "A concept of one of the framework's smaller schemes: phases of change, "
        "characteristics of a purposeful community, orders of change, practice levels, "
        "instructional methods, outcome domains."
    )

    slug: str = from_iri("Stable identifier, the last segment of the IRI.")
    scheme: str = fact(
        SKOS.inScheme, "Slug of the concept scheme the concept is in.", reading="slug"
    )
    number: int | None = fact(BLF.number, optional=True)
    name: str = named("Preferred English label.")
    alt_names: list[str] = fact(SKOS.altLabel, "Other names the sources use.", many=True)
    definition: str | None = fact(
        SKOS.definition,
        "Definition in the project's own words; null where no source gives the content.",
        optional=True,
    )
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Component(Node):
    rdf_class = BLF.Component

    slug: str = from_iri("Stable identifier, e.g. 'purposeful-community'.")
    number: int | None = fact(BLF.number, optional=True)
    name: str = named("The component's name.")
    alt_names: list[str] = fact(SKOS.altLabel, "Other names the sources use for it.", many=True)
    definition: str | None = fact(
        SKOS.definition, "Definition in the project's words.", optional=True
    )
    memberships: list[Membership] = fact(
        about="The qualified links to the responsibilities it groups, ordered by number.",
        many=True,
    )
    sources: list[Source] = stated_by()
    # Published by resolvers that filter them (blkg.api.types.framework).
    responsibilities: list[Responsibility] = field(default_factory=list)
    focuses: list[SessionFocus] = field(default_factory=list)


@dataclass(eq=False, slots=True, kw_only=True)
class Correlation:
    """The statistics of one responsibility's correlation, as its source reports them."""

    rdf_class: ClassVar[URIRef] = BLF.Correlation
    about: ClassVar[str | None] = None

    r: float = fact(BLF.r)
    ci_lower: float | None = fact(BLF.ciLower, optional=True)
    ci_upper: float | None = fact(BLF.ciUpper, optional=True)
    studies: int | None = fact(BLF.studyCount, optional=True)
    schools: int | None = fact(BLF.schoolCount, optional=True)
    source: Source = fact(DCTERMS.source, "The source that reports the statistics.")


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Responsibility(Node):
    rdf_class = BLF.Responsibility

    slug: str = from_iri("Stable identifier, e.g. 'situational-awareness'.")
    number: int = fact(
        BLF.number,
        "Position in the order of Figure 4.1 of Marzano et al. (2005); the numbers after those "
        "the figure shows continue its order by inference (see the data's notes).",
    )
    name: str = named("The responsibility's name.")
    definition: str = fact(SKOS.definition, "What it is about, in the project's words.")
    correlation: Correlation | None = fact(
        BLF.correlation,
        "Correlation with student achievement; null where no source gives it.",
        optional=True,
    )
    second_order_change: ChangeAssociation | None = fact(
        BLF.secondOrderAssociation, "{definition} Null when neither.", optional=True
    )
    second_order_rank: int | None = fact(BLF.secondOrderRank, optional=True)
    components: list[Component] = fact(
        about="The components that group it (any basis), in framework order.", many=True
    )
    memberships: list[Membership] = fact(
        about="The qualified links to its components, with basis and sources.", many=True
    )
    session_links: list[SessionLink] = fact(
        about="The sessions that address it, with basis, components and sources.", many=True
    )
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class QualifiedLink(Node):
    """A link with a basis (blf:QualifiedLink): each kind declares its ends, its basis, its
    rationale, its quotations and its sources, in the order it publishes them."""


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Membership(QualifiedLink):
    rdf_class = BLF.ComponentMembership

    component: Component = fact(BLF.component, "The component that groups it.")
    responsibility: Responsibility = fact(BLF.responsibility, "The grouped responsibility.")
    basis: Basis = fact(BLF.basis)
    rationale: str | None = fact(BLF.rationale, RATIONALE)
    quotations: list[Quotation] = fact(BLF.quotation, LINK_QUOTATIONS, reading="quotations")
    sources: list[Source] = fact(DCTERMS.source, LINK_SOURCES, reading="sources")


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class SessionFocus(QualifiedLink):
    rdf_class = BLF.SessionFocus

    session: Session = fact(BLF.session, "The session.")
    component: Component = fact(BLF.component, "The component it focuses on.")
    basis: Basis = fact(BLF.basis)
    rationale: str | None = fact(BLF.rationale, RATIONALE)
    quotations: list[Quotation] = fact(BLF.quotation, LINK_QUOTATIONS, reading="quotations")
    sources: list[Source] = fact(DCTERMS.source, LINK_SOURCES, reading="sources")


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class SessionLink(QualifiedLink):
    """A derived link; its quotations are those of the links it rests on."""

    rdf_class = BLF.SessionLink

    session: Session = fact(BLF.session, "The session that addresses it.")
    responsibility: Responsibility = fact(BLF.responsibility, "The responsibility addressed.")
    basis: Basis = fact(
        BLF.basis,
        "SOURCED when both links of one of its paths are sourced, else EDITORIAL. No source "
        "maps sessions to individual responsibilities: where these links are editorial, the "
        "map is the project's reading of the sources, and the rationale and quotations show "
        "each step.",
    )
    via: list[Component] = fact(BLF.via)
    rationale: str = fact(
        BLF.rationale,
        "Why the rule joins them: the session focus and component membership of each path, "
        "each with its basis.",
    )
    quotations: list[Quotation] = fact(
        about="The quotations of the focus and membership links it is derived from."
    )
    depth: Depth | None = fact(
        about="The session's depth of treatment; null where none is recorded.", optional=True
    )
    sources: list[Source] = fact(
        DCTERMS.source,
        "The works named by the focus and membership links it is derived from and by their "
        "quotations.",
        reading="sources",
        many=True,
    )


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Treatment(QualifiedLink):
    """How deeply a session treats what it addresses."""

    rdf_class = BLF.Treatment

    session: Session = fact(BLF.session, "The session.")
    depth: Depth = fact(BLF.depth)
    basis: Basis = fact(BLF.basis)
    rationale: str | None = fact(BLF.rationale, RATIONALE)
    quotations: list[Quotation] = fact(
        BLF.quotation,
        "The brochure's words the depth is read from (the session's description and learning "
        "outcomes, or what it says of a year's sessions together).",
        reading="quotations",
    )
    sources: list[Source] = fact(DCTERMS.source, LINK_SOURCES, reading="sources")


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class PracticeCoverage(QualifiedLink):
    rdf_class = BLF.PracticeCoverage

    session: Session = fact(BLF.session, "The session.")
    practices: list[Practice] = fact(
        BLF.practice, "The research-based practices it deals with, in the source's order."
    )
    basis: Basis = fact(BLF.basis)
    rationale: str | None = fact(BLF.rationale, RATIONALE)
    quotations: list[Quotation] = fact(BLF.quotation, LINK_QUOTATIONS, reading="quotations")
    sources: list[Source] = fact(DCTERMS.source, LINK_SOURCES, reading="sources")


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class LearningOutcome(Node):
    rdf_class = BLF.LearningOutcome

    number: int = fact(BLF.number, "Position among the session's outcomes.")
    text: str = fact(BLF.text)
    session: Session = fact(BLF.learningOutcomeOf)
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class KnowledgeType(Node):
    rdf_class = BLF.KnowledgeType

    slug: str = from_iri("Stable identifier, e.g. 'declarative'.")
    number: int | None = fact(BLF.number, optional=True)
    name: str = named("The knowledge type's name.")
    question: str | None = fact(BLF.guidingQuestion, optional=True)
    definition: str | None = fact(
        SKOS.definition, "What it is, in the project's words.", optional=True
    )
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Session(Node):
    rdf_class = BLF.Session

    number: int = fact(BLF.number, "The session's number.")
    title: str = named("The session's title as the brochure gives it.")
    year: int = fact(BLF.year)
    days: int = fact(BLF.days)
    description: str | None = fact(
        DCTERMS.description,
        "What the session covers, in the project's words; null where the brochure gives only "
        "the title.",
        optional=True,
    )
    extends: Session | None = fact(BLF.extends, optional=True)
    extended_by: list[Session] = fact(about="The later sessions that extend this one.", many=True)
    components: list[Component] = fact(
        about="The components it focuses on (any basis), in framework order.", many=True
    )
    focuses: list[SessionFocus] = fact(
        about="The qualified links to its components, with basis and rationale.", many=True
    )
    outcomes: list[LearningOutcome] = fact(
        about="Its learning outcomes, in order; empty where the brochure lists none.", many=True
    )
    knowledge_types: list[KnowledgeType] = fact(
        BLF.developsKnowledgeType,
        "The knowledge types the brochure says this session develops.",
        many=True,
    )
    methods: list[Concept] = fact(BLF.method, many=True)
    practice_coverages: list[PracticeCoverage] = fact(
        about="The research-based practices it deals with, with basis and rationale; empty "
        "where no source or reading links it to practices.",
        many=True,
    )
    session_links: list[SessionLink] = fact(
        about="The responsibilities it addresses, with basis, components and sources.", many=True
    )
    depth: Depth | None = fact(
        about="How deeply it treats what it addresses (the shortcut of `treatment`); null where "
        "the sources say nothing of it.",
        optional=True,
    )
    treatment: Treatment | None = fact(
        about="Its depth with the basis, quotations and rationale it rests on.", optional=True
    )
    sources: list[Source] = stated_by()

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


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class ProgramYear(Node):
    rdf_class = BLF.ProgramYear

    year: int = fact(BLF.year, "The year's number.")
    label: str = named("The year with its theme.")


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class ProgramOutcome(Node):
    rdf_class = BLF.ProgramOutcome

    kind: OutcomeKind = fact(about="Ultimate, annual or real result.")
    number: int = fact(BLF.number, "Position within its kind (and year).")
    text: str = fact(BLF.text)
    year: int | None = fact(
        BLF.year, "The consortium year of an annual outcome; null for the others.", optional=True
    )
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Practice(Node):
    rdf_class = BLF.ResearchPractice

    slug: str = from_iri("Stable identifier of the practice.")
    number: int | None = fact(BLF.number, "Position in the source's list.", optional=True)
    name: str = named("The practice's name.")
    definition: str | None = fact(
        SKOS.definition, "What it is, in the project's words.", optional=True
    )
    level: Concept | None = fact(BLF.practiceLevel, optional=True)
    coverages: list[PracticeCoverage] = fact(
        about="The sessions that deal with this practice, with basis and rationale.", many=True
    )
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Rating(Node):
    rdf_class = BLF.EffectivenessRating

    slug: str = from_iri("Stable identifier, e.g. 'potentially-positive'.")
    number: int | None = fact(BLF.number, "Position on the scale.", optional=True)
    name: str = named("The rating's name.")
    definition: str | None = fact(SKOS.definition, "What evidence earns it.", optional=True)
    interpretation: str | None = fact(BLF.interpretation, optional=True)
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Finding(Node):
    rdf_class = BLF.Finding

    kind: FindingKind = fact(about="What kind of finding it is.")
    label: str = named("A short name for the finding.")
    text: str | None = fact(BLF.text, "The finding in words, where recorded.", optional=True)
    outcome_domain: Concept | None = fact(BLF.outcomeDomain, optional=True)
    rating: Rating | None = fact(BLF.effectivenessRating, optional=True)
    intervention_percent: float | None = fact(BLF.interventionPercent, optional=True)
    comparison_percent: float | None = fact(BLF.comparisonPercent, optional=True)
    studies: int | None = fact(BLF.studyCount, optional=True)
    schools: int | None = fact(BLF.schoolCount, optional=True)
    principals: int | None = fact(BLF.principalCount, optional=True)
    approximate_teachers: int | None = fact(BLF.approximateTeacherCount, optional=True)
    approximate_students: int | None = fact(BLF.approximateStudentCount, optional=True)
    average_r: float | None = fact(BLF.averageR, optional=True)
    first_year_covered: int | None = fact(BLF.firstYearCovered, reading="year", optional=True)
    last_year_covered: int | None = fact(BLF.lastYearCovered, reading="year", optional=True)
    interpretation: str | None = fact(BLF.interpretation, optional=True)
    sources: list[Source] = stated_by()
    quotations: list[Quotation] = quoted()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Study(Node):
    rdf_class = BLF.Study

    label: str = named("The study's short name.")
    design: str | None = fact(BLF.design, optional=True)
    setting: str | None = fact(BLF.setting, optional=True)
    comparison_condition: str | None = fact(BLF.comparisonCondition, optional=True)
    principals: int | None = fact(BLF.principalCount, optional=True)
    findings: list[Finding] = fact(BLF.hasFinding, "What its authors report.", many=True)
    sources: list[Source] = stated_by()
    quotations: list[Quotation] = quoted()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Review(Node):
    rdf_class = BLF.EvidenceReview

    label: str = named("The review's short name.")
    studies_identified: int | None = fact(BLF.studiesIdentified, optional=True)
    studies_meeting_standards: int | None = fact(BLF.studiesMeetingStandards, optional=True)
    standards_version: str | None = fact(BLF.standardsVersion, optional=True)
    protocol_version: str | None = fact(BLF.protocolVersion, optional=True)
    study_rating: str | None = fact(BLF.studyRating, optional=True)
    reviewed_studies: list[Study] = fact(BLF.reviewedStudy, many=True)
    findings: list[Finding] = fact(BLF.hasFinding, "The review's findings.", many=True)
    unknown_effect_domains: list[Concept] = fact(BLF.unknownEffectDomain, many=True)
    sources: list[Source] = stated_by()
    quotations: list[Quotation] = quoted()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class ProgramElement(Node):
    rdf_class = BLF.ProgramElement

    label: str = named("The element's name.")
    description: str | None = fact(
        DCTERMS.description, "What it is, in the project's words.", optional=True
    )
    year: int | None = fact(BLF.year, "The program year it belongs to, if any.", optional=True)
    min_sessions: int | None = fact(BLF.minSessions, optional=True)
    max_sessions: int | None = fact(BLF.maxSessions, optional=True)
    min_days: int | None = fact(BLF.minDays, optional=True)
    max_days: int | None = fact(BLF.maxDays, optional=True)
    on_request: bool | None = fact(BLF.onRequest, optional=True)
    methods: list[Concept] = fact(BLF.method, many=True)
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class ProgramModel(Node):
    rdf_class = BLF.ProgramModel

    label: str = named("The model's name.")
    description: str | None = fact(
        DCTERMS.description, "What it is, in the project's words.", optional=True
    )
    max_sessions: int | None = fact(BLF.maxSessions, optional=True)
    target_population: list[str] = fact(BLF.targetPopulation, many=True)
    delivery_methods: list[str] = fact(BLF.deliveryMethod, many=True)
    cost_drivers: list[str] = fact(BLF.costDriver, many=True)
    elements: list[ProgramElement] = fact(BLF.hasElement, many=True)
    knowledge_types: list[KnowledgeType] = fact(BLF.developsKnowledgeType, many=True)
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Offering(Node):
    rdf_class = BLF.Offering

    label: str = named("The offering's name.")
    price: float | None = fact(SDO.price, "The price, in `currency`.", optional=True)
    currency: str | None = fact(
        SDO.priceCurrency, "ISO 4217 currency code of the price.", optional=True
    )
    price_unit: str | None = fact(BLF.priceUnit, optional=True)
    plus_travel: bool | None = fact(BLF.plusTravel, optional=True)
    min_participants: int | None = fact(BLF.minParticipants, optional=True)
    max_participants: int | None = fact(BLF.maxParticipants, optional=True)
    includes: list[str] = fact(BLF.includes, many=True)
    first_year_price: float | None = fact(BLF.firstYearPrice, optional=True)
    first_year_discount: float | None = fact(BLF.firstYearDiscount, optional=True)
    sources: list[Source] = stated_by()


@dataclass(eq=False, slots=True, repr=False, kw_only=True)
class Framework(Node):
    rdf_class = BLF.Framework

    name: str = named("The framework's name.")
    alt_names: list[str] = fact(SKOS.altLabel, "Other names of the framework.")
    definition: str | None = fact(SKOS.definition, "What the framework is, in our words.")
    components: list[Component] = fact(BLF.hasComponent, "Its components, in order.")
    sources: list[Source] = fact(DCTERMS.source, SOURCES, reading="sources")
