"""A budget of fields resolved per query: what the depth limit cannot bound.

Lists nested in lists multiply: `responsibilities { sessions { responsibilities { sessions
... } } }` is well inside the depth limit, yet six levels resolve over a million fields and
kept the server's one event loop busy for 14 s (ten levels would take days). Resolvers here
are synchronous, so such a query blocks every other request while it runs.

`FieldBudget` is the graphql-core execution context with a count: each field resolved costs
one, and past `Limits.max_resolved_fields` (`BLKG_MAX_RESOLVED_FIELDS`) every further field
fails at once with `ResultTooLarge`, so the rest of the execution unwinds in no time. The
error extension (`blkg.api.extensions.ErrorCodes`) then drops the partial data and keeps one
error, code `RESULT_TOO_LARGE`. GraphiQL's introspection query resolves about 4,700 fields,
the golden queries under 30. The count costs one addition per field (about 13 µs per field is
spent resolving anyway), and only on the full execution path: queries answered from a
prepared plan or the response cache were executed within the budget before.
"""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

CODE = "RESULT_TOO_LARGE"


class ResultTooLarge(GraphQLError):
    """The query resolved more fields than the budget allows."""

    def __init__(self, budget: int):
        super().__init__(
            f"The answer would need more than {budget:,} fields resolved, the most this "
            "endpoint resolves for one query. Nest fewer lists inside lists, or split the "
            "query into smaller ones.",
            extensions={"code": CODE},
        )


class FieldBudget(StrawberryGraphQLCoreExecutionContext):
    """The execution context of one query, failing every field past `budget`."""

    budget = 20_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolved = 0

    def execute_field(self, *args, **kwargs):
        self.resolved += 1
        if self.resolved > self.budget:
            raise ResultTooLarge(self.budget)
        return super().execute_field(*args, **kwargs)


def field_budget(budget: int) -> type[FieldBudget]:
    """The execution context class with the given budget."""
    return type("FieldBudget", (FieldBudget,), {"budget": budget})


__all__ = ["CODE", "FieldBudget", "ResultTooLarge", "field_budget"]
