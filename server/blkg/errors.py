"""Errors users see, apart from internal errors, each with a stable code of `blkg.codes`.

Two kinds: `BLKGError` and its subclasses, the data errors of the command line and of start-up
(each with its exit code), and `Refusal`, a request the server refuses (its HTTP status, code,
message and headers), which every route, endpoint and connection raises or answers with and
which has one JSON shape, `Refusal.body()`. Every message says what is wrong, where (file and
line, focus node and path, or the request's part) and how to fix it. Nothing here carries a
traceback or an internal path beyond the user's own files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from blkg.codes import Code

# Seconds a client told to come back (every 503) waits first.
RETRY_AFTER_SECONDS = 1


class Refusal(Exception):
    """A request the server will not answer as asked: `status` (the code's own unless given),
    a stable `code`, a `message` saying what to do instead, and `headers` to send with it
    (`Allow`, `Vary`, ...; every 503 says when to retry)."""

    def __init__(
        self,
        code: Code,
        message: str,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        status = code.status if status is None else status
        if status is None:
            raise ValueError(f"{code} has no status of its own: give one")
        self.status, self.code, self.message = status, code, message
        self.headers = dict(headers or {})
        if status == 503:
            self.headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))

    def body(self) -> bytes:
        """The JSON every refusal is answered with (GraphQL's error shape)."""
        error = {"message": self.message, "extensions": {"code": self.code}}
        return orjson.dumps({"errors": [error]})


class BLKGError(Exception):
    """Base of the errors a user can act on."""

    code = Code.BLKG_ERROR
    exit_code = 2


class DataFolderError(BLKGError):
    """The data folder is missing, unreadable or holds no Turtle files."""

    code = Code.DATA_FOLDER


@dataclass
class TurtleSyntaxError(BLKGError):
    """A Turtle file could not be parsed."""

    file: Path
    line: int | None
    reason: str

    code = Code.TURTLE_SYNTAX

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return f"{where}: Turtle syntax error: {self.reason}"


@dataclass
class DuplicateDefinitionError(BLKGError):
    """The same node is typed in two data files, which would merge two things silently."""

    subject: str
    files: tuple[Path, ...]

    code = Code.DUPLICATE_IRI

    def __str__(self) -> str:
        names = ", ".join(str(f) for f in self.files)
        return (
            f"<{self.subject}> is declared (given rdf:type) in more than one file: {names}. "
            "Declare each node in one file only; other files may add statements about it."
        )


class ShapesError(BLKGError):
    """The SHACL shapes themselves cannot be run (a broken shapes file, not bad data)."""

    code = Code.SHAPES_INVALID

    def __str__(self) -> str:
        return f"the SHACL shapes cannot be applied: {self.args[0]}. Fix ontology/shapes/."


class ValidationFailed(BLKGError):
    """The data does not conform to the SHACL shapes."""

    code = Code.SHACL_VIOLATION
    exit_code = 1

    def __init__(self, violations):
        self.violations = list(violations)
        super().__init__(f"{len(self.violations)} SHACL violation(s)")


__all__ = [
    "RETRY_AFTER_SECONDS",
    "BLKGError",
    "DataFolderError",
    "DuplicateDefinitionError",
    "Refusal",
    "ShapesError",
    "TurtleSyntaxError",
    "ValidationFailed",
]
