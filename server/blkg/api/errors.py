"""GraphQL errors a client can act on, each with a stable `extensions.code`."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError

from blkg.codes import Code


def not_found(what: str, value: object, known: Sequence[object]) -> GraphQLError:
    listed = ", ".join(str(k) for k in known)
    return GraphQLError(
        f"No {what} {value!r}. Known values: {listed}.",
        extensions={"code": Code.NOT_FOUND},
    )


def bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": Code.BAD_USER_INPUT})


__all__ = ["bad_input", "not_found"]
