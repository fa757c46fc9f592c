"""From a description's triples to the page a browser shows: labels, links and sections.

Links to IRIs this server resolves (instances and named graphs under the configured base, the
ontology and the shapes) point at this server, so a local deployment can be browsed; other
IRIs link to where they live.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from rdflib import DCTERMS, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from blkg.config import Settings
from blkg.namespaces import OA, VOCABULARY_ROOT
from blkg.resource_description import Describer, Description
from blkg.vocabulary import BLF
from blkg.web.pages import Page, Row, Section, Value

VOCABULARY_DOCUMENTS = ("def", "shapes")
MAX_NESTING = 3
# The links that make up the map from sessions to responsibilities, and what a page that
# shows any of them says about the map.
MAP_LINKS = (BLF.SessionLink, BLF.SessionFocus, BLF.ComponentMembership)
MAP_NOTICE = (
    "No source maps sessions to individual responsibilities. Which sessions address which "
    "responsibility is this project's reading: a session addresses the responsibilities of "
    "the components it focuses on. Each link below shows its basis, its rationale and the "
    "words of the sources it starts from."
)
# What a qualified link rests on, shown beside every link a page lists, in this order.
QUALIFIERS = (BLF.basis, BLF.depth, BLF.rationale, BLF.quotation)

Triple = tuple[Node, Node, Node]
Alternate = tuple[str, str, str]  # a format's name, its media type, the link to it


def local_href(iri: str, settings: Settings) -> str | None:
    """The path on this server that resolves `iri`, or None if it is not one of ours."""
    if iri.startswith((settings.instance_base, settings.graph_iri(""))):
        return "/" + iri.removeprefix(settings.base_iri)
    if iri.startswith(VOCABULARY_ROOT):
        rest = iri.removeprefix(VOCABULARY_ROOT)
        if re.split(r"[/#]", rest, maxsplit=1)[0] in VOCABULARY_DOCUMENTS:
            return "/" + rest
    return None


class PageBuilder:
    """Builds pages from descriptions, naming things by their labels."""

    def __init__(self, describer: Describer, settings: Settings):
        self.describer = describer
        self.settings = settings
        self.inferred = URIRef(settings.graph_iri("inferred"))
        self.namespaces = describer.everything.namespace_manager

    def resource_page(self, description: Description, alternates: list[Alternate]) -> Page:
        union = description.union()
        derived = description.parts.get(self.inferred, Graph())
        sections = [self._section(union, derived, s) for s in description.subjects]
        page = Page(self.name(description.iri), sections, alternates=alternates)
        if self._maps_sessions(union):
            page.notice = MAP_NOTICE
        return page

    def _maps_sessions(self, union: Graph) -> bool:
        """Whether the page shows links of the map from sessions to responsibilities."""
        everything = self.describer.everything
        nodes = set(union.subjects()) | {o for o in union.objects() if isinstance(o, URIRef)}
        return any((n, RDF.type, kind) in everything for n in nodes for kind in MAP_LINKS)

    def index_page(self, description: Description, alternates: list[Alternate]) -> Page:
        """A named graph: what it holds, grouped by type."""
        (triples,) = description.parts.values()
        section = Section(self.name(description.iri), str(description.iri))
        section.rows = [Row("triples", None, [Value(f"{len(triples):,}")])]
        section.rows += self._by_type(triples)
        return Page(section.title, [section], alternates=alternates)

    # -- naming ----------------------------------------------------------------------------

    def name(self, node: Node) -> str:
        label = self.describer.label(node)
        if label:
            return label
        return self.compact(node) if isinstance(node, URIRef) else str(node)

    def compact(self, iri: URIRef) -> str:
        try:
            prefix, _, local = self.namespaces.compute_qname(iri, generate=False)
        except (KeyError, ValueError):
            return str(iri)
        return f"{prefix}:{local}"

    def href(self, iri: Node) -> str:
        """The link to `iri`: its path on this server if it is one of ours, else its text."""
        return local_href(str(iri), self.settings) or str(iri)

    def _link(self, node: Node) -> str | None:
        return self.href(node) if isinstance(node, URIRef) else None

    # -- sections --------------------------------------------------------------------------

    def _section(self, union: Graph, derived: Graph, subject: URIRef) -> Section:
        anchor = str(subject).partition("#")[2] or None
        section = Section(self.name(subject), str(subject), anchor)
        types = [(subject, RDF.type, t) for t in union.objects(subject, RDF.type)]
        section.types = _by_text(self._value(union, derived, t, 0) for t in types)
        outgoing = [t for t in union.triples((subject, None, None)) if t[1] != RDF.type]
        section.rows = self._rows(union, derived, outgoing, lambda t: t[2], 0)
        incoming = [t for t in union.triples((None, None, subject)) if t[0] != subject]
        section.incoming = self._rows(union, derived, incoming, lambda t: t[0], 0)
        return section

    def _rows(
        self,
        union: Graph,
        derived: Graph,
        triples: Iterable[Triple],
        end: Callable[[Triple], Node],
        depth: int,
    ) -> list[Row]:
        grouped: dict[Node, list[Value]] = defaultdict(list)
        for triple in triples:
            grouped[triple[1]].append(self._value(union, derived, triple, depth, end(triple)))
        rows = [Row(self.name(p), self.href(p), _by_text(values)) for p, values in grouped.items()]
        return sorted(rows, key=lambda row: row.label.lower())

    def _value(
        self, union: Graph, derived: Graph, triple: Triple, depth: int, node: Node | None = None
    ) -> Value:
        node = triple[2] if node is None else node
        is_derived = triple in derived
        if isinstance(node, Literal):
            return Value(str(node), None, self._literal_note(node), is_derived)
        if isinstance(node, BNode):
            nested = []
            if depth < MAX_NESTING:
                inner = list(union.triples((node, None, None)))
                nested = self._rows(union, derived, inner, lambda t: t[2], depth + 1)
            return Value("", None, "", is_derived, nested)
        everything = self.describer.everything
        if (node, RDF.type, OA.TextQuoteSelector) in everything:
            return self._quotation(node)
        number = everything.value(node, BLF.number)
        position = number.toPython() if isinstance(number, Literal) else None
        position = position if isinstance(position, int) else None
        value = Value(self.name(node), self.href(node), "", is_derived, number=position)
        if self._is_qualified(node):
            value.rows = self._qualifiers(node)
        return value

    def _is_qualified(self, node: Node) -> bool:
        everything = self.describer.everything
        return any(
            (kind, RDFS.subClassOf, BLF.QualifiedLink) in everything or kind == BLF.SessionLink
            for kind in everything.objects(node, RDF.type)
        )

    def _qualifiers(self, link: Node) -> list[Row]:
        """The basis, depth, rationale and quotations of a link a page lists, so that readers
        see what each link rests on where they see the link."""
        everything = self.describer.everything
        rows = []
        for prop in QUALIFIERS:
            values = [
                self._quotation(o) if prop == BLF.quotation else self._plain(o)
                for o in everything.objects(link, prop)
            ]
            if values:
                rows.append(Row(self.name(prop), self.href(prop), _by_text(values)))
        return rows

    def _plain(self, node: Node) -> Value:
        if isinstance(node, Literal):
            return Value(str(node))
        return Value(self.name(node), self._link(node))

    def _quotation(self, node: Node) -> Value:
        everything = self.describer.everything
        exact = everything.value(node, OA.exact)
        where = [self.name(s) for s in everything.objects(node, DCTERMS.source)]
        where += [str(loc) for loc in everything.objects(node, BLF.locator)]
        text = f"“{exact}”" if exact is not None else self.name(node)
        return Value(text, self._link(node), ", ".join(where))

    def _literal_note(self, literal: Literal) -> str:
        if literal.language:
            return literal.language
        if literal.datatype and literal.datatype != XSD.string:
            return self.compact(literal.datatype)
        return ""

    def _by_type(self, triples: Graph) -> list[Row]:
        members: dict[Node | None, set[Node]] = defaultdict(set)
        for subject in set(triples.subjects()):
            types: set[Node | None] = set(triples.objects(subject, RDF.type)) or {None}
            for kind in types:
                members[kind].add(subject)
        rows = []
        for kind, subjects in members.items():
            values = _by_text(Value(self.name(s), self._link(s)) for s in subjects)
            label = "untyped here" if kind is None else self.name(kind)
            rows.append(Row(label, None if kind is None else self.href(kind), values))
        return sorted(rows, key=lambda row: row.label.lower())


def _by_text(values: Iterable[Value]) -> list[Value]:
    """Numbered nodes by number (session 2 before session 10), then the rest by their text."""
    return sorted(values, key=_order)


def _order(value: Value) -> tuple[bool, int, list[int | str]]:
    numbered = value.number is not None
    return (not numbered, value.number or 0, _natural(value.text))


def _natural(text: str) -> list[int | str]:
    """`text` as a sort key in which runs of digits compare as numbers ("9" before "10")."""
    # re.split with a group puts the digit runs at the odd positions of every key alike.
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text.lower())]


__all__ = ["PageBuilder", "local_href"]
