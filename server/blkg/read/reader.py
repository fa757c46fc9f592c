"""Small typed accessors over an rdflib graph, used only while the catalog is built."""

from __future__ import annotations

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from blkg.vocabulary import BLF


class Reader:
    """Reads literal values and links of one graph, with the instance base for ids."""

    def __init__(self, graph: Graph, instance_base: str):
        self.graph = graph
        self.instance_base = instance_base

    def instances(self, cls: URIRef) -> list[Node]:
        return sorted(set(self.graph.subjects(RDF.type, cls)), key=self.order_key)

    def order_key(self, node: Node) -> tuple[int, str]:
        number = self.integer(node, BLF.number)
        return (number if number is not None else 10**9, str(node))

    def node_id(self, node: Node) -> str:
        text = str(node)
        return text.removeprefix(self.instance_base)

    def slug(self, node: Node) -> str:
        return str(node).rstrip("/").rsplit("/", 1)[-1]

    def value(self, node: Node, prop: URIRef) -> Node | None:
        return self.graph.value(node, prop)

    def objects(self, node: Node, prop: URIRef) -> list[Node]:
        return sorted(set(self.graph.objects(node, prop)), key=self.order_key)

    def text(self, node: Node, prop: URIRef) -> str | None:
        value = self.graph.value(node, prop)
        return None if value is None else str(value)

    def texts(self, node: Node, prop: URIRef) -> list[str]:
        return sorted(str(v) for v in self.graph.objects(node, prop))

    def integer(self, node: Node, prop: URIRef) -> int | None:
        value = self.graph.value(node, prop)
        return int(value.toPython()) if isinstance(value, Literal) else None

    def decimal(self, node: Node, prop: URIRef) -> float | None:
        value = self.graph.value(node, prop)
        return float(value.toPython()) if isinstance(value, Literal) else None

    def boolean(self, node: Node, prop: URIRef) -> bool | None:
        value = self.graph.value(node, prop)
        return bool(value.toPython()) if isinstance(value, Literal) else None

    def year(self, node: Node, prop: URIRef) -> int | None:
        value = self.graph.value(node, prop)
        return None if value is None else int(str(value)[:4])

    def label(self, node: Node) -> str:
        value = self.graph.value(node, SKOS.prefLabel) or self.graph.value(node, RDFS.label)
        return str(value) if value is not None else self.slug(node)


__all__ = ["Reader"]
