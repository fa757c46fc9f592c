"""The derived links: which sessions address which responsibility, with basis and provenance.

Rule (blf:addressRule): a session addresses a responsibility when the session focuses on a
component that groups the responsibility. A derived link is sourced when both links of one of
its paths are sourced, and editorial otherwise; its rationale names the links of each path with
their bases, and its provenance (prov:wasDerivedFrom) reaches them and their quotations. The
shortcuts blf:inComponent and blf:focusesOn are projections of the qualified links they come
from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from blkg.vocabulary import BLF


@dataclass(frozen=True)
class QualifiedLink:
    node: Node
    subject: Node
    component: Node
    basis: Node | None

    @property
    def sourced(self) -> bool:
        return self.basis == BLF.Sourced


@dataclass(frozen=True)
class Path:
    component: Node
    focus: QualifiedLink
    membership: QualifiedLink

    @property
    def sourced(self) -> bool:
        return self.focus.sourced and self.membership.sourced


def _links(graph: Graph, cls: URIRef, subject_property: URIRef) -> list[QualifiedLink]:
    links = []
    for node in graph.subjects(RDF.type, cls):
        subject = graph.value(node, subject_property)
        component = graph.value(node, BLF.component)
        if subject is None or component is None:
            continue  # incomplete links are reported by the shapes, not guessed at here
        links.append(QualifiedLink(node, subject, component, graph.value(node, BLF.basis)))
    return links


def _paths(graph: Graph) -> dict[tuple[Node, Node], list[Path]]:
    members_of: dict[Node, list[QualifiedLink]] = defaultdict(list)
    for membership in _links(graph, BLF.ComponentMembership, BLF.responsibility):
        members_of[membership.component].append(membership)
    paths: dict[tuple[Node, Node], list[Path]] = defaultdict(list)
    for focus in _links(graph, BLF.SessionFocus, BLF.session):
        for membership in members_of[focus.component]:
            paths[(focus.subject, membership.subject)].append(
                Path(focus.component, focus, membership)
            )
    return paths


def _tail(iri: Node) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _label(graph: Graph, node: Node) -> str:
    return str(graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label) or _tail(node))


def infer(asserted: Graph, instance_base: str) -> Graph:
    """Compute the inferred named graph from the asserted data (ontology and data)."""
    inferred = Graph()
    for membership in _links(asserted, BLF.ComponentMembership, BLF.responsibility):
        inferred.add((membership.subject, BLF.inComponent, membership.component))
    for focus in _links(asserted, BLF.SessionFocus, BLF.session):
        inferred.add((focus.subject, BLF.focusesOn, focus.component))

    activity = URIRef(instance_base + "activity/derive-session-links")
    inferred.add((activity, RDF.type, PROV.Activity))
    inferred.add((activity, RDFS.label, Literal("Derivation of session links", lang="en")))
    inferred.add((activity, PROV.used, BLF.addressRule))

    for (session, responsibility), paths in sorted(_paths(asserted).items()):
        link = URIRef(f"{instance_base}session-link/{_tail(session)}/{_tail(responsibility)}")
        _add_link(asserted, inferred, link, session, responsibility, paths, activity)
    return inferred


def _add_link(asserted, inferred, link, session, responsibility, paths, activity) -> None:
    number = asserted.value(session, BLF.number)
    label = f"Session {number} addresses {_label(asserted, responsibility)}"
    basis = BLF.Sourced if any(p.sourced for p in paths) else BLF.Editorial
    inferred.add((link, RDF.type, BLF.SessionLink))
    inferred.add((link, RDFS.label, Literal(label, lang="en")))
    inferred.add((link, BLF.session, session))
    inferred.add((link, BLF.responsibility, responsibility))
    inferred.add((link, BLF.basis, basis))
    inferred.add((link, BLF.rationale, Literal(_rationale(asserted, paths), lang="en")))
    inferred.add((link, PROV.wasGeneratedBy, activity))
    inferred.add((session, BLF.addresses, responsibility))
    for path in paths:
        inferred.add((link, BLF.via, path.component))
        for qualified in (path.focus, path.membership):
            inferred.add((link, PROV.wasDerivedFrom, qualified.node))
            for source in asserted.objects(qualified.node, DCTERMS.source):
                inferred.add((link, DCTERMS.source, source))
            for quotation in asserted.objects(qualified.node, BLF.quotation):
                for source in asserted.objects(quotation, DCTERMS.source):
                    inferred.add((link, DCTERMS.source, source))


def _rationale(asserted: Graph, paths: list[Path]) -> str:
    """Why the rule joins them: the links of each path, each with its basis."""

    def step(link: QualifiedLink) -> str:
        basis = _label(asserted, link.basis) if link.basis is not None else "no basis"
        return f"{_label(asserted, link.node)} ({basis})"

    chains = sorted(f"{step(p.focus)}, and {step(p.membership)}" for p in paths)
    return (
        "A session addresses the responsibilities that the components it focuses on group: "
        + "; ".join(chains)
        + "."
    )


__all__ = ["infer"]
