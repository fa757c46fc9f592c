"""A plan's careful build reports field errors exactly as graphql-core does: each error located
at its field or list item, the null carried up to the nearest parent that may be null, the
errors in graphql-core's order, and no data when a root field that may not be null fails.

The framework's schema fails only at its root fields (a bad argument), so these cases run on a
small schema of their own whose fields fail wherever they are asked to, in every combination
of nullable and non-null fields, lists and items."""

from __future__ import annotations

import asyncio
import enum
import gc

import pytest
import strawberry
from graphql import GraphQLError, parse
from graphql.execution.values import get_variable_values

from blkg.api.budget import budgeted_execution
from blkg.api.prepared import Unsupported, prepare


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"


@strawberry.type
class Item:
    number: int

    @strawberry.field
    def maybe(self, fail: bool = False) -> int | None:
        if fail:
            raise GraphQLError(f"item {self.number} cannot say maybe")
        return self.number

    @strawberry.field
    def must(self, fail: bool = False) -> int:
        if fail:
            raise GraphQLError(f"item {self.number} must, and cannot")
        return self.number

    @strawberry.field
    def broken(self) -> int | None:
        raise ValueError(f"item {self.number} broke")  # a bug: masked by the extension

    @strawberry.field
    def returned(self) -> int | None:
        return GraphQLError(f"item {self.number} returned its error")  # type: ignore[return-value]

    @strawberry.field
    async def later(self) -> int:
        return self.number

    @strawberry.field
    def nothing(self) -> int:
        return None  # type: ignore[return-value]  # null where the schema forbids it

    @strawberry.field
    def colour(self) -> Colour:
        return "purple"  # type: ignore[return-value]  # not a value of the enum

    @strawberry.field
    def items(self) -> list[Item]:
        return [Item(number=self.number * 10 + i) for i in range(2)]

    @strawberry.field
    def loose_items(self) -> list[Item | None] | None:
        return [Item(number=self.number * 10 + i) for i in range(2)]

    @strawberry.field
    def strict_items(self) -> list[Item] | None:
        return [Item(number=self.number * 10 + i) for i in range(2)]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [Item(number=i) for i in range(1, 4)]

    @strawberry.field
    def loose_items(self) -> list[Item | None] | None:
        return [Item(number=i) for i in range(1, 4)]

    @strawberry.field
    def strict_items(self) -> list[Item] | None:
        return [Item(number=i) for i in range(1, 4)]

    @strawberry.field
    def item(self, number: int) -> Item | None:
        if number < 1:
            raise GraphQLError("numbers start at 1")
        return Item(number=number)

    @strawberry.field
    def first(self) -> Item:
        return Item(number=1)


QUERIES = [
    "{ items { number maybe(fail: true) } }",
    "{ items { number must(fail: true) } }",
    "{ looseItems { number must(fail: true) } items { number } }",
    "{ strictItems { must(fail: true) } items { number } }",
    "{ first { items { must(fail: true) } } loose: looseItems { number } }",
    "{ looseItems { items { looseItems { must(fail: true) maybe(fail: true) } } } }",
    "{ strictItems { looseItems { strictItems { must(fail: true) } } } }",
    "{ items { nothing } }",
    "{ looseItems { nothing } }",
    "{ looseItems { colour } strictItems { colour } }",
    "{ a: item(number: 0) { number } b: item(number: 2) { maybe(fail: true) } }",
    "{ item(number: 2) { number } first { must(fail: true) } }",
    "{ looseItems { maybe(fail: true) } first { maybe(fail: true) must(fail: true) } }",
    "query($fail: Boolean!) { looseItems { a: maybe(fail: $fail) b: must(fail: $fail) } }",
    "{ looseItems { ... on Item { must(fail: true) } ...F } } "
    "fragment F on Item { maybe(fail: true) number }",
    "{ first { ...F } first { ...F } } fragment F on Item { must(fail: true) }",
    "{ looseItems { returned number } }",
    "{ looseItems { broken number } first { broken } }",
]


def _answer(schema: strawberry.Schema, query: str, prepared: bool) -> tuple:
    schema.execution_context_class.prepared = prepared
    result = asyncio.run(schema.execute(query, variable_values={"fail": True}))
    return result.data, [error.formatted for error in result.errors or ()]


@pytest.fixture(scope="module")
def schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, execution_context_class=budgeted_execution(10**6))


@pytest.mark.parametrize("query", QUERIES)
def test_a_careful_plan_reports_errors_as_graphql_core_does(schema, query):
    reference = _answer(schema, query, prepared=False)
    assert reference[1], "every case has at least one error"
    assert _answer(schema, query, prepared=True) == reference


@pytest.mark.parametrize("query", QUERIES)
def test_the_careful_answer_is_made_by_the_plan(schema, query, monkeypatch):
    made = []
    execution = schema.execution_context_class
    from_plan = execution._from_plan
    monkeypatch.setattr(execution, "_from_plan", lambda self: made.append(from_plan(self)))
    _answer(schema, query, prepared=True)
    assert made and made[0] is not None


def test_a_field_whose_value_is_awaited_is_left_to_graphql_core(schema):
    with pytest.raises(Unsupported):
        prepare(schema._schema, parse("{ first { later } }"), None)


@pytest.mark.parametrize(
    "query",
    [
        "{ looseItems { items { maybe(fail: true) } } }",
        "{ looseItems { items { must(fail: true) } } }",
        "{ strictItems { looseItems { strictItems { must(fail: true) } } } }",
    ],
)
def test_a_clients_errors_leave_no_garbage_for_the_cycle_collector(schema, query):
    """A traceback would hold the build's frames, and they the answer: cycles that only a
    full collection frees, after the answer (a pause no deadline counts)."""
    plan = prepare(schema._schema, parse(query), None)
    variables = get_variable_values(schema._schema, [], {})
    gc.collect()
    gc.disable()
    try:
        data, errors = plan.run_carefully(Query(), variables)
        assert errors
        del data, errors
        assert gc.collect() == 0
    finally:
        gc.enable()
