"""Building the read layer's objects from the validated graph, with their indexes."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import DCTERMS, PROV, SDO, SKOS, URIRef
from rdflib.term import Node as RDFNode

from blkg.namespaces import OA
from blkg.read import model as m
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
CONCEPT_CLASSES = {
    "community_characteristics": BLF.CommunityCharacteristic,
    "change_phases": BLF.ChangePhase,
    "change_orders": BLF.ChangeOrder,
    "practice_levels": BLF.PracticeLevel,
    "methods": BLF.InstructionalMethod,
    "outcome_domains": BLF.OutcomeDomain,
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
    practice_levels: list[m.Concept] = field(default_factory=list)
    methods: list[m.Concept] = field(default_factory=list)
    outcome_domains: list[m.Concept] = field(default_factory=list)
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

    def sources(self, node: RDFNode) -> list[m.Source]:
        found = [self.objects.get(s) for s in self.r.objects(node, DCTERMS.source)]
        return sorted((s for s in found if s is not None), key=lambda s: s.key)

    def linked(self, node: RDFNode, prop: URIRef) -> list:
        return [self.objects[o] for o in self.r.objects(node, prop) if o in self.objects]

    def one(self, node: RDFNode, prop: URIRef):
        target = self.r.value(node, prop)
        return None if target is None else self.objects.get(target)

    # -- sources and concepts ------------------------------------------------------------

    def build_sources(self) -> None:
        r = self.r
        for node in r.instances(DCTERMS.BibliographicResource):
            source = m.Source(
                **self.ident(node),
                key=r.slug(node),
                label=r.label(node),
                title=r.text(node, DCTERMS.title),
                creators=self._creators(node),
                issued=r.text(node, DCTERMS.issued),
                publisher=r.text(node, DCTERMS.publisher),
                identifiers=r.texts(node, DCTERMS.identifier),
                url=r.text(node, SDO.url),
                citation=r.text(node, DCTERMS.bibliographicCitation),
                note=r.text(node, SKOS.note),
            )
            self.catalog.sources.append(self.register(node, source))

    def _creators(self, node: RDFNode) -> list[str]:
        citation = self.r.text(node, DCTERMS.bibliographicCitation) or ""
        creators = self.r.texts(node, DCTERMS.creator)
        # RDF keeps no order among creators; the citation does, so follow it.
        return sorted(creators, key=lambda name: (citation.find(name), name))

    def concept_fields(self, node: RDFNode) -> dict:
        r = self.r
        scheme = r.value(node, SKOS.inScheme)
        return {
            **self.ident(node),
            "slug": r.slug(node),
            "name": r.label(node),
            "scheme": r.slug(scheme) if scheme is not None else "",
            "number": r.integer(node, BLF.number),
            "alt_names": r.texts(node, SKOS.altLabel),
            "definition": r.text(node, SKOS.definition),
            "sources": self.sources(node),
        }

    def build_concepts(self) -> None:
        for attribute, cls in CONCEPT_CLASSES.items():
            for node in self.r.instances(cls):
                concept = m.Concept(**self.concept_fields(node))
                getattr(self.catalog, attribute).append(self.register(node, concept))
        for node in self.r.instances(BLF.KnowledgeType):
            kind = m.KnowledgeType(
                **self.concept_fields(node), question=self.r.text(node, BLF.guidingQuestion)
            )
            self.catalog.knowledge_types.append(self.register(node, kind))
        for node in self.r.instances(BLF.ResearchPractice):
            practice = m.Practice(
                **self.concept_fields(node), level=self.one(node, BLF.practiceLevel)
            )
            self.catalog.practices.append(self.register(node, practice))
        for node in self.r.instances(BLF.EffectivenessRating):
            rating = m.Rating(
                **self.concept_fields(node), interpretation=self.r.text(node, BLF.interpretation)
            )
            self.catalog.ratings.append(self.register(node, rating))

    # -- framework, components and responsibilities --------------------------------------

    def build_framework(self) -> None:
        r = self.r
        for node in r.instances(BLF.Component):
            component = m.Component(**self.concept_fields(node))
            self.catalog.components.append(self.register(node, component))
        for node in r.instances(BLF.Responsibility):
            responsibility = m.Responsibility(
                **self.concept_fields(node),
                correlation=self._correlation(r.value(node, BLF.correlation)),
                second_order_change=ASSOCIATIONS.get(r.value(node, BLF.secondOrderAssociation)),
                second_order_rank=r.integer(node, BLF.secondOrderRank),
            )
            self.catalog.responsibilities.append(self.register(node, responsibility))
        for node in r.instances(BLF.Framework):
            self.catalog.framework = self.register(
                node,
                m.Framework(
                    **self.ident(node),
                    name=r.label(node),
                    alt_names=r.texts(node, SKOS.altLabel),
                    definition=r.text(node, SKOS.definition),
                    components=self.linked(node, BLF.hasComponent),
                    sources=self.sources(node),
                ),
            )

    def _correlation(self, node: RDFNode | None) -> m.Correlation | None:
        r = self.r
        if node is None or r.decimal(node, BLF.r) is None:
            return None
        sources = self.sources(node)
        return m.Correlation(
            r=r.decimal(node, BLF.r),
            source=sources[0],
            ci_lower=r.decimal(node, BLF.ciLower),
            ci_upper=r.decimal(node, BLF.ciUpper),
            studies=r.integer(node, BLF.studyCount),
            schools=r.integer(node, BLF.schoolCount),
        )

    def link_fields(self, node: RDFNode) -> dict:
        return {
            **self.ident(node),
            "basis": BASES[self.r.value(node, BLF.basis)],
            "sources": self.sources(node),
            "rationale": self.r.text(node, BLF.rationale),
            "quotations": self.quotations(node),
        }

    def quotations(self, node: RDFNode) -> list[m.Quotation]:
        """The quotations `node` rests on, in the order of their IRIs."""
        return [self.quotation(q) for q in sorted(self.r.objects(node, BLF.quotation), key=str)]

    def quotation(self, node: RDFNode) -> m.Quotation:
        known = self.objects.get(node)
        if known is None:
            known = self.register(
                node,
                m.Quotation(
                    **self.ident(node),
                    exact=self.r.text(node, OA.exact),
                    source=self.one(node, DCTERMS.source),
                    locator=self.r.text(node, BLF.locator),
                ),
            )
        return known

    def build_memberships(self) -> None:
        for node in self.r.instances(BLF.ComponentMembership):
            membership = self.register(
                node,
                m.Membership(
                    **self.link_fields(node),
                    component=self.one(node, BLF.component),
                    responsibility=self.one(node, BLF.responsibility),
                ),
            )
            membership.component.memberships.append(membership)
            membership.responsibility.memberships.append(membership)
        for component in self.catalog.components:
            component.memberships.sort(key=lambda x: x.responsibility.number)
            component.responsibilities = [x.responsibility for x in component.memberships]
        for responsibility in self.catalog.responsibilities:
            responsibility.memberships.sort(key=lambda x: x.component.number or 0)

    # -- sessions and the links that reach them ------------------------------------------

    def build_sessions(self) -> None:
        r = self.r
        for node in r.instances(BLF.Session):
            session = m.Session(
                **self.ident(node),
                number=r.integer(node, BLF.number),
                title=r.label(node),
                year=r.integer(node, BLF.year),
                days=r.integer(node, BLF.days),
                description=r.text(node, DCTERMS.description),
                knowledge_types=self.linked(node, BLF.developsKnowledgeType),
                methods=self.linked(node, BLF.method),
                sources=self.sources(node),
            )
            self.catalog.sessions.append(self.register(node, session))
        for node in r.instances(BLF.Session):
            session, extended = self.objects[node], self.one(node, BLF.extends)
            if extended is not None:
                session.extends = extended
                extended.extended_by.append(session)
        for node in r.instances(BLF.LearningOutcome):
            session = self.one(node, BLF.learningOutcomeOf)
            outcome = m.LearningOutcome(
                **self.ident(node),
                number=r.integer(node, BLF.number),
                text=r.text(node, BLF.text) or r.label(node),
                session=session,
                sources=self.sources(node),
            )
            session.outcomes.append(self.register(node, outcome))
        for session in self.catalog.sessions:
            session.outcomes.sort(key=lambda outcome: outcome.number)

    def build_focuses(self) -> None:
        for node in self.r.instances(BLF.SessionFocus):
            focus = self.register(
                node,
                m.SessionFocus(
                    **self.link_fields(node),
                    session=self.one(node, BLF.session),
                    component=self.one(node, BLF.component),
                ),
            )
            focus.session.focuses.append(focus)
            focus.component.focuses.append(focus)
        for session in self.catalog.sessions:
            session.focuses.sort(key=lambda focus: focus.component.number or 0)

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
            treatment = self.register(
                node,
                m.Treatment(
                    **self.link_fields(node),
                    session=self.one(node, BLF.session),
                    depth=depths[self.r.value(node, BLF.depth)],
                ),
            )
            treatment.session.treatment = treatment

    def build_practice_coverages(self) -> None:
        for node in self.r.instances(BLF.PracticeCoverage):
            practices = sorted(self.linked(node, BLF.practice), key=lambda p: p.number or 0)
            coverage = self.register(
                node,
                m.PracticeCoverage(
                    **self.link_fields(node),
                    session=self.one(node, BLF.session),
                    practices=practices,
                ),
            )
            coverage.session.practice_coverages.append(coverage)
            for practice in practices:
                practice.coverages.append(coverage)
        for practice in self.catalog.practices:
            practice.coverages.sort(key=lambda coverage: coverage.session.number)

    def build_session_links(self) -> None:
        for node in self.r.instances(BLF.SessionLink):
            via = sorted(self.linked(node, BLF.via), key=lambda c: c.number or 0)
            chain = sorted(self.r.objects(node, PROV.wasDerivedFrom), key=str)
            quotations = {q.id: q for part in chain for q in self.quotations(part)}
            link = self.register(
                node,
                m.SessionLink(
                    **{**self.link_fields(node), "quotations": list(quotations.values())},
                    session=self.one(node, BLF.session),
                    responsibility=self.one(node, BLF.responsibility),
                    via=via,
                ),
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
        for node in r.instances(BLF.ProgramYear):
            year = m.ProgramYear(
                **self.ident(node), year=r.integer(node, BLF.year), label=r.label(node)
            )
            self.catalog.program_years.append(self.register(node, year))
        self.catalog.program_years.sort(key=lambda year: year.year)
        for cls, kind in OUTCOME_KINDS.items():
            for node in r.instances(cls):
                outcome = m.ProgramOutcome(
                    **self.ident(node),
                    kind=kind,
                    number=r.integer(node, BLF.number),
                    text=r.text(node, BLF.text) or r.label(node),
                    year=r.integer(node, BLF.year),
                    sources=self.sources(node),
                )
                self.catalog.program_outcomes.append(self.register(node, outcome))
        for node in r.instances(BLF.ProgramElement):
            self.register(
                node,
                m.ProgramElement(
                    **self.ident(node),
                    label=r.label(node),
                    description=r.text(node, DCTERMS.description),
                    year=r.integer(node, BLF.year),
                    min_sessions=r.integer(node, BLF.minSessions),
                    max_sessions=r.integer(node, BLF.maxSessions),
                    min_days=r.integer(node, BLF.minDays),
                    max_days=r.integer(node, BLF.maxDays),
                    on_request=r.boolean(node, BLF.onRequest),
                    methods=self.linked(node, BLF.method),
                    sources=self.sources(node),
                ),
            )
        for node in r.instances(BLF.ProgramModel):
            self.catalog.program_models.append(
                self.register(
                    node,
                    m.ProgramModel(
                        **self.ident(node),
                        label=r.label(node),
                        description=r.text(node, DCTERMS.description),
                        max_sessions=r.integer(node, BLF.maxSessions),
                        target_population=r.texts(node, BLF.targetPopulation),
                        delivery_methods=r.texts(node, BLF.deliveryMethod),
                        cost_drivers=r.texts(node, BLF.costDriver),
                        elements=self.linked(node, BLF.hasElement),
                        knowledge_types=self.linked(node, BLF.developsKnowledgeType),
                        sources=self.sources(node),
                    ),
                )
            )
        for node in r.instances(BLF.Offering):
            self.catalog.offerings.append(
                self.register(
                    node,
                    m.Offering(
                        **self.ident(node),
                        label=r.label(node),
                        price=r.decimal(node, SDO.price),
                        currency=r.text(node, SDO.priceCurrency),
                        price_unit=r.text(node, BLF.priceUnit),
                        plus_travel=r.boolean(node, BLF.plusTravel),
                        min_participants=r.integer(node, BLF.minParticipants),
                        max_participants=r.integer(node, BLF.maxParticipants),
                        includes=r.texts(node, BLF.includes),
                        first_year_price=r.decimal(node, BLF.firstYearPrice),
                        first_year_discount=r.decimal(node, BLF.firstYearDiscount),
                        sources=self.sources(node),
                    ),
                )
            )

    # -- evidence ------------------------------------------------------------------------

    def build_evidence(self) -> None:
        r = self.r
        for cls, kind in FINDING_KINDS.items():
            for node in r.instances(cls):
                self.catalog.findings.append(
                    self.register(
                        node,
                        m.Finding(
                            **self.ident(node),
                            kind=kind,
                            label=r.label(node),
                            text=r.text(node, BLF.text),
                            outcome_domain=self.one(node, BLF.outcomeDomain),
                            rating=self.one(node, BLF.effectivenessRating),
                            intervention_percent=r.decimal(node, BLF.interventionPercent),
                            comparison_percent=r.decimal(node, BLF.comparisonPercent),
                            studies=r.integer(node, BLF.studyCount),
                            schools=r.integer(node, BLF.schoolCount),
                            principals=r.integer(node, BLF.principalCount),
                            approximate_teachers=r.integer(node, BLF.approximateTeacherCount),
                            approximate_students=r.integer(node, BLF.approximateStudentCount),
                            average_r=r.decimal(node, BLF.averageR),
                            first_year_covered=r.year(node, BLF.firstYearCovered),
                            last_year_covered=r.year(node, BLF.lastYearCovered),
                            interpretation=r.text(node, BLF.interpretation),
                            sources=self.sources(node),
                            quotations=self.quotations(node),
                        ),
                    )
                )
        for node in r.instances(BLF.Study):
            self.catalog.studies.append(
                self.register(
                    node,
                    m.Study(
                        **self.ident(node),
                        label=r.label(node),
                        design=r.text(node, BLF.design),
                        setting=r.text(node, BLF.setting),
                        comparison_condition=r.text(node, BLF.comparisonCondition),
                        principals=r.integer(node, BLF.principalCount),
                        findings=self.linked(node, BLF.hasFinding),
                        sources=self.sources(node),
                        quotations=self.quotations(node),
                    ),
                )
            )
        for node in r.instances(BLF.EvidenceReview):
            self.catalog.reviews.append(
                self.register(
                    node,
                    m.Review(
                        **self.ident(node),
                        label=r.label(node),
                        studies_identified=r.integer(node, BLF.studiesIdentified),
                        studies_meeting_standards=r.integer(node, BLF.studiesMeetingStandards),
                        standards_version=r.text(node, BLF.standardsVersion),
                        protocol_version=r.text(node, BLF.protocolVersion),
                        study_rating=r.text(node, BLF.studyRating),
                        reviewed_studies=self.linked(node, BLF.reviewedStudy),
                        findings=self.linked(node, BLF.hasFinding),
                        unknown_effect_domains=self.linked(node, BLF.unknownEffectDomain),
                        sources=self.sources(node),
                        quotations=self.quotations(node),
                    ),
                )
            )


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
