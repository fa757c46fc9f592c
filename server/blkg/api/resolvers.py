"""How a field of this schema is resolved without graphql-core's per-field machinery.

Both the prepared plans (`blkg.api.prepared`) and the answer-size count (`blkg.api.budget`)
call the functions strawberry would call, in the same way: a plain field reads its attribute,
a field with a resolver calls the resolver's own function with the arguments renamed to their
Python names. Fields whose resolver asks for `info` or the parent (none do today) have no
direct form; callers then go through graphql-core.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from operator import attrgetter
from typing import Any, cast

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
)

DEFINITION = "strawberry-definition"

# (source, arguments by GraphQL name) -> the field's value
Direct = Callable[[Any, dict[str, Any]], Any]


def direct_resolver(field: GraphQLField) -> Direct | None:
    """A callable(source, arguments by GraphQL name) resolving `field` as strawberry would, or
    None where that needs graphql-core (introspection, resolvers taking info or the parent)."""
    definition = (field.extensions or {}).get(DEFINITION)
    if definition is None:
        return None
    if definition.base_resolver is None:
        getter = attrgetter(definition.python_name)
        return lambda source, arguments: getter(source)
    resolver = definition.base_resolver
    reserved = [p for p in resolver.reserved_parameters.values() if p is not None]
    if any(p.name not in ("self", "root") for p in reserved):
        return None
    function = resolver.wrapped_func
    if inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function):
        return None  # its value is awaited: graphql-core's business
    names = {name: arg.extensions[DEFINITION].python_name for name, arg in field.args.items()}
    return lambda source, arguments: function(source, **{names[k]: v for k, v in arguments.items()})


def runtime_type(
    schema: GraphQLSchema, interface: GraphQLInterfaceType, value: Any
) -> GraphQLObjectType | None:
    """The object type of `value` among the implementations of `interface`, if any."""
    for candidate in schema.get_implementations(interface).objects:
        # cast: no resolve info is at hand here, and none is needed: this schema's
        # `is_type_of` (blkg.api.types.published.plain_type) reads the value only.
        if candidate.is_type_of is not None and candidate.is_type_of(
            value, cast("GraphQLResolveInfo[Any]", None)
        ):
            return candidate
    return None


__all__ = ["DEFINITION", "direct_resolver", "runtime_type"]
