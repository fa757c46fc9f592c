"""Serialising the graph: Turtle, TriG, N-Triples and JSON-LD, of one or all named graphs.

Output is deterministic for the same data, so the CLI and the HTTP downloads can be compared
byte for byte.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, URIRef

from blkg import namespaces
from blkg.graph import ASSERTED, GRAPH_NAMES, KnowledgeGraph


@dataclass(frozen=True)
class Format:
    name: str
    rdflib_name: str
    media_type: str
    extension: str
    quads: bool


FORMATS: dict[str, Format] = {
    "turtle": Format("turtle", "turtle", "text/turtle", "ttl", quads=False),
    "trig": Format("trig", "trig", "application/trig", "trig", quads=True),
    "nt": Format("nt", "nt", "application/n-triples", "nt", quads=False),
    "jsonld": Format("jsonld", "json-ld", "application/ld+json", "jsonld", quads=True),
}

SELECTIONS: dict[str, tuple[str, ...]] = {
    "asserted": ASSERTED,
    "inferred": ("inferred",),
    "all": GRAPH_NAMES,
}


def serialize(graph: KnowledgeGraph, format_name: str, selection: str = "all") -> bytes:
    """The chosen named graphs in the chosen format."""
    fmt = FORMATS[format_name]
    names = SELECTIONS[selection]
    if fmt.quads:
        return _serialize_quads(graph, fmt, names)
    text = graph.union(names).serialize(format=fmt.rdflib_name, encoding="utf-8")
    if fmt.name == "nt":  # rdflib writes N-Triples in hash order
        text = b"".join(sorted(text.splitlines(keepends=True)))
    return text


def _serialize_quads(graph: KnowledgeGraph, fmt: Format, names: tuple[str, ...]) -> bytes:
    dataset = namespaces.bind_all(Dataset(), graph.settings)
    for name in names:
        target = dataset.graph(URIRef(graph.settings.graph_iri(name)))
        target += graph.named(name)
    return dataset.serialize(format=fmt.rdflib_name, encoding="utf-8")


def file_name(graph: KnowledgeGraph, format_name: str, selection: str) -> str:
    """A download name that says what the file holds and which version it is."""
    version = graph.version.replace("+", "-")
    return f"blkg-{selection}-{version}.{FORMATS[format_name].extension}"


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` so that a failure leaves any existing file untouched."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["FORMATS", "SELECTIONS", "Format", "file_name", "serialize", "write_atomically"]
