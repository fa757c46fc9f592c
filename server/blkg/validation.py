"""SHACL validation of the whole graph, reported as plain violations a user can act on.

What a user reads when the data is invalid (`report`), in this order:

1. Each IRI of the project's namespaces that the data uses and nothing declares (a mistyped
   slug), once, with the file and line that write it and the closest declared IRI
   (blkg.undeclared). It comes first because it is usually the cause of what follows.
2. The violations of nodes the data files write, each once, with the file and line of its
   subject, in file and line order. A violation whose node is linked to an undeclared IRI says
   that it may follow from it, so a hint such as "add a membership" does not send the user
   after a link they did write, only misspelt.
3. The violations of derived nodes (computed when the graph is loaded, such as session links),
   with the files and lines of the links they were derived from.

Violations that only restate an undeclared IRI are counted in one line, not printed: those
whose value is the IRI (the line of the IRI names the same place) and those of derived nodes
computed from data that uses it. The user never wrote the derived nodes, there is one per
derived path through the typo, and all of them go when the typo is fixed; printed, they buried
the cause under lines about links nobody wrote.

The same problem is printed once: results with the same focus node, path, message and value
are one violation, and a pair of nodes that each break a shape because of the other (two
sessions with one number) is one violation with both places. The counts count what is printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import PROV, RDF, SH, Graph, URIRef
from rdflib.term import Node

from blkg.errors import ShapesError
from blkg.loading import FileIndex
from blkg.positions import Place, Positions
from blkg.undeclared import Undeclared, describe, namespaces, undeclared_iris


@dataclass(frozen=True)
class Violation:
    """One SHACL result: where it is, what is wrong, and the shape that says so."""

    focus: str
    path: str | None
    message: str
    shape: str
    value: str | None = None
    files: tuple[Path, ...] = ()
    line: int | None = None  # of the focus node's subject in files[0]
    derived_from: tuple[Place, ...] = ()  # for a derived node: the links it was derived from
    value_at: Place | None = None  # the value node's place, when it is a node of the data
    note: str | None = None
    follows_from: str | None = None  # the undeclared IRI (as shown) a derived violation stems from

    def __str__(self) -> str:
        focus = self.focus
        if self.derived_from:
            where = f"{self.derived_from[0]}: "
            focus += f" (derived from {', '.join(str(p) for p in self.derived_from)})"
        elif self.files:
            where = f"{Place(self.files[0], self.line)}: "
        else:
            where = ""
        path = f" {self.path}" if self.path else ""
        value = ""
        if self.value and self.value != self.focus:
            at = f", {self.value_at}" if self.value_at else ""
            value = f" (value: {self.value}{at})"
        note = f" ({self.note})" if self.note else ""
        return f"{where}{focus}{path}: {self.message}{value}{note}"


Problem = Undeclared | Violation


def validate(graph: Graph, shapes: Graph, index: FileIndex | None = None) -> list[Problem]:
    """Validate `graph` (ontology included) against `shapes`; an empty list means it conforms.

    With the `index` of the files the graph was loaded from, IRIs used but never declared are
    problems too (they come first), and each violation names its file and line.
    """
    import pyshacl  # here, not at the top: `blkg serve` validates in a child process (startup.py)

    index = index or FileIndex()
    pristine = Graph()  # pySHACL adds to the shapes graph it is given; keep the caller's as written
    pristine += shapes
    conforms, report, _ = pyshacl.validate(
        graph,
        shacl_graph=pristine,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=True,
    )
    if not isinstance(report, Graph):  # pySHACL could not run the shapes at all
        raise ShapesError(str(report))
    checked = namespaces(index.bases.values()) if index.bases else ()
    missing = undeclared_iris(graph, checked) if checked else []
    if conforms and not missing:
        return []
    positions = Positions(index)
    undeclared = describe(missing, graph, checked, positions) if missing else []
    results = [] if conforms else _results(report)
    return [*undeclared, *_violations(results, graph, index, positions, undeclared)]


def report(problems: Sequence[Problem]) -> list[str]:
    """The lines `blkg validate` and `blkg serve` print for `problems`, the count last."""
    undeclared = [p for p in problems if isinstance(p, Undeclared)]
    violations = [p for p in problems if isinstance(p, Violation)]
    shown = [v for v in violations if v.follows_from is None]
    hidden = [v for v in violations if v.follows_from is not None]
    lines = [str(p) for p in [*undeclared, *shown]]
    if hidden:
        causes = " and ".join(sorted({v.follows_from for v in hidden}))
        lines.append(
            f"blkg: {len(hidden)} more violations follow from {causes} and are not shown "
            "(they name it, or are of nodes derived from data that does); they go once it is "
            "fixed."
            if len(hidden) > 1
            else f"blkg: 1 more violation follows from {causes} and is not shown (it names it, "
            "or is of a node derived from data that does); it goes once that is fixed."
        )
    counts = []
    if undeclared:
        counts.append(_count(len(undeclared), "IRI") + " used but never declared")
    if shown or not undeclared:
        counts.append(_count(len(shown), "violation"))
    lines.append(f"blkg: {' and '.join(counts)}; the data was not loaded.")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# -- from pySHACL's report to violations ---------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    focus: Node
    path: Node | tuple[str, Node] | None  # ("^", property) for an inverse path
    value: Node | None
    message: str
    shape: str


def _results(report: Graph) -> list[_Result]:
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        inverse = report.value(path, SH.inversePath) if path is not None else None
        results.append(
            _Result(
                focus=report.value(result, SH.focusNode),
                path=("^", inverse) if inverse is not None else path,
                value=report.value(result, SH.value),
                message=str(report.value(result, SH.resultMessage) or "constraint not met"),
                shape=str(report.value(result, SH.sourceShape)),
            )
        )
    return results


def _violations(
    results: Iterable[_Result],
    graph: Graph,
    index: FileIndex,
    positions: Positions,
    undeclared: list[Undeclared],
) -> list[Violation]:
    missing = {URIRef(u.iri): u for u in undeclared}
    unique: dict[tuple, _Result] = {}
    for result in results:
        unique.setdefault((result.focus, result.path, result.message, result.value), result)
    kept = _fold_mirrors(list(unique.values()))
    show = _Shower(graph, index, positions)
    violations = []
    for result, mirrored in kept:
        files = index.files_of(result.focus)
        about = result.path if isinstance(result.path, URIRef) else None
        place = positions.subject(str(result.focus), files, str(about) if about else None)
        if place is not None:
            files = (place.path, *[f for f in files if f != place.path])
        violation = Violation(
            focus=show.node(result.focus),
            path=show.path(result.path),
            message=result.message,
            shape=result.shape,
            value=None if result.value is None else show.node(result.value),
            files=files,
            line=place.line if place else None,
            value_at=show.place(mirrored) if mirrored is not None else None,
        )
        restated = next((n for n in (result.value, result.focus) if n in missing), None)
        if restated is not None:  # it restates the undeclared IRI's own line
            violation = replace(violation, follows_from=missing[restated].shown)
        elif files:
            note = _note(result, graph, missing, undeclared)
            violation = replace(violation, note=note) if note else violation
        else:
            violation = replace(
                violation,
                derived_from=tuple(
                    p
                    for source in sorted(graph.objects(result.focus, PROV.wasDerivedFrom), key=str)
                    if (p := show.place(source)) is not None
                ),
                follows_from=_cause(result, graph, missing),
            )
        violations.append(violation)
    return sorted(violations, key=_order)


def _fold_mirrors(results: list[_Result]) -> list[tuple[_Result, Node | None]]:
    """Each result once, and of two results that name each other (A with value B, B with
    value A, same path and message) only the first, with the other's focus as its mirror."""
    by_key = {(r.focus, r.path, r.message, r.value): r for r in results}
    dropped: set[_Result] = set()
    kept = []
    for result in sorted(results, key=lambda r: (str(r.focus), str(r.value))):
        if result in dropped:
            continue
        mirror = by_key.get((result.value, result.path, result.message, result.focus))
        if mirror is not None and mirror is not result:
            dropped.add(mirror)
            kept.append((result, result.value))
        else:
            kept.append((result, None))
    return kept


def _note(
    result: _Result, graph: Graph, missing: dict[URIRef, Undeclared], undeclared: list[Undeclared]
) -> str | None:
    """Why a violation of a written node may follow from an undeclared IRI, if it may."""
    for item in undeclared:
        if item.suggested_iri is not None and URIRef(item.suggested_iri) == result.focus:
            at = f", written at {item.place} and never declared," if item.place else ""
            return f"{item.shown}{at} may be a misspelling of this node"
    neighbours = set(graph.subjects(None, result.focus)) | set(graph.objects(result.focus))
    for node in [result.focus, *sorted(neighbours - {result.focus}, key=str)]:
        for predicate, value in sorted(graph.predicate_objects(node), key=_texts):
            item = missing.get(predicate) or missing.get(value)
            if item is not None:
                at = f" at {item.place}" if item.place else ""
                return f"this may follow from {item.shown}{at}, which is never declared"
    return None


def _texts(pair: tuple[Node, Node]) -> tuple[str, str]:
    return (str(pair[0]), str(pair[1]))


def _cause(result: _Result, graph: Graph, missing: dict[URIRef, Undeclared]) -> str | None:
    """The undeclared IRI a derived node's violation stems from, if it stems from one."""
    sources = [result.focus, *graph.objects(result.focus, PROV.wasDerivedFrom)]
    for source in sources:
        for node in (*graph.objects(source), *graph.subjects(None, source)):
            if node in missing:
                return missing[node].shown
    return None


def _order(violation: Violation) -> tuple:
    if violation.files and not violation.derived_from:
        tier, place = 0, Place(violation.files[0], violation.line)
    elif violation.follows_from is None:
        tier, place = 1, violation.derived_from[0] if violation.derived_from else None
    else:
        tier, place = 2, violation.derived_from[0] if violation.derived_from else None
    where = (str(place.path), place.line or 0) if place else ("", 0)
    return (
        tier,
        *where,
        violation.focus,
        violation.path or "",
        violation.message,
        violation.value or "",
    )


class _Shower:
    """Nodes as the files write them: prefixed names, or IRIs relative to the data's base."""

    def __init__(self, graph: Graph, index: FileIndex, positions: Positions):
        self.graph, self.index, self.positions = graph, index, positions

    def node(self, node: Node) -> str:
        if isinstance(node, URIRef) and self.index.bases:
            files = self.index.files_of(node)
            shown = self.positions.show(str(node), files[0] if files else None)
            if shown is not None:
                return shown
        return node.n3(self.graph.namespace_manager)

    def path(self, path) -> str | None:
        if path is None:
            return None
        if isinstance(path, tuple):  # an inverse path
            return "^" + path[1].n3(self.graph.namespace_manager)
        return path.n3(self.graph.namespace_manager)

    def place(self, node: Node) -> Place | None:
        files = self.index.files_of(node)
        return self.positions.subject(str(node), files) if files else None


__all__ = ["Problem", "Violation", "report", "validate"]
