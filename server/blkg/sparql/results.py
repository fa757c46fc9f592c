"""Writing query results, as they are produced, into a buffer that refuses to grow past a cap.

Solutions and booleans are written in the result formats `blkg.formats` declares, triples in
its graph formats. Nothing is collected first: rows and triples are pulled from the query
one at a time and written at once into a `CappedBuffer`, which raises `TooLarge` on the write
that takes it past its cap, so an answer that would be too large stops there, having cost at
most the cap (plus one row) in memory and work. A row or triple whose literals alone are longer
than what is left of the cap stops before it is even encoded: every format writes the lexical
form of each literal in full at least once.

SPARQL JSON is written here, with orjson; the other result formats are written by pyoxigraph's
own writers, so that escaping follows the specifications: they read the JSON from a stream fed
row by row (`_JsonStream`), so they too write as the rows come. Triples go straight to
pyoxigraph's RDF writers, which take any iterable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson
import pyoxigraph as ox

from blkg.formats import Use, serving

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Format name -> pyoxigraph's writer, for each format `blkg.formats` declares for the answer.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    name: getattr(ox.QueryResultsFormat, fmt.oxigraph) for name, fmt in serving(Use.RESULTS).items()
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    name: getattr(ox.RdfFormat, fmt.oxigraph) for name, fmt in serving(Use.CONSTRUCT).items()
}


class TooLarge(Exception):
    """The answer would be larger than the cap; nothing more was written."""


class CappedBuffer:
    """A binary file to write into that holds at most `cap` bytes.

    The write that would pass the cap raises `TooLarge` instead (pyoxigraph's writers let the
    exception through), so the writing stops there.
    """

    def __init__(self, cap: int):
        self.cap = cap
        self.size = 0
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self.reserve(len(data))
        self._parts.append(bytes(data))
        return len(data)

    def reserve(self, size: int) -> None:
        """Count `size` bytes as written; raises `TooLarge` if they pass the cap."""
        if self.size + size > self.cap:
            raise TooLarge
        self.size += size

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self._parts)


def solutions(
    variables: list[str], rows: Iterable[list], format_name: str, out: CappedBuffer
) -> None:
    """Write rows of terms (None: unbound), in the order of `variables`, into `out`."""
    chunks = _json_chunks(variables, _within(rows, out))
    if format_name == "json":
        for chunk in chunks:
            out.write(chunk)
        return
    parsed = ox.parse_query_results(_JsonStream(chunks), format=ox.QueryResultsFormat.JSON)
    parsed.serialize(out, format=RESULT_FORMATS[format_name])


def boolean(answer: ox.QueryBoolean, format_name: str, out: CappedBuffer) -> None:
    answer.serialize(out, format=RESULT_FORMATS[format_name])


def triples(
    found: Iterable[ox.Triple], format_name: str, prefixes: dict[str, str], out: CappedBuffer
) -> None:
    """Write triples into `out`, abbreviated with `prefixes` where the format can (writers of
    formats without prefixes ignore them)."""
    checked = (t for t in found if _fits(out, _literal_size(t.subject, t.predicate, t.object)))
    ox.serialize(checked, out, format=GRAPH_FORMATS[format_name], prefixes=prefixes)


def _within(rows: Iterable[list], out: CappedBuffer) -> Iterator[list]:
    for row in rows:
        _fits(out, _literal_size(*row))
        yield row


def _fits(out: CappedBuffer, lower_bound: int) -> bool:
    """Refuse an item whose literals cannot fit in what is left of the cap (at least one
    byte per character), before any of it is encoded."""
    if out.size + lower_bound > out.cap:
        raise TooLarge
    return True


def _literal_size(*terms) -> int:
    return sum(len(term.value) for term in terms if isinstance(term, ox.Literal))


def _json_chunks(variables: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    yield b'{"head":{"vars":' + orjson.dumps(variables) + b'},"results":{"bindings":['
    separator = b""
    for row in rows:
        yield separator + orjson.dumps(_binding(variables, row))
        separator = b","
    yield b"]}}"


class _JsonStream:
    """A readable binary stream over chunks that are produced only when they are read."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._current = memoryview(b"")

    def read(self, size: int = -1) -> bytes:
        while not self._current:
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            self._current = memoryview(chunk)
        if size is None or size < 0:
            size = len(self._current)
        taken, self._current = self._current[:size], self._current[size:]
        return bytes(taken)

    def readable(self) -> bool:
        return True


def _binding(variables: list[str], row: list) -> dict:
    pairs = zip(variables, row, strict=True)
    return {name: _term(term) for name, term in pairs if term is not None}


def _term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        encoded = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            encoded["datatype"] = term.datatype.value
        return encoded
    return {  # a quoted triple (RDF 1.2 / SPARQL-star)
        "type": "triple",
        "value": {
            "subject": _term(term.subject),
            "predicate": _term(term.predicate),
            "object": _term(term.object),
        },
    }


__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "CappedBuffer",
    "TooLarge",
    "boolean",
    "solutions",
    "triples",
]
