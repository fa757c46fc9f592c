"""Where IRIs are written in the Turtle files: a light scan of the text, for error messages.

rdflib keeps no positions, so when the data is invalid the files are read again as text and
tokenised just enough to know, for each IRI, the lines that write it, and for each statement
(a subject and what follows it up to the final `.`), its first line and the IRIs it names.
Only messages use this: nothing here decides what the graph holds, and a construct the scan
does not follow costs at most a line number.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from blkg.loading import FileIndex

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<lstring>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
    | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<directive>@[A-Za-z][A-Za-z0-9-]*)
    | (?P<bnode>_:[\w.-]*)
    | (?P<pname>(?:[A-Za-z](?:[\w.-]*[\w-])?)?:(?:[\w:%-]|\.(?=[\w:%-]))*)
    | (?P<number>[+-]?(?:\d*\.\d+|\d+)(?:[eE][+-]?\d+)?)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<dot>\.)
    | (?P<open>[\[(])
    | (?P<close>[\])])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LOCAL = re.compile(r"(?:[\w%-]|\.(?=[\w%-]))*")


@dataclass(frozen=True)
class Statement:
    """A subject written at the start of a statement, its line, and the IRIs the statement names."""

    subject: str
    line: int
    iris: frozenset[str]


@dataclass
class ScannedFile:
    """What the scan found in one file."""

    path: Path
    base: str | None
    prefixes: dict[str, str] = field(default_factory=dict)
    uses: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    statements: list[Statement] = field(default_factory=list)

    def show(self, iri: str) -> str | None:
        """`iri` as this file writes it (a prefixed name, or relative to the base), if it can."""
        return self.prefixed(iri) or self.relative(iri)

    def prefixed(self, iri: str) -> str | None:
        best = None
        for prefix, namespace in self.prefixes.items():
            fits = iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace) :])
            if fits and (best is None or len(namespace) > len(self.prefixes[best])):
                best = prefix
        return None if best is None else f"{best}:{iri[len(self.prefixes[best]) :]}"

    def relative(self, iri: str) -> str | None:
        if self.base and iri.startswith(self.base) and iri != self.base:
            return f"<{iri[len(self.base) :]}>"
        return None


def scan(path: Path, base: str | None) -> ScannedFile:
    """Tokenise one Turtle file (unreadable or odd text yields what could be read)."""
    scanned = ScannedFile(path, base)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return scanned
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(newlines, offset - 1) + 1

    directive: str | None = None  # "prefix" or "base" while reading one
    prefix: str | None = None
    sparql_style = False  # PREFIX and BASE end without a dot
    depth = 0
    starting = True  # the next term is a statement's subject
    subject: tuple[str, int] | None = None
    named: set[str] = set()

    def close_statement() -> None:
        nonlocal subject, named
        if subject is not None:
            scanned.statements.append(Statement(subject[0], subject[1], frozenset(named)))
        subject, named = None, set()

    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind in ("ws", "comment"):
            continue
        if starting and (
            (kind == "directive" and token.lower() in ("@prefix", "@base"))
            or (kind == "word" and token.upper() in ("PREFIX", "BASE"))
        ):
            directive, sparql_style, prefix = token.lstrip("@").lower(), kind == "word", None
            continue
        if directive is not None:
            if kind == "pname" and directive == "prefix":
                prefix = token.split(":", 1)[0]
            elif kind == "iri":
                resolved = _resolve(token[1:-1], scanned.base)
                if directive == "base":
                    scanned.base = resolved
                elif prefix is not None:
                    scanned.prefixes[prefix] = resolved
                if sparql_style:
                    directive = None
            elif kind == "dot":
                directive = None
            continue
        if kind == "dot":
            if depth == 0:
                close_statement()
                starting = True
            continue
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        iri = None
        if kind == "iri":
            iri = _resolve(token[1:-1], scanned.base)
        elif kind == "pname":
            name, local = token.split(":", 1)
            namespace = scanned.prefixes.get(name)
            iri = namespace + local if namespace is not None else None
        if starting:
            starting = False
            if iri is not None:
                subject = (iri, line_of(match.start()))
        if iri is not None:
            scanned.uses[iri].append(line_of(match.start()))
            named.add(iri)
    close_statement()
    return scanned


def _resolve(reference: str, base: str | None) -> str:
    if not base or _ABSOLUTE.match(reference):
        return reference
    resolved = urljoin(base, reference)
    return resolved + "#" if reference.endswith("#") and not resolved.endswith("#") else resolved


@dataclass(frozen=True)
class Place:
    """A file and, when the scan found it, a line."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class Positions:
    """The scanned text of the files a `FileIndex` loaded, each file scanned once, on demand."""

    def __init__(self, index: FileIndex):
        self.index = index
        self._scanned: dict[Path, ScannedFile] = {}

    def file(self, path: Path) -> ScannedFile:
        scanned = self._scanned.get(path)
        if scanned is None:
            scanned = self._scanned[path] = scan(path, self.index.bases.get(path))
        return scanned

    def files(self) -> list[ScannedFile]:
        return [self.file(path) for path in self.index.bases]

    def uses(self, iri: str) -> list[Place]:
        """Every place that writes `iri`, in the order the files were loaded."""
        return [Place(f.path, line) for f in self.files() for line in f.uses.get(iri, ())]

    def subject(self, iri: str, files: tuple[Path, ...], about: str | None = None) -> Place | None:
        """Where `iri` is written as a subject in `files`: the first statement that also names
        `about` (a property), else its first statement in the first file, else its first use."""
        if not files:
            return None
        found = [(f, s) for f in map(self.file, files) for s in f.statements if s.subject == iri]
        if about is not None:
            for scanned, statement in found:
                if about in statement.iris:
                    return Place(scanned.path, statement.line)
        if found:
            return Place(found[0][0].path, found[0][1].line)
        for path in files:
            lines = self.file(path).uses.get(iri)
            if lines:
                return Place(path, lines[0])
        return Place(files[0])

    def show(self, iri: str, path: Path | None = None) -> str | None:
        """`iri` as the file at `path` writes it, else as a prefixed name of any loaded file,
        else relative to the base."""
        if path is not None:
            shown = self.file(path).show(iri)
            if shown is not None:
                return shown
        for shown in (f.prefixed(iri) for f in self.files()):
            if shown is not None:
                return shown
        for shown in (f.relative(iri) for f in self.files()):
            if shown is not None:
                return shown
        return None


__all__ = ["Place", "Positions", "ScannedFile", "Statement", "scan"]
