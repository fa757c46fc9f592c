"""Building the read layer's objects from the validated graph, with their indexes.

Each object's fields are read as its class declares them (`blkg.read.facts`); the builder adds
what the declarations leave to it: kinds given by the node's class, and the links between
objects that exist only once both ends are built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rdflib import DCTERMS, PROV, SKOS, URIRef
from rdflib.term import Node as RDFNode

from blkg.read import model as m
from blkg.read.facts import Declared, declared
from blkg.read.reader import Reader
from blkg.vocabulary import BLF

BASES = {BLF.Sourced: m.Basis.SOURCED, BLF.Editorial: m.Basis.EDITORIAL}
ASSOCIATIONS = {
    BLF.PositiveAssociation: m.ChangeAssociation.POSITIVE,
    BLF.NegativeAssociation: m.ChangeAssociation.NEGATIVE,
}
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

    def responsibility(self, slug: str | None = None, number: int | None = None):
        for responsibility in self.responsibilities:
            if (slug is None or responsibility.slug == slug) and (
                number is None or responsibility.number == number
            ):
                return responsibility
        return None

    def session(self, number: int) -> m.Session | None:
        return next((s for s in self.sessions if s.number == number), None)


class _Builder:
    """Turns graph nodes into objects; each node becomes exactly one object."""

    def __init__(self, reader: Reader):
        self.r = reader
        self.catalog = Catalog()
        self.objects: dict[RDFNode, m.Node] = {}

    def register(self, node: RDFNode, obj):
        self.objects[node] = obj
        self.catalog.by_id[obj.id] = obj
        return obj

    def ident(self, node: RDFNode) -> dict:
        return {"id": self.r.node_id(node), "iri": str(node)}

    def read(self, cls: type, node: RDFNode, **given):
        """The object of class `cls` for `node`, its declared fields read from the graph
        (`given` ones excepted), registered."""
        return self.register(node, cls(**self.ident(node), **self.values(cls, node, **given)))

    def values(self, cls: type, node: RDFNode, **given) -> dict:
        """The declared fields of `cls` read from `node`, and `given` as given."""
        values = dict(given)
        for fact in _readable(cls):
            if fact.name not in given:
                values[fact.name] = self.value(node, fact)
        return values

    def value(self, node: RDFNode, fact: Declared):
        reading, predicate = fact.fact.reading, fact.fact.predicate
        if reading is not None:
            return _READINGS[reading](self, node, predicate)
        if fact.item in _LITERALS:
            if fact.many:
                return self.r.texts(node, predicate)
            return _LITERALS[fact.item](self.r, node, predicate)
        return self.linked(node, predicate) if fact.many else self.one(node, predicate)

    def sources(self, node: RDFNode) -> list[m.Source]:
        found = [self.objects.get(s) for s in self.r.objects(node, DCTERMS.source)]
        return sorted((s for s in found if s is not None), key=lambda s: s.key)

    def slug(self, node: RDFNode, prop: URIRef | None) -> str:
        """The slug of `node`, or of its value of `prop` ("" where it has none)."""
        target = node if prop is None else self.r.value(node, prop)
        return "" if target is None else self.r.slug(target)

    def linked(self, node: RDFNode, prop: URIRef) -> list:
        return [self.objects[o] for o in self.r.objects(node, prop) if o in self.objects]

    def one(self, node: RDFNode, prop: URIRef):
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
                second_order_change=ASSOCIATIONS.get(r.value(node, BLF.secondOrderAssociation)),
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
        return known if known is not None else self.read(m.Quotation, node)

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
        for node in r.instances(BLF.Session):
            # What it extends is set once every session exists.
            self.catalog.sessions.append(self.read(m.Session, node, extends=None))
        for node in r.instances(BLF.Session):
            session, extended = self.objects[node], self.one(node, BLF.extends)
            if extended is not None:
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
        # Depth concepts in the graph's order (blf:number): it must be the contract's.
        depths = {
            node: m.Depth(self.r.text(node, SKOS.notation)) for node in self.r.instances(BLF.Depth)
        }
        if list(depths.values()) != list(m.Depth):
            raise ValueError(
                f"the graph's depths {[d.name for d in depths.values()]} are not the API's "
                f"{[d.name for d in m.Depth]} in that order: align blf:DepthScheme and m.Depth"
            )
        for node in self.r.instances(BLF.Treatment):
            depth = depths[self.r.value(node, BLF.depth)]
            treatment = self.read(m.Treatment, node, depth=depth)
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
            session = self.one(node, BLF.session)
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
    "basis": lambda builder, node, predicate: BASES[builder.r.value(node, predicate)],
}


def build_catalog(graph, instance_base: str) -> Catalog:
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
    return builder.catalog


__all__ = ["Catalog", "build_catalog"]
