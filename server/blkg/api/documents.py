"""The one cache of GraphQL documents: parsed, validated and prepared once, bounded in bytes.

A document is parsed and validated the same way whatever its variables, so each distinct
query text is kept once, under the SHA-256 digest of its text (a 64 KiB query costs the cache
32 bytes of key, not 64 KiB): its syntax tree, its validation errors, the plans of its
operations (`blkg.api.prepared`) and the sizes of its answers (`blkg.api.budget`) for the
variables last seen. Plans depend on the document and operation only; answer sizes on the
variables too, so they are kept under both.

The cache is bounded by what it really holds, not by a count of entries alone: each entry is
charged the memory of its text (comments and padding included) and of every node of its tree,
as `sys.getsizeof` reports them, plus a fixed charge per plan field; the lexer's tokens are
dropped from kept trees (`compact`). An eighth of `max_bytes` is set aside for remembering
sightings (below); past the rest, the least recently used entries go.
`DocumentCache.extension` plugs it into strawberry, replacing its parser and validation caches
(which keep every text as a key and count entries only).
"""

from __future__ import annotations

import hashlib
import sys
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from graphql import DocumentNode, GraphQLError, Node, parse, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from blkg.api.turns import let_the_loop_turn

if TYPE_CHECKING:
    from blkg.api.prepared import Plan

# What an answer's size is kept under: (operation name, SHA-256 digest of the variables).
SizeKey = tuple[str | None, bytes]

# What a plan holds per field (its closures and tuples), measured with tracemalloc on plans
# of the golden queries and rounded up; plans are charged this per field they build.
PLAN_BYTES_PER_FIELD = 1200
# The entry itself, its dictionaries and key.
ENTRY_BYTES = 600
# What remembering one sighting holds: an int and its slot in a set.
SIGHTING_BYTES = 64
# Answer sizes kept per document: enough for the variables a client polls with.
SIZES_PER_DOCUMENT = 8


def digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class Document:
    """One query text, parsed; what has been learnt about it so far. `key` is set while the
    cache keeps it, and `bytes` is then what it is charged."""

    __slots__ = ("bytes", "errors", "key", "plans", "sizes", "tree")

    def __init__(self, tree: DocumentNode):
        self.tree = tree
        self.errors: list[GraphQLError] | None = None  # None until validated
        # operation name -> Plan, or None when it cannot be prepared
        self.plans: dict[str | None, Plan | None] = {}
        self.sizes: OrderedDict[SizeKey, int] = OrderedDict()  # (operation, variables) -> fields
        self.key: bytes | None = None
        self.bytes = 0

    def size(self, key: SizeKey, compute: Callable[[], int]) -> int:
        """The answer size under `key`, computed by `compute()` the first time."""
        size = self.sizes.get(key)
        if size is None:
            size = self.sizes[key] = compute()
            if len(self.sizes) > SIZES_PER_DOCUMENT:
                self.sizes.popitem(last=False)
        return size


class DocumentCache:
    """Documents by digest, least recently used first out, within `max_bytes` in all.

    A document is kept from its second sighting on. The first time, it is parsed and
    validated for its request and then dropped: one-off texts (every request of a client
    that varies its query, every hostile variation) never displace the documents clients
    send again and again, and never grow the part of the heap that the garbage collector's
    full collections walk, whose pauses every other request waits out. Sightings are kept
    as 64-bit prefixes of digests, forgotten all at once when `max_sightings` is reached.
    """

    def __init__(self, max_bytes: int, max_errors: int = 10):
        self.max_bytes = max_bytes
        self.max_errors = max_errors
        self.bytes = 0
        self._entries: OrderedDict[bytes, Document] = OrderedDict()
        self._sightings: set[int] = set()
        self.max_sightings = max(1, max_bytes // SIGHTING_BYTES // 8)
        self._entries_bound = max_bytes - self.max_sightings * SIGHTING_BYTES

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: str) -> Document | None:
        key = digest(query)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def parse(self, query: str, **options: Any) -> Document:
        """The cached document of `query`, parsing it first if needed (errors propagate)."""
        key = digest(query)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            return entry
        entry = Document(unlinked(parse(query, **options)))
        if self._seen_before(key):
            self._add(key, entry)
        return entry

    def _seen_before(self, key: bytes) -> bool:
        sighting = int.from_bytes(key[:8], "big")
        if sighting in self._sightings:
            self._sightings.discard(sighting)
            return True
        if len(self._sightings) >= self.max_sightings:
            self._sightings.clear()
        self._sightings.add(sighting)
        return False

    def validated(self, entry: Document, errors: list[GraphQLError]) -> None:
        """Keep `entry`'s validation result, counted against the bound if it is kept."""
        entry.errors = errors
        self._charge(entry, sum(map(error_footprint, errors)))

    def charge(self, entry: Document, plan_fields: int) -> None:
        """Count a plan added to `entry` against the bound."""
        self._charge(entry, plan_fields * PLAN_BYTES_PER_FIELD)

    def _charge(self, entry: Document, added: int) -> None:
        if entry.key is None:
            return  # not kept: what it holds goes with its request
        entry.bytes += added
        self.bytes += added
        if entry.bytes > self._entries_bound // 8:
            self._drop(entry)  # one huge document must not evict everything else
        self._evict()

    def _add(self, key: bytes, entry: Document) -> None:
        compact(entry.tree)
        entry.bytes = ENTRY_BYTES + footprint(entry.tree)
        if entry.bytes > self._entries_bound // 8:
            return  # one huge document must not evict everything else
        entry.key = key
        self._entries[key] = entry
        self.bytes += entry.bytes
        self._evict()

    def _drop(self, entry: Document) -> None:
        # cast: only kept entries are dropped, and a kept entry has its key.
        del self._entries[cast(bytes, entry.key)]
        self.bytes -= entry.bytes
        entry.key = None

    def _evict(self) -> None:
        while self.bytes > self._entries_bound and self._entries:
            self._drop(next(iter(self._entries.values())))

    def extension(self) -> Callable[[], SchemaExtension]:
        """The strawberry extension that parses and validates through this cache."""
        return partial(_CachedDocuments, self)


class _CachedDocuments(SchemaExtension):
    def __init__(self, cache: DocumentCache):
        self.cache = cache
        self.entry: Document | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and context.graphql_document is None:
            self.entry = self.cache.parse(context.query, **context.parse_options)
            context.graphql_document = self.entry.tree
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        await let_the_loop_turn()  # between parsing and validation (see blkg.api.turns)
        context, entry = self.execution_context, self.entry
        if entry is not None:
            if entry.errors is not None:
                context.pre_execution_errors = entry.errors
            elif context.pre_execution_errors is None:
                # Validated here, as strawberry would, but stopping after `max_errors`: each
                # error may cost a search for suggestions among the type's fields.
                context.pre_execution_errors = validate(
                    context.schema._schema,
                    # cast: `on_parse` set the document when it set the entry.
                    cast(DocumentNode, context.graphql_document),
                    (*context.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule),
                    max_errors=self.cache.max_errors,
                )
        yield
        if entry is not None and entry.errors is None:
            self.cache.validated(entry, context.pre_execution_errors or [])

    async def on_execute(self) -> AsyncIterator[None]:
        await let_the_loop_turn()  # between validation and execution
        yield


def nodes(tree: DocumentNode) -> Iterator[Node]:
    """Every node of a syntax tree, the root first."""
    stack: list[Node] = [tree]
    while stack:
        node = stack.pop()
        yield node
        for value in vars(node).values():  # graphql-core's nodes keep their fields in __dict__
            if isinstance(value, Node):
                stack.append(value)
            elif isinstance(value, tuple | list):
                stack.extend(v for v in value if isinstance(v, Node))


def unlinked(tree: DocumentNode) -> DocumentNode:
    """`tree` with the lexer's tokens no longer linked to each other.

    The lexer links every token to the one before and after it: a cycle as long as the text,
    which reference counting cannot free, so every request left its tokens to the cyclic
    garbage collector. Unlinked, they go with the tree, and an answer leaves no cyclic
    garbage behind (the collector is held while answers are made: `blkg.api.turns`)."""
    token = tree.loc.start_token if tree.loc is not None else None
    while token is not None:
        following = token.next
        token.prev = token.next = None
        token = following
    return tree


def compact(tree: DocumentNode) -> DocumentNode:
    """`tree` without the lexer's tokens, which its locations link and nothing reads again.

    Every token of the text (comments included) stays reachable from the tree through its
    locations' `start_token` and `end_token` and their `prev`/`next` chain: one object per
    token, tracked by the cyclic garbage collector, whose full collections walk everything
    the cache keeps. Errors need only a location's offsets and source, which stay.
    """
    for node in nodes(tree):
        if node.loc is not None:
            # graphql-core's locations always hold their tokens, as it declares them; kept
            # trees drop them on purpose, hence the ignore.
            node.loc.start_token = node.loc.end_token = None  # type: ignore[assignment]
    return tree


def error_footprint(error: GraphQLError) -> int:
    """The memory a validation error holds besides the nodes it points at (counted with
    the tree): the error, its attributes, message, locations and positions."""
    size = sys.getsizeof(error) + sys.getsizeof(error.__dict__)
    for value in vars(error).values():
        size += sys.getsizeof(value)
        if isinstance(value, list | tuple):
            size += sum(sys.getsizeof(item) for item in value if not isinstance(item, Node))
    return size


def footprint(tree: DocumentNode) -> int:
    """The memory a parsed document holds: its source text and nodes."""
    size = 0 if tree.loc is None else sys.getsizeof(tree.loc.source.body)
    for node in nodes(tree):
        size += sys.getsizeof(node) + sys.getsizeof(node.__dict__)
        if node.loc is not None:
            size += sum(sys.getsizeof(v) for v in (node.loc, node.loc.start, node.loc.end))
        for value in vars(node).values():
            if isinstance(value, tuple | list | str):
                size += sys.getsizeof(value)
    return size


__all__ = [
    "Document",
    "DocumentCache",
    "compact",
    "digest",
    "error_footprint",
    "footprint",
    "nodes",
    "unlinked",
]
