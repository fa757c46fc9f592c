"""The Node interface, the enums and the types every other type refers to (Source, Concept)."""

from __future__ import annotations

import strawberry
from rdflib import SKOS

from blkg.api.descriptions import from_ontology
from blkg.read import model as m
from blkg.vocabulary import BLF

Basis = strawberry.enum(
    m.Basis,
    description="What a link rests on: SOURCED (a quotation from a source states it; the "
    "quotations are kept with the link) or EDITORIAL (the project's reasoned reading, with a "
    "rationale).",
)
Depth = strawberry.enum(
    m.Depth,
    description="How deeply a session treats what it addresses, shallowest first: INTRODUCES "
    "(an introduction and awareness), DEVELOPS (knowledge and understanding), APPLIES (applied "
    "to situations such as case studies), INTEGRATES (building on earlier sessions, practised "
    "and applied). Each includes the ones before it.",
)
ChangeAssociation = strawberry.enum(
    m.ChangeAssociation, description=from_ontology(BLF.ChangeAssociation)
)
OutcomeKind = strawberry.enum(
    m.OutcomeKind,
    description="The kind of program outcome: ULTIMATE (end of the consortium), ANNUAL (end of "
    "one year) or REAL_RESULT (the brochure's promised results).",
)


FindingKind = strawberry.enum(
    m.FindingKind,
    description="The kind of a finding: REVIEW (an evidence review's rating), STUDY (reported by "
    "a study's authors), META_ANALYSIS (a headline result of a meta-analysis) or SUMMARY (a "
    "secondary source's summary).",
)


ID_DOC = "A stable global id: the node's IRI relative to the dataset base (e.g. 'session/3')."
IRI_DOC = "The node's full IRI; it resolves to the node's description on this server."
SOURCES_DOC = "The sources that state this, ordered by key."


@strawberry.interface(description="Anything that is a node of the knowledge graph.")
class Node:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    iri: str = strawberry.field(description=IRI_DOC)


def plain_type(model_class):
    """An `is_type_of` that recognises the read layer's objects of `model_class`."""

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return type(obj) is model_class

    return is_type_of


@strawberry.type(description="A publication or web page the graph's facts are taken from.")
class Source(Node):
    key: str = strawberry.field(description="Short key of the source, e.g. 'marzano-2005'.")
    label: str = strawberry.field(description="Short human-readable name (authors and year).")
    title: str | None = strawberry.field(description="Title of the work.")
    creators: list[str] = strawberry.field(description="Authors, in citation order.")
    issued: str | None = strawberry.field(description="Year (or year and month) of issue.")
    publisher: str | None = strawberry.field(description="Publisher of the work.")
    identifiers: list[str] = strawberry.field(
        description="Identifiers such as a DOI, ERIC or report number."
    )
    url: str | None = strawberry.field(description="Where the work can be read, if given.")
    citation: str | None = strawberry.field(description="Full bibliographic citation.")
    note: str | None = strawberry.field(description="Editorial note about the source.")
    is_type_of = plain_type(m.Source)


@strawberry.type(
    description="Words of a source, quoted verbatim, that a link or fact rests on. On a sourced "
    "link the quotation states the link; on an editorial link it is what the reading starts from."
)
class Quotation(Node):
    exact: str = strawberry.field(description="The source's words, verbatim.")
    source: Source = strawberry.field(description="The source the words come from.")
    locator: str | None = strawberry.field(description=from_ontology(BLF.locator))
    is_type_of = plain_type(m.Quotation)


QUOTATIONS_DOC = "The quotations the link rests on, in the order of their ids."
FACT_QUOTATIONS_DOC = (
    "The words of its sources that state it, verbatim, in the order of their ids; empty where "
    "none is quoted."
)
RATIONALE_DOC = (
    "The project's reasoning where the link is editorial: what in the sources the reading rests "
    "on. Null on sourced links."
)
DEPTH_ARGUMENT_DOC = (
    "Only links whose session treats what it addresses at least this deeply (default: any "
    "depth; a session without a recorded depth is left out when this is given). With `basis`, "
    "the depth must rest on one of those bases too: both filters hold."
)
LINK_SOURCES_DOC = (
    "The works the link names, ordered by key: on a sourced link, the source its quotations "
    "come from; on an editorial link, works the reading leans on, which are not statements "
    "of the link by them (the rationale says how each is used)."
)


@strawberry.type(
    description="A concept of one of the framework's smaller schemes: phases of change, "
    "characteristics of a purposeful community, orders of change, practice levels, "
    "instructional methods, outcome domains."
)
class Concept(Node):
    slug: str = strawberry.field(description="Stable identifier, the last segment of the IRI.")
    scheme: str = strawberry.field(description="Slug of the concept scheme the concept is in.")
    number: int | None = strawberry.field(description=from_ontology(BLF.number))
    name: str = strawberry.field(description="Preferred English label.")
    alt_names: list[str] = strawberry.field(description="Other names the sources use.")
    definition: str | None = strawberry.field(
        description=from_ontology(
            SKOS.definition,
            "Definition in the project's own words; null where no source gives the content.",
        )
    )
    sources: list[Source] = strawberry.field(description=SOURCES_DOC)
    is_type_of = plain_type(m.Concept)


__all__ = [
    "ID_DOC",
    "IRI_DOC",
    "SOURCES_DOC",
    "Basis",
    "ChangeAssociation",
    "Concept",
    "FindingKind",
    "Node",
    "OutcomeKind",
    "Source",
    "plain_type",
]
