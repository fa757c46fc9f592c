"""The strawberry schema with the limits a public read API needs."""

from __future__ import annotations

from functools import partial

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from blkg.api.extensions import ErrorCodes
from blkg.api.query import Query
from blkg.config import Limits


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    """The schema; the limits shape validation only, so the printed SDL never depends on them."""
    limits = limits or Limits()
    return strawberry.Schema(
        query=Query,
        extensions=[
            partial(QueryDepthLimiter, max_depth=limits.max_query_depth),
            partial(MaxTokensLimiter, max_token_count=limits.max_query_tokens),
            partial(MaxAliasesLimiter, max_alias_count=limits.max_aliases),
            partial(ParserCache, maxsize=512),
            partial(ValidationCache, maxsize=512),
            ErrorCodes,
        ],
    )


def print_schema() -> str:
    """The SDL as committed in schema.graphql."""
    return build_schema().as_str() + "\n"


__all__ = ["build_schema", "print_schema"]


if __name__ == "__main__":
    import sys

    sys.stdout.write(print_schema())
