"""A limit on how many fields a query has once its fragments are expanded, checked first.

Fragments let a small document stand for a huge one: `fragment F1 on T { ...F0 ...F0 }`,
`F2` spreading `F1` twice, and so on, is 2^n fields in n lines. Execution is not hurt (each
fragment is collected once per selection set), but strawberry's depth and alias limiters
walk every expansion: 40 such lines (1.5 KB, well inside the token limit) kept the server's
only event loop busy for hours. `ExpansionLimiter` counts the expanded fields in one pass over
the document, remembering each fragment's size, right after parsing and before any validation
rule runs; past `Limits.max_expanded_fields` (`BLKG_MAX_EXPANDED_FIELDS`) the query is refused
with `QUERY_TOO_COMPLEX`. Cycles and unknown fragments count nothing here: the validation
rules report them.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

CODE = "QUERY_TOO_COMPLEX"


class TooLarge(Exception):
    """The count passed the limit; counting stops there."""


def expanded_fields(document: DocumentNode, limit: int) -> int:
    """The fields of the largest operation with its fragments expanded (at most `limit` + 1)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    sizes: dict[str, int] = {}
    visiting: set[str] = set()

    def fragment(name: str) -> int:
        if name not in sizes:
            if name in visiting or name not in fragments:
                return 0
            visiting.add(name)
            sizes[name] = selections(fragments[name].selection_set)
            visiting.discard(name)
        return sizes[name]

    def selections(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += 1 + selections(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragment(selection.name.value)
            if total > limit:
                raise TooLarge
        return total

    largest = 0
    try:
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                largest = max(largest, selections(definition.selection_set))
    except (TooLarge, RecursionError):
        return limit + 1
    return largest


class ExpansionLimiter(SchemaExtension):
    """Refuses a document whose expanded size passes `max_fields`, before validation."""

    def __init__(self, max_fields: int):
        self.max_fields = max_fields

    def on_parse(self) -> Iterator[None]:
        yield
        document = self.execution_context.graphql_document
        if document is not None and expanded_fields(document, self.max_fields) > self.max_fields:
            raise GraphQLError(
                f"The query has more than {self.max_fields} fields once its fragments are "
                "expanded. Spread each fragment where it is needed once, or ask for less.",
                extensions={"code": CODE},
            )


__all__ = ["ExpansionLimiter", "expanded_fields"]
