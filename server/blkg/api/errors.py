"""GraphQL errors a client can act on, each with a stable `extensions.code`."""

from __future__ import annotations

from graphql import GraphQLError

NOT_FOUND = "NOT_FOUND"
BAD_USER_INPUT = "BAD_USER_INPUT"


def not_found(what: str, value: object, known: list) -> GraphQLError:
    listed = ", ".join(str(k) for k in known)
    return GraphQLError(
        f"No {what} {value!r}. Known values: {listed}.",
        extensions={"code": NOT_FOUND},
    )


def bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": BAD_USER_INPUT})


__all__ = ["BAD_USER_INPUT", "NOT_FOUND", "bad_input", "not_found"]
