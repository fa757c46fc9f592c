"""IRIs used but never declared: the mistyped slug, reported once, where it is written.

An IRI of the project's own namespaces (the instance base the data files are read with, and
the blf: vocabulary) is *declared* when some node of the graph gives it an rdf:type: the data
and the ontology declare what they describe, and the derivation types the nodes it computes
(session links), which the data may point at. IRIs of other namespaces (rdf, rdfs, owl, xsd,
skos, dcterms, schema, prov, oa, sh, dcat, void, vann, web pages) are not ours to declare and
are never reported. An IRI of our namespaces that a triple uses (as subject, predicate or
object) and nothing types is almost always a typing mistake, so it is reported with the place
it is first written and the closest declared IRI of the same folder ("did you mean ...").
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from blkg.positions import Place, Positions
from blkg.vocabulary import BLF_IRI

SHOWN_ELSEWHERE = 3  # further places named after the first one


@dataclass(frozen=True)
class Undeclared:
    """An IRI of the project's namespaces that the data uses and nothing declares."""

    iri: str
    shown: str
    place: Place | None = None
    suggestion: str | None = None
    suggested_iri: str | None = None
    elsewhere: tuple[Place, ...] = ()
    more: int = 0  # places beyond those in `elsewhere`

    def __str__(self) -> str:
        where = f"{self.place}: " if self.place else ""
        if self.suggestion:
            hint = f"; did you mean {self.suggestion}?"
        else:
            hint = "; declare it (give it an rdf:type) or correct it"
        also = ""
        if self.elsewhere:
            places = ", ".join(str(p) for p in self.elsewhere)
            more = f" and {self.more} more" if self.more else ""
            also = f" (also used at {places}{more})"
        return f"{where}{self.shown} is used but never declared{hint}{also}"


def namespaces(bases) -> tuple[str, ...]:
    """The namespaces whose IRIs must be declared: the bases data files are read with, blf:."""
    return (*sorted({b for b in bases if b}), BLF_IRI)


def undeclared_iris(graph: Graph, checked: tuple[str, ...]) -> list[URIRef]:
    """The IRIs of the `checked` namespaces that `graph` uses and types nowhere, sorted."""
    typed = set(graph.subjects(RDF.type))
    used = {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and node not in typed and str(node).startswith(checked)
    }
    return sorted(used)


def describe(iris: list[URIRef], graph: Graph, checked: tuple[str, ...], positions: Positions):
    """Each undeclared IRI with where it is written and the declared IRI it most resembles."""
    declared = _declared_by_folder(graph, checked)
    found = []
    for iri in iris:
        places = positions.uses(str(iri))
        first = places[0] if places else None
        home = first.path if first else None
        suggestion = _closest(str(iri), declared, checked)
        found.append(
            Undeclared(
                iri=str(iri),
                shown=_show(positions, str(iri), home),
                place=first,
                suggestion=None if suggestion is None else _show(positions, suggestion, home),
                suggested_iri=suggestion,
                elsewhere=tuple(places[1 : 1 + SHOWN_ELSEWHERE]),
                more=max(0, len(places) - 1 - SHOWN_ELSEWHERE),
            )
        )
    return sorted(found, key=_order)


def _order(undeclared: Undeclared) -> tuple:
    place = undeclared.place
    if place is None:
        return (1, "", 0, undeclared.iri)
    return (0, str(place.path), place.line or 0, undeclared.iri)


def _show(positions: Positions, iri: str, path: Path | None) -> str:
    return positions.show(iri, path) or f"<{iri}>"


def _folder(iri: str) -> tuple[str, str]:
    """`iri` split after its last `/` or `#`: (folder, local name)."""
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    return iri[:cut], iri[cut:]


def _declared_by_folder(graph: Graph, checked: tuple[str, ...]) -> dict[str, list[str]]:
    folders: dict[str, list[str]] = defaultdict(list)
    for node in set(graph.subjects(RDF.type)):
        if isinstance(node, URIRef) and str(node).startswith(checked):
            folder, local = _folder(str(node))
            folders[folder].append(local)
    return {folder: sorted(locals_) for folder, locals_ in folders.items()}


def _closest(iri: str, declared: dict[str, list[str]], checked: tuple[str, ...]) -> str | None:
    """The declared IRI most like `iri`: in the same folder by local name, else anywhere in
    the same namespace by the path under it (a mistyped folder, as in `<sesion/3>`)."""
    folder, local = _folder(iri)
    match = difflib.get_close_matches(local, declared.get(folder, []), n=1, cutoff=0.6)
    if match:
        return folder + match[0]
    namespace = max((ns for ns in checked if iri.startswith(ns)), key=len)
    paths = [
        (f + name)[len(namespace) :]
        for f, names in declared.items()
        if f.startswith(namespace)
        for name in names
    ]
    match = difflib.get_close_matches(iri[len(namespace) :], paths, n=1, cutoff=0.75)
    return namespace + match[0] if match else None


__all__ = ["Undeclared", "describe", "namespaces", "undeclared_iris"]
