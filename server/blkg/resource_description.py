"""What the graph says about one resource, or one whole document, as triples by named graph.

A resource's description is every triple it is the subject of (with the blank nodes those
lead to), every triple that points at it, and the labels of the resources on the other end,
so that a reader of the description alone can name what it links to. Hash IRIs (`doc#term`)
belong to their document: describing `doc` describes them too. The vocabulary documents (the
ontology, the shapes) and the named graphs are described by their whole content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import DCTERMS, OWL, RDF, RDFS, SDO, SH, SKOS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from blkg import namespaces
from blkg.graph import GRAPH_NAMES, KnowledgeGraph
from blkg.namespaces import VOCABULARY_ROOT

LABELS = (SKOS.prefLabel, RDFS.label, DCTERMS.title, SDO.name, SH.name)
ONTOLOGY = URIRef(VOCABULARY_ROOT + "def")
SHAPES = URIRef(VOCABULARY_ROOT + "shapes")


@dataclass
class Description:
    """Triples about `subjects`, grouped by the named graph they are in (`None`: no graph)."""

    iri: URIRef
    subjects: list[URIRef]
    parts: dict[URIRef | None, Graph] = field(default_factory=dict)

    def union(self) -> Graph:
        merged = Graph()
        for triples in self.parts.values():
            merged += triples
        return merged


class Describer:
    """Builds descriptions from one loaded graph."""

    def __init__(self, graph: KnowledgeGraph):
        self.graph = graph
        self.graphs = {URIRef(graph.settings.graph_iri(n)): graph.named(n) for n in GRAPH_NAMES}
        self.shape_graph = graph.shapes
        # A graph of its own: the union is shared and must not take in the shapes.
        self.everything = namespaces.bind_all(Graph(), graph.prefixes)
        self.everything += graph.union()
        self.everything += self.shape_graph
        self._fragments = _fragments(self.everything)

    # -- documents -------------------------------------------------------------------------

    def resource(self, iri: URIRef) -> Description | None:
        """The description of a resource of the graph, or None if the graph never names it."""
        subjects = self._members(iri)
        if not subjects:
            return None
        description = Description(iri, subjects)
        for name, named in self.graphs.items():
            part = Graph()
            for subject in subjects:
                _add_closure(named, subject, part)
                for triple in named.triples((None, None, subject)):
                    part.add(triple)
            description.parts[name] = part
        self._add_labels(description)
        return description

    def named_graph(self, name: str) -> Description | None:
        iri = URIRef(self.graph.settings.graph_iri(name))
        if iri not in self.graphs:
            return None
        return Description(iri, [iri], {iri: self.graphs[iri]})

    def ontology(self) -> Description:
        name = URIRef(self.graph.settings.graph_iri("ontology"))
        iri = self.ontology_iri()
        return Description(iri, [iri, *self._fragments.get(iri, [])], {name: self.graphs[name]})

    def shapes(self) -> Description:
        return Description(SHAPES, self._fragments.get(SHAPES, []), {None: self.shape_graph})

    def ontology_iri(self) -> URIRef:
        return (
            self.graph.named("ontology").value(predicate=RDF.type, object=OWL.Ontology) or ONTOLOGY
        )

    def version_iri(self) -> URIRef | None:
        return self.graph.named("ontology").value(self.ontology_iri(), OWL.versionIRI)

    # -- labels ----------------------------------------------------------------------------

    def label(self, node: Node) -> str | None:
        """The English (else any) label of a node, from the graph, the ontology or the shapes."""
        for predicate in LABELS:
            labels = [o for o in self.everything.objects(node, predicate) if isinstance(o, Literal)]
            if labels:
                english = [str(o) for o in labels if o.language in (None, "en")]
                return sorted(english or [str(o) for o in labels])[0]
        return None

    # -- helpers ---------------------------------------------------------------------------

    def _members(self, iri: URIRef) -> list[URIRef]:
        members = [iri] if self._mentioned(iri) else []
        return members + self._fragments.get(iri, [])

    def _mentioned(self, iri: URIRef) -> bool:
        return any(
            (iri, None, None) in named or (None, None, iri) in named
            for named in self.graphs.values()
        )

    def _add_labels(self, description: Description) -> None:
        neighbours = {
            node
            for part in description.parts.values()
            for triple in part
            for node in (triple[0], triple[2])
            if isinstance(node, URIRef)
        } - set(description.subjects)
        for name, part in description.parts.items():
            for neighbour in neighbours:
                for predicate in LABELS:
                    for label in self.graphs[name].objects(neighbour, predicate):
                        part.add((neighbour, predicate, label))


def _fragments(graph: Graph) -> dict[URIRef, list[URIRef]]:
    """Document IRI -> the hash IRIs (`document#name`) that are subjects in `graph`."""
    found: dict[URIRef, set[URIRef]] = {}
    for subject in set(graph.subjects()):
        document, hash_sign, name = str(subject).partition("#")
        if isinstance(subject, URIRef) and hash_sign and name:
            found.setdefault(URIRef(document), set()).add(subject)
    return {document: sorted(members) for document, members in found.items()}


def _add_closure(source: Graph, subject: Node, into: Graph) -> None:
    """The triples of `subject`, following blank-node objects."""
    for triple in source.triples((subject, None, None)):
        if triple not in into:
            into.add(triple)
            if isinstance(triple[2], BNode):
                _add_closure(source, triple[2], into)


__all__ = ["LABELS", "ONTOLOGY", "SHAPES", "Describer", "Description"]
