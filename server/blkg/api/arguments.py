"""A field's arguments, coerced once per answer rather than once per object.

graphql-core coerces a field's arguments again for every object the field is resolved on (a
list of a hundred items, on a field resolved for two thousand objects, is two hundred thousand
coercions). While an answer is made (`arguments_kept`: `blkg.api.execution` for every answer,
`blkg.api.budget` for every execution), the variables do not change, so each field node's
arguments are coerced once and kept (or, where they do not coerce, the error, raised again for
each object). The size count (`blkg.api.budget`), the prepared plans (`blkg.api.prepared`) and
graphql-core's own executor all take them from `argument_values`:
graphql-core's executor module is given it in place of its `get_argument_values`
(tests/test_graphql_lists.py checks that it still calls it by that name). Outside an answer,
arguments are coerced on every call, as graphql-core does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import graphql.execution.executor as core_executor
from graphql import DirectiveNode, FieldNode, GraphQLDirective, GraphQLError, GraphQLField
from graphql.execution.values import FragmentVariableValues, VariableValues

# graphql-core's own, read from the executor module this one patches (below); the executor
# imports it without re-exporting it, hence the ignore.
core_argument_values = core_executor.get_argument_values  # type: ignore[attr-defined]
# Field node id -> (the node, kept so that its id is not reused meanwhile; its arguments, or
# the error coercing them raised).
_KEPT: ContextVar[dict[int, tuple[object, dict[str, Any] | GraphQLError]] | None] = ContextVar(
    "blkg_arguments", default=None
)


@contextlib.contextmanager
def arguments_kept() -> Iterator[None]:
    """Inside the block, each field node's arguments are coerced once."""
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)


def argument_values(
    field_def: GraphQLField | GraphQLDirective,
    node: FieldNode | DirectiveNode,
    variable_values: VariableValues | None,
    fragment_variable_values: FragmentVariableValues | None = None,
    *rest: bool,
) -> dict[str, Any]:
    """`get_argument_values`, kept per field node inside `arguments_kept`."""
    kept = _KEPT.get()
    if kept is None or fragment_variable_values is not None:
        return core_argument_values(
            field_def, node, variable_values, fragment_variable_values, *rest
        )
    found = kept.get(id(node))
    if found is None:
        try:
            found = (node, core_argument_values(field_def, node, variable_values))
        except GraphQLError as error:  # as wrong for every object: kept, raised each time
            found = (node, error)
        kept[id(node)] = found
    if isinstance(found[1], GraphQLError):
        raise found[1].with_traceback(None)
    return dict(found[1])


# graphql-core's internals patched on purpose, hence the ignore: the executor module does not
# export the name, and calls it positionally, so the replacement keeps neither the original's
# parameter names nor its keyword `hide_suggestions` (passed on in `rest`).
core_executor.get_argument_values = argument_values  # type: ignore[attr-defined,assignment]

__all__ = ["argument_values", "arguments_kept", "core_argument_values"]
