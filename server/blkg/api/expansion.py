"""A limit on how many fields a query has once its fragments are expanded, checked first.

Fragments let a small document stand for a huge one: `fragment F1 on T { ...F0 ...F0 }`,
`F2` spreading `F1` twice, and so on, is 2^n fields in n lines. Execution is not hurt (each
fragment is collected once per selection set), but strawberry's depth and alias limiters
walk every expansion, so a few dozen such lines, well inside the token limit, would keep the
server's only event loop busy for 2^n steps. `ExpansionLimiter` counts the expanded fields in
one pass over the document, remembering each fragment's size, right after parsing and before
any validation rule runs; past `Limits.max_expanded_fields` (`BLKG_MAX_EXPANDED_FIELDS`) the
query is refused with `QUERY_TOO_COMPLEX`. Cycles and unknown fragments count nothing here:
the validation rules report them.

Validation itself has a cost no field count bounds: graphql-core's rule that fields of one
response name can be merged compares every two of them in a selection set, so its work grows
with the square of how often a selection asks for one response name (`framework { name }`
repeated as often as the token limit allows). The same pass refuses, with the same code, a
selection set that asks for one response name more than `Limits.max_repeated_fields`
(`BLKG_MAX_REPEATED_FIELDS`) times, counting through inline fragments and fragment spreads, in
operations and fragment definitions alike.

Resolvers' work grows with the length of the lists they are given (a `basis` list, session
numbers), which no field count sees. A list of more than `Limits.max_list_items`
(`BLKG_MAX_LIST_ITEMS`) items is refused with the same code, in the document here and in the
variables by `blkg.api.execution`, whatever path answers.

What these refusals cost the server is measured by `bench/refusal.py`; the figures and the
targets they must meet are in `bench/README.md`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

from blkg.api.documents import nodes
from blkg.codes import Code

CODE = Code.QUERY_TOO_COMPLEX


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


def most_repeated(document: DocumentNode) -> tuple[str, int]:
    """The response name asked most often in one selection set, its fragments included, and
    how often: validation compares every two fields of one name in a set, so its cost grows
    with the square of that number."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    spread: dict[str, Counter[str]] = {}  # a fragment's names at its own level, computed once
    visiting: set[str] = set()

    def names(selection_set: SelectionSetNode | None) -> Counter[str]:
        found: Counter[str] = Counter()
        spreads: set[str] = set()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                found[(selection.alias or selection.name).value] += 1
            elif isinstance(selection, InlineFragmentNode):
                found.update(names(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                spreads.add(selection.name.value)
        for name in spreads:  # validation collects each fragment of a set once
            found.update(of_fragment(name))
        return found

    def of_fragment(name: str) -> Counter[str]:
        if name not in spread:
            if name in visiting or name not in fragments:
                return Counter()
            visiting.add(name)
            spread[name] = names(fragments[name].selection_set)
            visiting.discard(name)
        return spread[name]

    worst = ("", 0)
    stack = [d.selection_set for d in document.definitions if hasattr(d, "selection_set")]
    while stack:
        selection_set = stack.pop()
        if selection_set is None:
            continue
        counted = names(selection_set).most_common(1)
        if counted and counted[0][1] > worst[1]:
            worst = counted[0]
        for selection in selection_set.selections:
            stack.append(getattr(selection, "selection_set", None))
    return worst


class ExpansionLimiter(SchemaExtension):
    """Refuses, before validation, a document whose expanded size passes `max_fields`, or
    that asks for one response name more than `max_repeats` times in one selection set."""

    def __init__(self, max_fields: int, max_repeats: int, max_list_items: int):
        self.max_fields = max_fields
        self.max_repeats = max_repeats
        self.max_list_items = max_list_items

    def on_parse(self) -> Iterator[None]:
        yield
        document = self.execution_context.graphql_document
        if document is None:
            return
        if expanded_fields(document, self.max_fields) > self.max_fields:
            raise GraphQLError(
                f"The query has more than {self.max_fields} fields once its fragments are "
                "expanded. Spread each fragment where it is needed once, or ask for less.",
                extensions={"code": CODE},
            )
        name, repeats = most_repeated(document)
        if repeats > self.max_repeats:
            raise GraphQLError(
                f"The query asks for '{name}' {repeats} times in one selection (fragments "
                f"included); at most {self.max_repeats} fields of one name are allowed in a "
                "selection. Ask for each field once.",
                extensions={"code": CODE},
            )
        items = longest_list_literal(document)
        if items > self.max_list_items:
            raise too_long_list(items, self.max_list_items, "query")


def longest_list_literal(document: DocumentNode) -> int:
    """The items of the longest list value written in `document` (0 if none)."""
    longest = 0
    for node in nodes(document):
        if isinstance(node, ListValueNode):
            longest = max(longest, len(node.values))
    return longest


def longest_list_value(value: object) -> int:
    """The items of the longest list anywhere in a JSON value (0 if none)."""
    longest, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            longest = max(longest, len(item))
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return longest


def too_long_list(items: int, limit: int, where: str) -> GraphQLError:
    return GraphQLError(
        f"A list in the {where} has {items} items; at most {limit} are allowed in one list. "
        "Send each value once: every list this API takes is short.",
        extensions={"code": CODE},
    )


__all__ = [
    "ExpansionLimiter",
    "expanded_fields",
    "longest_list_literal",
    "longest_list_value",
    "most_repeated",
    "too_long_list",
]
