"""Answering a GraphQL request: the one seam between the HTTP layer and the ways an answer
is made.

strawberry's execution parses, validates (with every document limit), measures the answer
against the field budget and executes: the execution context (`blkg.api.budget`) builds the
answer with a plan compiled on the spot (`blkg.api.prepared`), which skips graphql-core's
per-field bookkeeping, field errors included, and leaves to graphql-core what plans do not
cover.
Once a document has been answered without an error, its plan is kept with it
(`blkg.api.documents`), and a later request for it skips strawberry altogether: the answer's
size for these variables is measured within the budget by the same count
(`blkg.api.budget.AnswerSize`) and the kept plan builds it. Every limit holds on every path,
whatever is cached. Anything a kept plan does not handle (an error, a variable that does not
coerce, an answer over budget) goes through strawberry, which answers it;
`tests/test_execution_equivalence.py` checks that every path gives the bytes and status of
graphql-core's own execution on thousands of generated queries, refusals included.

Answers are made one at a time, in the order requests arrive (`GraphQLService.lane`), letting
the event loop turn before each and between its stages (`blkg.api.turns` says why). At most
`Limits.graphql_queue` (`BLKG_GRAPHQL_QUEUE`) requests wait while one is made; past them a
request is turned away at once (`Busy`: 503 GRAPHQL_BUSY with Retry-After), so a flood of dear
queries queues a bounded amount of work, not as much as the admission limit lets in. A request
whose client has left while it waited (`gone`) is dropped when its turn comes (`Gone`): nobody
would read its answer, and a client that sends and hangs up must not make the server work.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import orjson
import strawberry
from graphql import GraphQLError, GraphQLFormattedError

from blkg.api.arguments import arguments_kept
from blkg.api.deadline import TooSlow, deadline
from blkg.api.documents import Document, DocumentCache
from blkg.api.expansion import longest_list_value, too_long_list
from blkg.api.extensions import INTERNAL, code_for
from blkg.api.prepared import Bail, Unsupported, prepare
from blkg.api.turns import collector_held, let_the_loop_turn
from blkg.codes import Code
from blkg.config import Limits
from blkg.errors import Refusal

if TYPE_CHECKING:
    from blkg.api.budget import BudgetedExecution
    from blkg.read.catalog import Catalog


class Busy(Refusal):
    """Answers are being made and `queue` requests already wait for the lane."""

    def __init__(self, queue: int):
        super().__init__(
            Code.GRAPHQL_BUSY,
            f"The server is making GraphQL answers and {queue} more are waiting, the most it "
            "lets wait; try again in a moment.",
        )


class Gone(Exception):
    """The client left while its request waited for the lane; no answer was made."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A finished GraphQL response: its HTTP status and JSON body."""

    status: int
    body: bytes


class GraphQLService:
    """Answers GraphQL requests against one schema and one root value (the read layer)."""

    def __init__(
        self,
        schema: strawberry.Schema,
        root: Catalog,
        documents: DocumentCache,
        budget: int,
        max_list_items: int = Limits.max_list_items,
        timeout: float = Limits.graphql_timeout_seconds,
        queue: int = Limits.graphql_queue,
    ):
        self.schema = schema
        self.root = root
        self.documents = documents
        self.budget = budget
        self.max_list_items = max_list_items
        self.timeout = timeout
        self.queue = queue
        self.waiting = 0
        self.lane = asyncio.Lock()

    @property
    def prepared(self) -> bool:
        """Whether answers are built by prepared plans; False runs every request through
        graphql-core's own execution (the benchmark and the equivalence tests compare)."""
        # cast: the schema executes with a `BudgetedExecution` (blkg.api.schema.build_schema).
        return cast("type[BudgetedExecution]", self.schema.execution_context_class).prepared

    @prepared.setter
    def prepared(self, value: bool) -> None:
        # cast: as above.
        cast("type[BudgetedExecution]", self.schema.execution_context_class).prepared = value

    async def answer(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation: str | None,
        gone: Callable[[], bool] | None = None,
    ) -> Answer:
        """The answer to a request; `gone`, if given, says whether its client has left, and is
        asked once the request's turn has come."""
        items = longest_list_value(variables)
        if items > self.max_list_items:
            return _refused(too_long_list(items, self.max_list_items, "variables"))
        if self.lane.locked() and self.waiting >= self.queue:
            raise Busy(self.queue)
        self.waiting += 1
        try:
            await self.lane.acquire()
        finally:
            self.waiting -= 1
        try:
            await let_the_loop_turn()
            if gone is not None and gone():
                raise Gone
            with collector_held(), deadline(self.timeout), arguments_kept():
                return await self._answer(query, variables, operation)
        finally:
            self.lane.release()

    async def _answer(
        self, query: str, variables: dict[str, Any] | None, operation: str | None
    ) -> Answer:
        entry = self.documents.get(query) if self.prepared else None
        if entry is not None:
            try:
                data = self._from_plan(entry, variables, operation)
            except TooSlow as error:
                return _refused(error)
            if data is not None:
                return Answer(200, orjson.dumps({"data": data}))
        return await self._full(query, variables, operation)

    def _from_plan(
        self, entry: Document, variables: dict[str, Any] | None, operation: str | None
    ) -> dict[str, Any] | None:
        plan = entry.plans.get(operation)
        if plan is None:
            return None
        key = (operation, hashlib.sha256(orjson.dumps(variables)).digest())
        size = entry.size(key, self._measure(entry, variables, operation))
        if size > self.budget:
            return None
        try:
            return plan.execute(self.root, variables)
        except Bail:
            return None

    def _measure(
        self, entry: Document, variables: dict[str, Any] | None, operation: str | None
    ) -> Callable[[], int]:
        def measure() -> int:
            execution = self.schema.execution_context_class.build(
                self.schema._schema, entry.tree, self.root, None, variables, operation
            )
            # cast: `build` makes an instance of the class it is called on, a
            # `BudgetedExecution` (see `prepared`); graphql-core types it as its base class.
            return (
                self.budget + 1
                if isinstance(execution, list)
                else cast("BudgetedExecution", execution).answer_size()
            )

        return measure

    async def _full(
        self, query: str, variables: dict[str, Any] | None, operation: str | None
    ) -> Answer:
        result = await self.schema.execute(
            query, variable_values=variables, operation_name=operation, root_value=self.root
        )
        if not result.errors and self.prepared:
            self._prepare(query, operation)
        payload: dict[str, Any] = {}
        if result.errors:
            payload["errors"] = [_formatted(error) for error in result.errors]
        payload["data"] = result.data
        status = 200 if result.data is not None else 400
        if any((e.extensions or {}).get("code") == INTERNAL for e in result.errors or ()):
            status = 500 if result.data is None else 200
        return Answer(status, orjson.dumps(payload))

    def _prepare(self, query: str, operation: str | None) -> None:
        entry = self.documents.get(query)
        if entry is None or operation in entry.plans:
            return
        try:
            plan = prepare(self.schema._schema, entry.tree, operation)
        except Unsupported:
            entry.plans[operation] = None
            return
        entry.plans[operation] = plan
        self.documents.charge(entry, plan.fields)


def _refused(error: GraphQLError) -> Answer:
    """A request refused with one error and no data."""
    return Answer(400, orjson.dumps({"errors": [_formatted(error)], "data": None}))


def _formatted(error: GraphQLError) -> GraphQLFormattedError:
    """The error as JSON, with a code even where it was raised before the extensions ran."""
    formatted = error.formatted
    extensions = formatted.get("extensions") or {}
    formatted["extensions"] = {**extensions, "code": extensions.get("code") or code_for(error)}
    return formatted


__all__ = ["Answer", "Busy", "Gone", "GraphQLService"]
