"""The depth limit of GraphQL queries, counted in levels of selection.

`BLKG_MAX_QUERY_DEPTH` = N admits at most N levels: `{ session(number: 2) { number } }` has
two, the root field being the first. strawberry's `QueryDepthLimiter` counts the root fields
as depth 0, so its `max_depth` = N admits N + 1 levels; this module counts levels as the
documentation states them and refuses one level more. Fragments count where they are spread
(inline ones add no level), and introspection fields (`__schema`, `__type`) are not counted,
as in strawberry's limiter: GraphiQL's introspection query is deeper than any data query
needs, and the field budget bounds what it resolves. The error keeps strawberry's wording,
which `blkg.api.extensions` maps to the code `QUERY_TOO_DEEP`.
"""

from __future__ import annotations

from typing import Any, cast

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from strawberry.extensions import AddValidationRules


class DepthLimiter(AddValidationRules):
    """Refuse an operation with more than `max_levels` levels of selection."""

    def __init__(self, max_levels: int):
        super().__init__([_depth_rule(max_levels)])


def _depth_rule(max_levels: int) -> type[ValidationRule]:
    class DepthRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            fragments = {
                definition.name.value: definition
                for definition in self.context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            levels = _levels(node.selection_set, fragments, max_levels + 1, frozenset())
            if levels > max_levels:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {max_levels} "
                        "(levels of selection, the root field being the first).",
                        node,
                    )
                )

    return DepthRule


def _levels(
    selections: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    cap: int,
    spread: frozenset[str],
) -> int:
    """Levels of selection below a selection set, counted up to `cap` (deeper is not needed);
    `spread` holds the fragments on the path, so a cycle (refused by validation) ends here."""
    deepest = 0
    for selection in selections.selections if selections else ():
        if deepest >= cap:
            break
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue
            below = _levels(selection.selection_set, fragments, cap - 1, spread)
            deepest = max(deepest, 1 + below)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in spread or name not in fragments:
                continue
            inner = fragments[name].selection_set
            deepest = max(deepest, _levels(inner, fragments, cap, spread | {name}))
        else:  # an inline fragment: its fields are at this level
            # cast: a selection is a field, a fragment spread or an inline fragment, and
            # graphql-core types it as their common base, which has no selection set.
            deepest = max(
                deepest,
                _levels(cast(InlineFragmentNode, selection).selection_set, fragments, cap, spread),
            )
    return deepest


__all__ = ["DepthLimiter"]
