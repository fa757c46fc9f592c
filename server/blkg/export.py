"""Serialising the graph: in each format of `blkg.formats` that serves graphs, of one or all
named graphs.

Output is deterministic for the same data, so the CLI and the HTTP downloads can be compared
byte for byte. Formats without named graphs get the union of the graphs; formats of one
statement a line have their lines sorted; TriG and JSON-LD, whose rdflib writers order graphs
and nodes by hash, are written here in a stable order. JSON-LD is compacted with the
vocabulary's context (`blkg.jsonld_context`), embedded inline, with its node and value arrays
sorted.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.serializers.trig import TrigSerializer

from blkg import namespaces
from blkg.formats import FORMATS, Use, serving
from blkg.graph import ASSERTED, GRAPH_NAMES, KnowledgeGraph
from blkg.jsonld_context import build_context

SELECTIONS: dict[str, tuple[str, ...]] = {
    "asserted": ASSERTED,
    "inferred": ("inferred",),
    "all": GRAPH_NAMES,
}


def serialize(graph: KnowledgeGraph, format_name: str, selection: str = "all") -> bytes:
    """The chosen named graphs in the chosen format."""
    settings = graph.settings
    parts = {URIRef(settings.graph_iri(name)): graph.named(name) for name in SELECTIONS[selection]}
    return serialize_parts(graph, parts, format_name)


def serialize_parts(
    graph: KnowledgeGraph, parts: dict[URIRef | None, Graph], format_name: str
) -> bytes:
    """Triples grouped by named graph (`None`: the default graph) in the chosen format.

    Formats without named graphs (Turtle, N-Triples) get the union of the parts.
    """
    fmt = serving(Use.GRAPH)[format_name]
    graphs = [_named_graph(graph, name, triples) for name, triples in parts.items()]
    ordered = _IN_ORDER.get(fmt.name)
    if ordered is not None:
        text = ordered(graph, graphs)
    else:
        whole = _dataset(graph, graphs) if fmt.quads else _union(graph, graphs)
        text = whole.serialize(format=fmt.rdflib, encoding="utf-8")
    if fmt.line_per_statement:  # rdflib writes them in hash order
        text = b"".join(sorted(text.splitlines(keepends=True)))
    return text


def _union(graph: KnowledgeGraph, graphs: list[Graph]) -> Graph:
    union = namespaces.bind_all(Graph(), graph.prefixes)
    for part in graphs:
        union += part
    return union


def _dataset(graph: KnowledgeGraph, graphs: list[Graph]) -> Dataset:
    dataset = namespaces.bind_all(Dataset(), graph.prefixes)
    for part in graphs:
        named = dataset.graph(part.identifier)
        named += part
    return dataset


def _named_graph(graph: KnowledgeGraph, name: URIRef | None, triples: Graph) -> Graph:
    part = Graph(identifier=DATASET_DEFAULT_GRAPH_ID if name is None else name)
    namespaces.bind_all(part, graph.prefixes)
    part += triples
    return part


class _TrigInOrder(TrigSerializer):
    """rdflib's TriG writer, given its graphs in our order (a `Dataset` yields them in hash
    order, through a deprecated method)."""

    def __init__(self, graphs: list[Graph]):
        super().__init__(graphs[0])
        self.contexts = graphs
        self.default_context = DATASET_DEFAULT_GRAPH_ID


def _trig(graph: KnowledgeGraph, graphs: list[Graph]) -> bytes:
    stream = io.BytesIO()
    _TrigInOrder(graphs).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def _jsonld(graph: KnowledgeGraph, graphs: list[Graph]) -> bytes:
    context = build_context(graph.named("ontology"), graph.prefixes)
    top: list[dict] = []
    for part in graphs:
        nodes = _jsonld_nodes(part, context)
        if part.identifier == DATASET_DEFAULT_GRAPH_ID:
            top.extend(nodes)
        elif nodes:
            top.append({"@id": str(part.identifier), "@graph": nodes})
    document = {"@context": context["@context"], "@graph": _sorted(top)}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)


# The formats whose rdflib writer follows hash order, written here in a stable one instead.
_IN_ORDER: dict[str, Callable[[KnowledgeGraph, list[Graph]], bytes]] = {
    "trig": _trig,
    "jsonld": _jsonld,
}


def _jsonld_nodes(part: Graph, context: dict) -> list[dict]:
    compacted = from_rdf(part, context_data=context["@context"])
    compacted.pop("@context", None)
    if set(compacted) == {"@graph"}:
        return compacted["@graph"]
    return [compacted] if compacted else []


def _sorted(value):
    """`value` with every JSON array sorted (except `@list`, whose order is data)."""
    if isinstance(value, dict):
        return {key: item if key == "@list" else _sorted(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(item) for item in value), key=_order)
    return value


def _order(item) -> tuple[str, bytes]:
    node_id = item.get("@id", "") if isinstance(item, dict) else ""
    return node_id, orjson.dumps(item, option=orjson.OPT_SORT_KEYS)


def file_name(graph: KnowledgeGraph, format_name: str, selection: str) -> str:
    """A download name that says what the file holds and which version it is."""
    version = graph.version.replace("+", "-")
    return f"blkg-{selection}-{version}.{FORMATS[format_name].extension}"


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` so that a failure leaves any existing file untouched.

    The bytes go to a hidden temporary file beside `path` (`.NAME.XXXXXXXX`), are flushed to
    disk, and the file is then renamed over `path` in one step: a reader sees the old file or
    the new one, never a part. A failure (a full disk, Ctrl-C, SIGTERM) removes the temporary
    file and leaves `path` as it was; an `OSError` names `path`. Only a kill that allows no
    clean-up (SIGKILL, power loss) can leave the temporary file behind, `path` still intact.
    """
    path = Path(path)
    with _terminate_as_exit():
        # A signal that arrived between the file's creation and the `try` below would leave
        # it behind; held back until the `try` begins, it is handled there like any other.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTIONS)
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        except OSError as error:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            raise OSError(error.errno, error.strerror, str(path)) from None
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.fchmod(handle, _mode_for(path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException as error:
            Path(temporary).unlink(missing_ok=True)
            if isinstance(error, OSError) and error.filename is None:
                raise OSError(error.errno, error.strerror, str(path)) from None
            raise


_INTERRUPTIONS = {signal.SIGINT, signal.SIGTERM}


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets (not mkstemp's)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """Inside the block, SIGTERM raises SystemExit (so clean-up runs) instead of killing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def exit_on_terminate(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, exit_on_terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


__all__ = [
    "SELECTIONS",
    "file_name",
    "serialize",
    "serialize_parts",
    "write_atomically",
]
