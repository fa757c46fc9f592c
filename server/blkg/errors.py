"""Errors users see: a small hierarchy, apart from internal errors, each with a stable code.

Every message says what is wrong, where (file and line, or focus node and path) and how to
fix it. Nothing here carries a traceback or an internal path beyond the user's own files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class BLKGError(Exception):
    """Base of the errors a user can act on."""

    code = "BLKG_ERROR"
    exit_code = 2


class DataFolderError(BLKGError):
    """The data folder is missing, unreadable or holds no Turtle files."""

    code = "DATA_FOLDER"


@dataclass
class TurtleSyntaxError(BLKGError):
    """A Turtle file could not be parsed."""

    file: Path
    line: int | None
    reason: str

    code = "TURTLE_SYNTAX"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return f"{where}: Turtle syntax error: {self.reason}"


@dataclass
class DuplicateDefinitionError(BLKGError):
    """The same node is typed in two data files, which would merge two things silently."""

    subject: str
    files: tuple[Path, ...]

    code = "DUPLICATE_IRI"

    def __str__(self) -> str:
        names = ", ".join(str(f) for f in self.files)
        return (
            f"<{self.subject}> is declared (given rdf:type) in more than one file: {names}. "
            "Declare each node in one file only; other files may add statements about it."
        )


class ShapesError(BLKGError):
    """The SHACL shapes themselves cannot be run (a broken shapes file, not bad data)."""

    code = "SHAPES_INVALID"

    def __str__(self) -> str:
        return f"the SHACL shapes cannot be applied: {self.args[0]}. Fix ontology/shapes/."


class ValidationFailed(BLKGError):
    """The data does not conform to the SHACL shapes."""

    code = "SHACL_VIOLATION"
    exit_code = 1

    def __init__(self, violations):
        self.violations = list(violations)
        super().__init__(f"{len(self.violations)} SHACL violation(s)")


__all__ = [
    "BLKGError",
    "DataFolderError",
    "DuplicateDefinitionError",
    "ShapesError",
    "TurtleSyntaxError",
    "ValidationFailed",
]
