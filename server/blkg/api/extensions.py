"""Schema extensions: every error leaves with an `extensions.code`, and only unexpected
internal exceptions are masked (validation and limit errors keep their messages). A query over
the field budget (`blkg.api.budget`) or past its CPU deadline (`blkg.api.deadline`) is answered
with that one error and no data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from blkg.codes import Code

if TYPE_CHECKING:
    from graphql import ExecutionResult as GraphQLExecutionResult
    from graphql.execution import InitialIncrementalExecutionResult
    from strawberry.types import ExecutionResult

INTERNAL = Code.INTERNAL_SERVER_ERROR
# Refusals of the whole answer: no data, and only the first such error.
WHOLE_ANSWER = (Code.RESULT_TOO_LARGE, Code.QUERY_TIMEOUT)

# Messages of graphql-core and strawberry's limiters, mapped to stable codes.
_CODES_BY_MESSAGE = (
    ("exceeds maximum operation depth", Code.QUERY_TOO_DEEP),
    ("aliases found. Allowed", Code.TOO_MANY_ALIASES),
    ("Document contains more than", Code.TOO_MANY_TOKENS),
    ("Syntax Error", Code.GRAPHQL_PARSE_FAILED),
    ("Variable '$", Code.BAD_USER_INPUT),
)


def is_unexpected(error: GraphQLError) -> bool:
    """A bug rather than a client's mistake: an exception that is not a GraphQL error."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def code_for(error: GraphQLError) -> Code:
    """The code a client sees for an error that does not carry one yet."""
    for fragment, code in _CODES_BY_MESSAGE:
        if fragment in error.message:
            return code
    # With a path, it was raised while the answer was made; not masked, it is a client's
    # mistake graphql-core found there (a variable's null inside a list argument, say).
    return Code.GRAPHQL_VALIDATION_FAILED if error.path is None else Code.BAD_USER_INPUT


class ErrorCodes(MaskErrors):
    """Masks unexpected exceptions and gives every error a stable `extensions.code`."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message="Internal server error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": INTERNAL}
        return masked

    def on_operation(self) -> Iterator[None]:
        yield from super().on_operation()
        result = self.execution_context.result
        refusals = [
            error
            for error in getattr(result, "errors", None) or ()
            if (error.extensions or {}).get("code") in WHOLE_ANSWER
        ]
        if refusals:  # no partial answer, and one error rather than one per unfinished list
            # cast: the refusals were found among its errors, so there is a result (not None).
            result = cast(
                "GraphQLExecutionResult | InitialIncrementalExecutionResult | ExecutionResult",
                result,
            )
            result.data = None
            result.errors = refusals[:1]

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": code_for(error)}
        return processed


__all__ = ["INTERNAL", "ErrorCodes", "code_for", "is_unexpected"]
