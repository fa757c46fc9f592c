"""Reading Turtle folders into graphs, remembering which file said what.

Data files use IRIs relative to the dataset's instance base, so the same files serve any
configured base IRI. A node may be declared (given a type) in one file only; other files
may add statements about it. The prefixes each file declares are kept too (resolved, as the
file's relative IRIs are): they are the project's prefixes (`blkg.namespaces`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from blkg.errors import DataFolderError, DuplicateDefinitionError, TurtleSyntaxError


@dataclass
class FileIndex:
    """Which file declares (types) each subject, which files state triples about it, the
    base each file was read with (in loading order; error messages read the files again) and
    the prefixes each file declares (in loading order)."""

    declared_in: dict[Node, Path] = field(default_factory=dict)
    stated_in: dict[Node, list[Path]] = field(default_factory=lambda: defaultdict(list))
    bases: dict[Path, str | None] = field(default_factory=dict)
    prefixes: dict[Path, dict[str, str]] = field(default_factory=dict)

    def record(self, graph: Graph, path: Path, base: str | None = None) -> None:
        """Remember `path` for the subjects of `graph`; refuse a node declared in two files."""
        self.bases[path] = base
        self.record_prefixes(graph, path)
        for subject in set(graph.subjects(RDF.type)):
            if subject in self.declared_in:
                raise DuplicateDefinitionError(str(subject), (self.declared_in[subject], path))
            self.declared_in[subject] = path
        for subject in set(graph.subjects()):
            self.stated_in[subject].append(path)

    def record_prefixes(self, graph: Graph, path: Path) -> None:
        """Remember the prefixes `graph` (parsed from `path` by `parse_turtle`) declares."""
        self.prefixes[path] = {prefix: str(iri) for prefix, iri in graph.namespaces()}

    def files_of(self, subject: Node) -> tuple[Path, ...]:
        """The files that speak of `subject`, the one that declares it first."""
        declared = self.declared_in.get(subject)
        others = [f for f in self.stated_in.get(subject, ()) if f != declared]
        return tuple([declared, *others] if declared else others)


def turtle_files(folder: Path) -> list[Path]:
    """The `.ttl` files directly in `folder`, sorted; a clear error if there are none."""
    folder = Path(folder)
    if not folder.exists():
        raise DataFolderError(
            f"{folder}: data folder not found. Pass an existing folder of Turtle files with --data."
        )
    if not folder.is_dir():
        raise DataFolderError(f"{folder}: not a folder. --data takes a folder of .ttl files.")
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix == ".ttl" and p.is_file())
    except PermissionError:
        raise DataFolderError(f"{folder}: cannot read the folder (permission denied).") from None
    if not files:
        raise DataFolderError(f"{folder}: no .ttl files in this folder; nothing to load.")
    return files


def parse_turtle(path: Path, base: str | None = None) -> Graph:
    """Parse one Turtle file, turning parser failures into a `TurtleSyntaxError`.

    The graph binds exactly the prefixes the file declares (none of rdflib's own)."""
    try:
        text = path.read_bytes()
    except OSError as error:
        raise TurtleSyntaxError(path, None, f"cannot read the file ({error.strerror})") from None
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(data=text, format="turtle", publicID=base)
    except BadSyntax as error:
        raise TurtleSyntaxError(path, error.lines + 1, _reason(error)) from None
    except UnicodeDecodeError as error:
        line = text[: error.start].count(b"\n") + 1
        raise TurtleSyntaxError(path, line, "the file is not valid UTF-8") from None
    except Exception as error:  # rdflib raises plain exceptions for some term errors
        raise TurtleSyntaxError(path, None, str(error).splitlines()[0]) from None
    return graph


def _reason(error: BadSyntax) -> str:
    column = error._i - error._str.rfind(b"\n", 0, error._i)
    return f"{error._why} (column {column})"


def load_folder(files: Iterable[Path], base: str | None, into: Graph, index: FileIndex) -> None:
    """Parse every file into `into`, refusing a node declared in two files."""
    for path in files:
        graph = parse_turtle(path, base)
        index.record(graph, path, base)
        into += graph


__all__ = ["FileIndex", "load_folder", "parse_turtle", "turtle_files"]
