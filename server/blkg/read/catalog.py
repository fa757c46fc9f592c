"""Building the read layer's objects from the validated graph, with their indexes.

Each object's fields are read as its class declares them (`blkg.read.facts`); the builder adds
what the declarations leave to it: kinds given by the node's class, and the links between
objects that exist only once both ends are built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from rdflib import DCTERMS, PROV, SKOS, Graph, URIRef
from rdflib.term import Node as RDFNode

from blkg.read import model as m
from blkg.read.facts import Declared, declared
from blkg.read.reader import Reader
from blkg.vocabulary import BLF

OUTCOME_KINDS = {
    BLF.UltimateOutcome: m.OutcomeKind.ULTIMATE,
    BLF.AnnualOutcome: m.OutcomeKind.ANNUAL,
    BLF.RealResult: m.OutcomeKind.REAL_RESULT,
}
FINDING_KINDS = {
    BLF.ReviewFinding: m.FindingKind.REVIEW,
    BLF.StudyFinding: m.FindingKind.STUDY,
    BLF.MetaAnalysisFinding: m.FindingKind.META_ANALYSIS,
    BLF.SummaryFinding: m.FindingKind.SUMMARY,
}
# Concepts of the smaller schemes, with the catalog's list of each (None: reached only
# through the links that name them).
CONCEPT_CLASSES = {
    BLF.CommunityCharacteristic: "community_characteristics",
    BLF.ChangePhase: "change_phases",
    BLF.ChangeOrder: "change_orders",
    BLF.PracticeLevel: None,
    BLF.InstructionalMethod: None,
    BLF.OutcomeDomain: None,
}


@dataclass(repr=False)
class Catalog:
    """Every object of the read layer, in source order, with lookups by id, slug and number."""

    def __repr__(self) -> str:
        counts = f"{len(self.responsibilities)} responsibilities, {len(self.sessions)} sessions"
        return f"<Catalog of {counts}>"

    framework: m.Framework | None = None
    sources: list[m.Source] = field(default_factory=list)
    components: list[m.Component] = field(default_factory=list)
    responsibilities: list[m.Responsibility] = field(default_factory=list)
    sessions: list[m.Session] = field(default_factory=list)
    session_links: list[m.SessionLink] = field(default_factory=list)
    knowledge_types: list[m.KnowledgeType] = field(default_factory=list)
    program_years: list[m.ProgramYear] = field(default_factory=list)
    program_outcomes: list[m.ProgramOutcome] = field(default_factory=list)
    practices: list[m.Practice] = field(default_factory=list)
    ratings: list[m.Rating] = field(default_factory=list)
    findings: list[m.Finding] = field(default_factory=list)
    studies: list[m.Study] = field(default_factory=list)
    reviews: list[m.Review] = field(default_factory=list)
    program_models: list[m.ProgramModel] = field(default_factory=list)
    offerings: list[m.Offering] = field(default_factory=list)
    community_characteristics: list[m.Concept] = field(default_factory=list)
    change_phases: list[m.Concept] = field(default_factory=list)
    change_orders: list[m.Concept] = field(default_factory=list)
    by_id: dict[str, m.Node] = field(default_factory=dict)

    def component(self, slug: str) -> m.Component | None:
        return next((c for c in self.components if c.slug == slug), None)

    def responsibility(
        self, slug: str | None = None, number: int | None = None
    ) -> m.Responsibility | None:
        for responsibility in self.responsibilities:
            if (slug is None or responsibility.slug == slug) and (
                number is None or responsibility.number == number
            ):
                return responsibility
        return None

    def session(self, number: int) -> m.Session | None:
        return next((s for s in self.sessions if s.number == number), None)


N = TypeVar("N", bound=m.Node)


class _Builder:
    """Turns graph nodes into objects; each node becomes exactly one object."""

    def __init__(self, reader: Reader):
        self.r = reader
        self.catalog = Catalog()
        self.objects: dict[RDFNode, m.Node] = {}
        self.enums: dict[type[m.Value], dict[RDFNode, m.Value]] = {}
        # Link fields read before all their targets were built: read again once all are.
        self.unlinked: list[tuple[m.Node, RDFNode, Declared]] = []

    def register(self, node: RDFNode, obj: N) -> N:
        self.objects[node] = obj
        self.catalog.by_id[obj.id] = obj
        return obj

    def ident(self, node: RDFNode) -> dict[str, str]:
        return {"id": self.r.node_id(node), "iri": str(node)}

    def read(self, cls: type[N], node: RDFNode, **given: Any) -> N:
        """The object of class `cls` for `node`, its declared fields read from the graph
        (`given` ones excepted), registered."""
        late: list[Declared] = []
        values = self.values(cls, node, late, **given)
        built = self.register(node, cls(**self.ident(node), **values))
        self.unlinked.extend((built, node, fact) for fact in late)
        return built

    def values(
        self, cls: type, node: RDFNode, late: list[Declared] | None = None, **given: Any
    ) -> dict[str, Any]:
        """The declared fields of `cls` read from `node`, and `given` as given; the link
        fields whose targets are not all built yet are added to `late`."""
        values = dict(given)
        for fact in _readable(cls):
            if fact.name not in given:
                values[fact.name] = self.value(node, fact, late)
        return values

    def value(self, node: RDFNode, fact: Declared, late: list[Declared] | None = None) -> Any:
        reading, predicate = fact.fact.reading, fact.fact.predicate
        if reading is not None:
            return _READINGS[reading](self, node, predicate)
        assert predicate is not None  # `_readable`: a predicate where there is no reading
        if fact.item in _LITERALS:
            if fact.many:
                return self.r.texts(node, predicate)
            return _LITERALS[fact.item](self.r, node, predicate)
        if fact.item in m.SCHEMES:
            concept = self.r.value(node, predicate)
            return None if concept is None else self.members(fact.item)[concept]
        targets = self.r.objects(node, predicate)
        found = [self.objects[t] for t in targets if t in self.objects]
        if late is not None and len(found) < len(targets):
            late.append(fact)
        if fact.many:
            return found
        return found[0] if found else None

    def link_the_rest(self) -> None:
        """Read again the link fields read before all their targets were built: an object's
        fields never depend on the order its class and its targets' classes are built in
        (targets no class builds stay out)."""
        for built, node, fact in self.unlinked:
            setattr(built, fact.name, self.value(node, fact))
        self.unlinked = []

    def sources(self, node: RDFNode) -> list[m.Source]:
        found = [self.objects.get(s) for s in self.r.objects(node, DCTERMS.source)]
        return sorted((s for s in found if isinstance(s, m.Source)), key=lambda s: s.key)

    def members(self, enum: type[m.Value]) -> dict[RDFNode, m.Value]:
        """The concepts of the scheme `enum` mirrors, each as the member its skos:notation
        names. The two must hold the same values, in the same order where the scheme numbers
        its concepts (the order the API publishes)."""
        known = self.enums.get(enum)
        if known is not None:
            return known
        scheme = m.SCHEMES[enum]
        concepts = sorted(self.r.graph.subjects(SKOS.inScheme, scheme), key=self.r.order_key)
        notations = [self.r.text(concept, SKOS.notation) for concept in concepts]
        values = [member.value for member in enum]
        numbered = all(self.r.integer(c, BLF.number) is not None for c in concepts)
        if (notations != values) if numbered else (sorted(map(str, notations)) != sorted(values)):
            raise ValueError(
                f"{scheme} holds the notations {notations}; the API's {enum.__name__} holds "
                f"{values}{' in that order' if numbered else ''}: align the two"
            )
        known = self.enums[enum] = {c: enum(n) for c, n in zip(concepts, notations, strict=True)}
        return known

    def slug(self, node: RDFNode, prop: URIRef | None) -> str:
        """The slug of `node`, or of its value of `prop` ("" where it has none)."""
        target = node if prop is None else self.r.value(node, prop)
        return "" if target is None else self.r.slug(target)

    def linked(self, node: RDFNode, prop: URIRef) -> list[m.Node]:
        return [self.objects[o] for o in self.r.objects(node, prop) if o in self.objects]

    def one_of(self, cls: type[N], node: RDFNode, prop: URIRef) -> N:
        """The object `node` links to by `prop`, which the shapes make a `cls`."""
        found = self.one(node, prop)
        if not isinstance(found, cls):
            raise ValueError(f"{node} {prop}: expected a {cls.__name__}, found {found!r}")
        return found

    def one(self, node: RDFNode, prop: URIRef) -> m.Node | None:
        target = self.r.value(node, prop)
        return None if target is None else self.objects.get(target)

    # -- sources and concepts ------------------------------------------------------------

    def build_sources(self) -> None:
        for node in self.r.instances(m.Source.rdf_class):
            source = self.read(m.Source, node, creators=self._creators(node))
            self.catalog.sources.append(source)

    def _creators(self, node: RDFNode) -> list[str]:
        citation = self.r.text(node, DCTERMS.bibliographicCitation) or ""
        creators = self.r.texts(node, DCTERMS.creator)
        # RDF keeps no order among creators; the citation does, so follow it.
        return sorted(creators, key=lambda name: (citation.find(name), name))

    def build_concepts(self) -> None:
        for cls, attribute in CONCEPT_CLASSES.items():
            for node in self.r.instances(cls):
                concept = self.read(m.Concept, node)
                if attribute is not None:
                    getattr(self.catalog, attribute).append(concept)
        for node in self.r.instances(m.KnowledgeType.rdf_class):
            self.catalog.knowledge_types.append(self.read(m.KnowledgeType, node))
        for node in self.r.instances(m.Practice.rdf_class):
            self.catalog.practices.append(self.read(m.Practice, node))
        for node in self.r.instances(m.Rating.rdf_class):
            self.catalog.ratings.append(self.read(m.Rating, node))

    # -- framework, components and responsibilities --------------------------------------

    def build_framework(self) -> None:
        r = self.r
        for node in r.instances(m.Component.rdf_class):
            self.catalog.components.append(self.read(m.Component, node))
        for node in r.instances(m.Responsibility.rdf_class):
            responsibility = self.read(
                m.Responsibility,
                node,
                correlation=self._correlation(r.value(node, BLF.correlation)),
            )
            self.catalog.responsibilities.append(responsibility)
        for node in r.instances(m.Framework.rdf_class):
            self.catalog.framework = self.read(m.Framework, node)

    def _correlation(self, node: RDFNode | None) -> m.Correlation | None:
        r = self.r
        if node is None or r.decimal(node, BLF.r) is None:
            return None
        # The first of its sources by key, when a correlation names more than one.
        return m.Correlation(**self.values(m.Correlation, node, source=self.sources(node)[0]))

    def quotations(self, node: RDFNode) -> list[m.Quotation]:
        """The quotations `node` rests on, in the order of their IRIs."""
        return [self.quotation(q) for q in sorted(self.r.objects(node, BLF.quotation), key=str)]

    def quotation(self, node: RDFNode) -> m.Quotation:
        known = self.objects.get(node)
        return known if isinstance(known, m.Quotation) else self.read(m.Quotation, node)

    def build_memberships(self) -> None:
        for node in self.r.instances(BLF.ComponentMembership):
            membership = self.read(m.Membership, node)
            membership.component.memberships.append(membership)
            membership.responsibility.memberships.append(membership)
        for component in self.catalog.components:
            component.memberships.sort(key=lambda x: x.responsibility.number)
            component.responsibilities = [x.responsibility for x in component.memberships]
        for responsibility in self.catalog.responsibilities:
            responsibility.memberships.sort(key=lambda x: x.component.number or 0)
            responsibility.components = [x.component for x in responsibility.memberships]

    # -- sessions and the links that reach them ------------------------------------------

    def build_sessions(self) -> None:
        r = self.r
        # What a session extends is set once every session exists.
        sessions = {
            node: self.read(m.Session, node, extends=None) for node in r.instances(BLF.Session)
        }
        self.catalog.sessions.extend(sessions.values())
        for node, session in sessions.items():
            extended = self.one(node, BLF.extends)
            if isinstance(extended, m.Session):
                session.extends = extended
                extended.extended_by.append(session)
        for node in r.instances(BLF.LearningOutcome):
            text = r.text(node, BLF.text) or r.label(node)
            outcome = self.read(m.LearningOutcome, node, text=text)
            outcome.session.outcomes.append(outcome)
        for session in self.catalog.sessions:
            session.outcomes.sort(key=lambda outcome: outcome.number)

    def build_focuses(self) -> None:
        for node in self.r.instances(BLF.SessionFocus):
            focus = self.read(m.SessionFocus, node)
            focus.session.focuses.append(focus)
            focus.component.focuses.append(focus)
        for session in self.catalog.sessions:
            session.focuses.sort(key=lambda focus: focus.component.number or 0)
            session.components = [focus.component for focus in session.focuses]

    def build_treatments(self) -> None:
        for node in self.r.instances(BLF.Treatment):
            treatment = self.read(m.Treatment, node)
            treatment.session.treatment = treatment
            treatment.session.depth = treatment.depth

    def build_practice_coverages(self) -> None:
        for node in self.r.instances(BLF.PracticeCoverage):
            coverage = self.read(m.PracticeCoverage, node)
            coverage.session.practice_coverages.append(coverage)
            for practice in coverage.practices:
                practice.coverages.append(coverage)
        for practice in self.catalog.practices:
            practice.coverages.sort(key=lambda coverage: coverage.session.number)

    def build_session_links(self) -> None:
        for node in self.r.instances(BLF.SessionLink):
            chain = sorted(self.r.objects(node, PROV.wasDerivedFrom), key=str)
            quotations = {q.id: q for part in chain for q in self.quotations(part)}
            session = self.one_of(m.Session, node, BLF.session)
            link = self.read(
                m.SessionLink, node, quotations=list(quotations.values()), depth=session.depth
            )
            self.catalog.session_links.append(link)
            link.session.session_links.append(link)
            link.responsibility.session_links.append(link)
        for session in self.catalog.sessions:
            session.session_links.sort(key=lambda link: link.responsibility.number)
        for responsibility in self.catalog.responsibilities:
            responsibility.session_links.sort(key=lambda link: link.session.number)

    # -- program: outcomes, models and pricing -------------------------------------------

    def build_program(self) -> None:
        r = self.r
        for node in r.instances(m.ProgramYear.rdf_class):
            self.catalog.program_years.append(self.read(m.ProgramYear, node))
        self.catalog.program_years.sort(key=lambda year: year.year)
        for cls, kind in OUTCOME_KINDS.items():
            for node in r.instances(cls):
                text = r.text(node, BLF.text) or r.label(node)
                outcome = self.read(m.ProgramOutcome, node, kind=kind, text=text)
                self.catalog.program_outcomes.append(outcome)
        for node in r.instances(m.ProgramElement.rdf_class):
            self.read(m.ProgramElement, node)
        for node in r.instances(m.ProgramModel.rdf_class):
            self.catalog.program_models.append(self.read(m.ProgramModel, node))
        for node in r.instances(m.Offering.rdf_class):
            self.catalog.offerings.append(self.read(m.Offering, node))

    # -- evidence ------------------------------------------------------------------------

    def build_evidence(self) -> None:
        for cls, kind in FINDING_KINDS.items():
            for node in self.r.instances(cls):
                self.catalog.findings.append(self.read(m.Finding, node, kind=kind))
        for node in self.r.instances(m.Study.rdf_class):
            self.catalog.studies.append(self.read(m.Study, node))
        for node in self.r.instances(m.Review.rdf_class):
            self.catalog.reviews.append(self.read(m.Review, node))


@cache
def _readable(cls: type) -> tuple[Declared, ...]:
    """The declared fields of `cls` read from the graph (those with a predicate or a
    reading)."""
    return tuple(
        fact
        for fact in declared(cls)
        if fact.fact.predicate is not None or fact.fact.reading is not None
    )


_LITERALS = {int: Reader.integer, float: Reader.decimal, bool: Reader.boolean, str: Reader.text}
_READINGS = {
    "label": lambda builder, node, predicate: builder.r.label(node),
    "slug": lambda builder, node, predicate: builder.slug(node, predicate),
    "year": lambda builder, node, predicate: builder.r.year(node, predicate),
    "sources": lambda builder, node, predicate: builder.sources(node),
    "quotations": lambda builder, node, predicate: builder.quotations(node),
}


def build_catalog(graph: Graph, instance_base: str) -> Catalog:
    """Build every read-layer object from a validated graph (ontology, data and inferred)."""
    builder = _Builder(Reader(graph, instance_base))
    builder.build_sources()
    builder.build_concepts()
    builder.build_framework()
    builder.build_memberships()
    builder.build_sessions()
    builder.build_focuses()
    builder.build_treatments()
    builder.build_practice_coverages()
    builder.build_session_links()
    builder.build_program()
    builder.build_evidence()
    builder.link_the_rest()
    return builder.catalog


__all__ = ["Catalog", "build_catalog"]
