"""The Node interface, the enums and the types every other type refers to (Source, Concept)."""

from __future__ import annotations

import strawberry

from blkg.api.descriptions import from_ontology
from blkg.api.types.published import published
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


@strawberry.interface(description="Anything that is a node of the knowledge graph.")
class Node:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    iri: str = strawberry.field(description=IRI_DOC)


@published(m.Source)
class Source(Node):
    pass


@published(m.Quotation)
class Quotation(Node):
    pass


DEPTH_ARGUMENT_DOC = (
    "Only links whose session treats what it addresses at least this deeply (default: any "
    "depth; a session without a recorded depth is left out when this is given). With `basis`, "
    "the depth must rest on one of those bases too: both filters hold."
)


@published(m.Concept)
class Concept(Node):
    pass


__all__ = [
    "ID_DOC",
    "IRI_DOC",
    "Basis",
    "ChangeAssociation",
    "Concept",
    "FindingKind",
    "Node",
    "OutcomeKind",
    "Source",
]
