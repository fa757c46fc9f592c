"""GraphQL object types made from the read layer's declarations (`blkg.read.facts`).

`published(m.Finding)` on a class makes it the GraphQL type of `m.Finding`: one field per
declared field of the read class, in declaration order, typed after it (a read-layer class
becomes its GraphQL type) and described by the declaration, or by the ontology's definition of
its predicate; then the fields the class body adds itself (resolvers with arguments, values the
read layer computes). The type's own description is the read class's `about`, or the
ontology's definition of its `rdf_class`. A property is thus written once, in the read layer,
and the builder and the API follow from it. A type is referred to before it is published by
name (`later`): every published type is also a name of this module, where those references
resolve when the schema is built, so the modules that publish types need not import each
other, whatever their order.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import is_dataclass
from typing import Annotated, Any

import strawberry

from blkg.api.descriptions import from_ontology
from blkg.read import model as m
from blkg.read.facts import Declared, declared

# Read-layer class -> its GraphQL type, as types are published.
PUBLISHED: dict[type, Any] = {}
# Read classes whose GraphQL type has a name of its own (the others keep the class's name).
RENAMED = {
    m.Rating: "EffectivenessRating",
    m.Review: "EvidenceReview",
    m.Membership: "ComponentMembership",
}


def plain_type(model_class):
    """An `is_type_of` that recognises the read layer's objects of `model_class`."""

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return type(obj) is model_class

    return is_type_of


def published(model: type):
    """Make the decorated class the GraphQL type of read-layer class `model`."""

    def publish(cls):
        own = dict(inspect.get_annotations(cls))
        annotations = {}
        for field in declared(model):
            if field.fact.published and field.name not in own and field.name not in vars(cls):
                annotations[field.name] = _graphql_type(field.type)
                try:
                    description = _description(field)
                except LookupError as missing:
                    raise LookupError(
                        f"{model.__name__}.{field.name}: {missing}; give the declaration an "
                        "`about`, or define the term in the ontology"
                    ) from None
                setattr(cls, field.name, strawberry.field(description=description))
        cls.__annotations__ = {**annotations, **own}
        cls.is_type_of = plain_type(model)
        about = model.about or from_ontology(model.rdf_class)
        graphql_type = strawberry.type(cls, name=_name(model), description=about)
        PUBLISHED[model] = graphql_type
        # A name of this module too: what the lazy references to it resolve in.
        globals()[_name(model)] = graphql_type
        return graphql_type

    return publish


def _description(field: Declared) -> str:
    """The declaration's `about` (where "{definition}" stands for the predicate's definition),
    or the predicate's definition."""
    about = field.fact.about
    if about is not None and "{definition}" not in about:
        return about
    if field.fact.predicate is None:
        raise LookupError(f"{field.name} has no predicate and no description: declare `about`")
    definition = from_ontology(field.fact.predicate)
    return definition if about is None else about.replace("{definition}", definition)


def _graphql_type(annotation: Any) -> Any:
    """The GraphQL annotation of a read-layer annotation: `list[m.Source]` is
    `list[Source]`, `m.Concept | None` is `Concept | None`; scalars and enums stay. A read
    class whose type is published later is named lazily: a name of this module by the time
    the schema is built."""
    origin = typing.get_origin(annotation)
    if origin is list:
        return list[_graphql_type(typing.get_args(annotation)[0])]  # type: ignore[misc]
    arguments = typing.get_args(annotation)
    if type(None) in arguments:
        (inner,) = (a for a in arguments if a is not type(None))
        return typing.Optional[_graphql_type(inner)]  # noqa: UP045 (Annotated inside)
    if annotation in PUBLISHED:
        return PUBLISHED[annotation]
    if isinstance(annotation, type) and is_dataclass(annotation):
        return later(_name(annotation))
    return annotation


def later(name: str) -> Any:
    """A reference to the type published as `name`, resolved when the schema is built (for
    the annotations written by hand in a module that cannot import that type)."""
    return Annotated[name, strawberry.lazy(__name__)]


def _name(model: type) -> str:
    return RENAMED.get(model, model.__name__)


__all__ = ["PUBLISHED", "later", "plain_type", "published"]
