"""How a read-layer class declares each of its fields once: the predicate it is read from, how
its value is read, and what it means.

A field declared with `fact` is enough for the builder (`blkg.read.catalog`) to read it from
the graph and for the GraphQL types (`blkg.api.types.published`) to publish it: the value's
type says how it is read (a literal as `int`, `float`, `bool` or `str`, several literals as
`list[str]`, a concept as the member of the enum that mirrors its scheme, a node as the
object built for it, several nodes as a list of them), and the
field's description is the ontology's definition of the predicate unless the declaration
gives one. What cannot be read from one predicate (a kind given by the node's class, links made
once every object exists) is declared with no predicate and set by the builder.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any

from rdflib import RDFS, URIRef

# How a value is read, when its type alone does not say: `label` (skos:prefLabel or
# rdfs:label, the node's slug where it has neither), `slug` (the last segment of the node's
# IRI, or of the predicate's value: "" where it has none), `year` (the year of an xsd:gYear),
# `sources` and `quotations` (the objects built for them, in a stable order).
READINGS = ("label", "slug", "year", "sources", "quotations")
LABEL = RDFS.label


@dataclass(frozen=True, slots=True)
class Fact:
    """What a field holds: where it is read from, how, and what it means."""

    predicate: URIRef | None  # None: set by the builder, unless its reading needs none
    about: str | None  # the field's description; None: the predicate's definition
    reading: str | None  # one of READINGS, or None: by the field's type
    published: bool  # part of the GraphQL type


def fact(
    predicate: URIRef | None = None,
    about: str | None = None,
    *,
    reading: str | None = None,
    many: bool = False,
    optional: bool = False,
    published: bool = True,
) -> Any:
    """Declare a field. `many`: a list, empty until filled; `optional`: None until set."""
    if reading is not None and reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; known: {', '.join(READINGS)}")
    metadata = {"fact": Fact(predicate, about, reading, published)}
    if many:
        return dataclasses.field(default_factory=list, metadata=metadata)
    if optional:
        return dataclasses.field(default=None, metadata=metadata)
    return dataclasses.field(metadata=metadata)


@dataclass(frozen=True, slots=True)
class Declared:
    """One declared field of a class, with its type resolved."""

    name: str
    fact: Fact
    type: Any  # the annotation, resolved (e.g. `int | None`, `list[Source]`)

    @property
    def item(self) -> Any:
        """The type of one value: the list's item type, or the type without None."""
        return value_type(self.type)

    @property
    def many(self) -> bool:
        return typing.get_origin(self.type) is list


def declared(cls: type) -> list[Declared]:
    """The fields of `cls` declared with `fact`, in declaration order (inherited first)."""
    hints = typing.get_type_hints(cls)
    return [
        Declared(f.name, f.metadata["fact"], hints[f.name])
        for f in dataclasses.fields(cls)
        if "fact" in f.metadata
    ]


def value_type(annotation: Any) -> Any:
    """`int` for `int | None`, `Source` for `list[Source]`."""
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    if _is_optional(annotation):
        return next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


def _is_optional(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation)


__all__ = ["LABEL", "READINGS", "Declared", "Fact", "declared", "fact", "value_type"]
