"""The knowledge graph as served: asserted named graphs, the inferred graph, validated.

`load_knowledge_graph` is the one way in: it parses the ontology and data into their named
graphs, derives the inferred graph, validates the union against the SHACL shapes and refuses
(raises `ValidationFailed`) rather than return invalid data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

from rdflib import DCAT, DCTERMS, OWL, RDF, Dataset, Graph, Literal, URIRef

from blkg import namespaces
from blkg.config import Settings
from blkg.errors import ValidationFailed
from blkg.inference import infer
from blkg.loading import FileIndex, load_folder, parse_turtle, turtle_files
from blkg.resources import ontology_dir, shapes_dir
from blkg.validation import Problem, validate

GRAPH_NAMES = ("ontology", "data", "inferred")
ASSERTED = ("ontology", "data")


@dataclass
class KnowledgeGraph:
    """The loaded, validated graph and what is known about where it came from."""

    settings: Settings
    dataset: Dataset
    shapes: Graph
    index: FileIndex
    content_hash: str
    files_modified: datetime  # the latest modification time of the files loaded
    _unions: dict[tuple[str, ...], Graph] = field(default_factory=dict, repr=False)

    def named(self, name: str) -> Graph:
        return self.dataset.graph(URIRef(self.settings.graph_iri(name)))

    def union(self, names: tuple[str, ...] = GRAPH_NAMES) -> Graph:
        """The triples of the named graphs in `names`, as one graph with the project prefixes.

        Built once per selection and shared (the dataset does not change once loaded): read it,
        never add to it.
        """
        merged = self._unions.get(names)
        if merged is None:
            merged = namespaces.bind_all(Graph(), self.prefixes)
            for name in names:
                merged += self.named(name)
            self._unions[names] = merged
        return merged

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Prefix -> namespace IRI: what the ontology, data and shapes files declare, merged
        (`blkg.namespaces`). Every binding of prefixes uses this one mapping; read it only."""
        return namespaces.merge(self.index.prefixes.values(), self.settings.instance_base)

    @property
    def dataset_node(self) -> URIRef | None:
        return self.named("data").value(predicate=RDF.type, object=DCAT.Dataset)

    @property
    def version(self) -> str:
        declared = self.named("data").value(self.dataset_node, OWL.versionInfo)
        return f"{declared or '0'}+{self.content_hash[:12]}"

    @property
    def modified(self) -> datetime:
        """When the data last changed (`Last-Modified`): the dataset's `dcterms:modified`.

        Data that declares no date gets the time its files last changed, as loaded: never a
        date earlier than the change, so a client is not told its older copy is current."""
        value = self.named("data").value(self.dataset_node, DCTERMS.modified)
        day = value.toPython() if isinstance(value, Literal) else None
        if isinstance(day, date):
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return self.files_modified

    def triple_counts(self) -> dict[str, int]:
        return {name: len(self.named(name)) for name in GRAPH_NAMES}


def load_shapes(index: FileIndex | None = None) -> Graph:
    """The SHACL shapes; their files' prefixes go to `index` when one is given."""
    shapes = Graph()
    for path in turtle_files(shapes_dir()):
        parsed = parse_turtle(path)
        if index is not None:
            index.record_prefixes(parsed, path)
        shapes += parsed
    return shapes


def load_knowledge_graph(settings: Settings, *, check: bool = True) -> KnowledgeGraph:
    """Load, infer and (unless `check` is False) validate; raise on any problem."""
    index = FileIndex()
    dataset = Dataset()
    ontology = dataset.graph(URIRef(settings.graph_iri("ontology")))
    data = dataset.graph(URIRef(settings.graph_iri("data")))
    ontology_files = turtle_files(ontology_dir())
    data_files = turtle_files(settings.data_dir)
    load_folder(ontology_files, None, ontology, index)
    load_folder(data_files, settings.instance_base, data, index)
    inferred = dataset.graph(URIRef(settings.graph_iri("inferred")))
    inferred += infer(ontology + data, settings.instance_base)
    files = ontology_files + data_files
    graph = KnowledgeGraph(
        settings, dataset, load_shapes(index), index, _hash(files), _last_modified(files)
    )
    namespaces.bind_all(dataset, graph.prefixes)
    if check:
        violations = graph_violations(graph)
        if violations:
            raise ValidationFailed(violations)
    return graph


def graph_violations(graph: KnowledgeGraph) -> list[Problem]:
    return validate(graph.union(), graph.shapes, graph.index)


def _hash(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _last_modified(files: list[Path]) -> datetime:
    return datetime.fromtimestamp(max(path.stat().st_mtime for path in files), tz=UTC)


__all__ = ["ASSERTED", "GRAPH_NAMES", "KnowledgeGraph", "load_knowledge_graph", "load_shapes"]
