"""Schema extensions: every error leaves with an `extensions.code`, and only unexpected
internal exceptions are masked (validation and limit errors keep their messages)."""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

INTERNAL = "INTERNAL_SERVER_ERROR"

# Messages of graphql-core and strawberry's limiters, mapped to stable codes.
_CODES_BY_MESSAGE = (
    ("exceeds maximum operation depth", "QUERY_TOO_DEEP"),
    ("aliases found. Allowed", "TOO_MANY_ALIASES"),
    ("Document contains more than", "TOO_MANY_TOKENS"),
    ("Syntax Error", "GRAPHQL_PARSE_FAILED"),
    ("Variable '$", "BAD_USER_INPUT"),
)


def _is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def code_for(error: GraphQLError) -> str:
    """The code a client sees for an error that does not carry one yet."""
    for fragment, code in _CODES_BY_MESSAGE:
        if fragment in error.message:
            return code
    return "GRAPHQL_VALIDATION_FAILED" if error.path is None else INTERNAL


class ErrorCodes(MaskErrors):
    """Masks unexpected exceptions and gives every error a stable `extensions.code`."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_unexpected, error_message="Internal server error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": INTERNAL}
        return masked

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": code_for(error)}
        return processed


__all__ = ["INTERNAL", "ErrorCodes", "code_for"]
