"""The project's own terms (the `blf:` namespace) as Python names.

Kept equal to the ontology in both directions by tests/test_vocabulary.py: every name here is
declared in ontology/blkg.ttl and every term declared there has a name here.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from blkg.namespaces import VOCABULARY_ROOT

BLF_IRI = VOCABULARY_ROOT + "def#"
BLSH = Namespace(VOCABULARY_ROOT + "shapes#")


class BLF(DefinedNamespace):
    """Balanced Leadership Knowledge Graph ontology terms."""

    _NS = Namespace(BLF_IRI)
    _fail = True

    AnnualOutcome: URIRef
    Applies: URIRef
    Basis: URIRef
    BasisScheme: URIRef
    ChangeAssociation: URIRef
    ChangeAssociationScheme: URIRef
    ChangeOrder: URIRef
    ChangePhase: URIRef
    CommunityCharacteristic: URIRef
    Component: URIRef
    ComponentMembership: URIRef
    Correlation: URIRef
    Depth: URIRef
    DepthScheme: URIRef
    Develops: URIRef
    Editorial: URIRef
    EffectivenessRating: URIRef
    EvidenceReview: URIRef
    Finding: URIRef
    Framework: URIRef
    InstructionalMethod: URIRef
    Integrates: URIRef
    Introduces: URIRef
    KnowledgeType: URIRef
    LearningOutcome: URIRef
    MetaAnalysisFinding: URIRef
    NegativeAssociation: URIRef
    Offering: URIRef
    OutcomeDomain: URIRef
    PositiveAssociation: URIRef
    PracticeCoverage: URIRef
    PracticeLevel: URIRef
    ProgramElement: URIRef
    ProgramModel: URIRef
    ProgramOutcome: URIRef
    ProgramYear: URIRef
    QualifiedLink: URIRef
    RealResult: URIRef
    ResearchPractice: URIRef
    Responsibility: URIRef
    ReviewFinding: URIRef
    Session: URIRef
    SessionFocus: URIRef
    SessionLink: URIRef
    Sourced: URIRef
    Study: URIRef
    StudyFinding: URIRef
    SummaryFinding: URIRef
    Treatment: URIRef
    UltimateOutcome: URIRef
    addressRule: URIRef
    addresses: URIRef
    approximateStudentCount: URIRef
    approximateTeacherCount: URIRef
    averageR: URIRef
    basis: URIRef
    ciLower: URIRef
    ciUpper: URIRef
    comparisonCondition: URIRef
    comparisonPercent: URIRef
    component: URIRef
    correlation: URIRef
    costDriver: URIRef
    days: URIRef
    deliveryMethod: URIRef
    depth: URIRef
    design: URIRef
    developsKnowledgeType: URIRef
    effectivenessRating: URIRef
    extends: URIRef
    firstYearCovered: URIRef
    firstYearDiscount: URIRef
    firstYearPrice: URIRef
    focusesOn: URIRef
    guidingQuestion: URIRef
    hasComponent: URIRef
    hasElement: URIRef
    hasFinding: URIRef
    inComponent: URIRef
    includes: URIRef
    interpretation: URIRef
    interventionPercent: URIRef
    lastYearCovered: URIRef
    learningOutcomeOf: URIRef
    locator: URIRef
    maxDays: URIRef
    maxParticipants: URIRef
    maxSessions: URIRef
    method: URIRef
    minDays: URIRef
    minParticipants: URIRef
    minSessions: URIRef
    number: URIRef
    onRequest: URIRef
    outcomeDomain: URIRef
    partOfProgram: URIRef
    plusTravel: URIRef
    practice: URIRef
    practiceLevel: URIRef
    priceUnit: URIRef
    principalCount: URIRef
    protocolVersion: URIRef
    quotation: URIRef
    r: URIRef
    rationale: URIRef
    responsibility: URIRef
    reviewedStudy: URIRef
    schoolCount: URIRef
    secondOrderAssociation: URIRef
    secondOrderRank: URIRef
    session: URIRef
    setting: URIRef
    standardsVersion: URIRef
    studiesIdentified: URIRef
    studiesMeetingStandards: URIRef
    studyCount: URIRef
    studyRating: URIRef
    targetPopulation: URIRef
    text: URIRef
    unknownEffectDomain: URIRef
    via: URIRef
    year: URIRef


__all__ = ["BLF", "BLF_IRI", "BLSH"]
