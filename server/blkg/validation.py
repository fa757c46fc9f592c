"""SHACL validation of the whole graph, reported as plain violations a user can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, SH, Graph
from rdflib.term import Node

from blkg.errors import ShapesError
from blkg.loading import FileIndex


@dataclass(frozen=True)
class Violation:
    """One SHACL result: where it is, what is wrong, and the shape that says so."""

    focus: str
    path: str | None
    message: str
    shape: str
    value: str | None = None
    files: tuple[Path, ...] = ()

    def __str__(self) -> str:
        where = f"{self.files[0]}: " if self.files else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value and self.value != self.focus else ""
        return f"{where}{self.focus}{path}: {self.message}{value}"


def validate(graph: Graph, shapes: Graph, index: FileIndex | None = None) -> list[Violation]:
    """Validate `graph` (ontology included) against `shapes`; an empty list means it conforms."""
    import pyshacl  # here, not at the top: `blkg serve` validates in a child process (startup.py)

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
    if conforms:
        return []
    return sorted(_violations(report, graph, index or FileIndex()), key=_order)


def _order(violation: Violation) -> tuple:
    return (str(violation.files[:1]), violation.focus, violation.path or "", violation.message)


def _violations(report: Graph, graph: Graph, index: FileIndex):
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        yield Violation(
            focus=_show(graph, focus),
            path=_show_path(report, graph, report.value(result, SH.resultPath)),
            message=str(report.value(result, SH.resultMessage) or "constraint not met"),
            shape=str(report.value(result, SH.sourceShape)),
            value=None if value is None else _show(graph, value),
            files=index.files_of(focus) or index.files_of(value),
        )


def _show(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    return node.n3(graph.namespace_manager)


def _show_path(report: Graph, graph: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _show(graph, inverse)
    return _show(graph, path)


__all__ = ["Violation", "validate"]
