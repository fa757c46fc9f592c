"""The strawberry schema with the limits a public read API needs."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter
from strawberry.schema.exceptions import (
    CannotGetOperationTypeError,
    InvalidOperationTypeError,
)
from strawberry.types import ExecutionContext, ExecutionResult

from blkg.api.budget import budgeted_execution
from blkg.api.depth import DepthLimiter
from blkg.api.documents import DocumentCache
from blkg.api.expansion import ExpansionLimiter
from blkg.api.extensions import ErrorCodes, is_unexpected
from blkg.api.query import Query
from blkg.codes import Code
from blkg.config import Limits


class Schema(strawberry.Schema):
    """strawberry's schema, answering every mistake of a client with a coded error.

    strawberry raises (rather than answers) when the operation to run cannot be chosen: an
    `operationName` the document does not define, or a document of fragments only; those
    become `GRAPHQL_VALIDATION_FAILED` errors here. Only unexpected errors (bugs) are logged,
    each with its traceback: a client's mistakes (syntax, validation, limits, unknown values)
    are answered, not logged, or a public endpoint would write a traceback per bad query.
    """

    # Set by `build_schema`: the document cache its executions go through.
    documents: DocumentCache

    async def execute(self, query: str | None, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute(query, *args, **kwargs)
        except (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError):
            name = kwargs.get("operation_name")
            message = (
                f"The document defines no operation named {name!r}."
                if name
                else "The document has no operation to run: send a query, not only fragments."
            )
            error = GraphQLError(message, extensions={"code": Code.GRAPHQL_VALIDATION_FAILED})
            return ExecutionResult(data=None, errors=[error])

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        super().process_errors([e for e in errors if is_unexpected(e)], execution_context)


def build_schema(limits: Limits | None = None) -> Schema:
    """The schema; the limits shape validation only, so the printed SDL never depends on them.

    Its `documents` is the cache its executions parse and validate through, and where the
    prepared plans of `blkg.api.execution` are kept."""
    limits = limits or Limits()
    documents = DocumentCache(limits.graphql_document_cache_bytes, limits.max_validation_errors)
    schema = Schema(
        query=Query,
        extensions=[
            partial(
                ExpansionLimiter,
                max_fields=limits.max_expanded_fields,
                max_repeats=limits.max_repeated_fields,
                max_list_items=limits.max_list_items,
            ),  # before the rest
            partial(DepthLimiter, max_levels=limits.max_query_depth),
            partial(MaxTokensLimiter, max_token_count=limits.max_query_tokens),
            partial(MaxAliasesLimiter, max_alias_count=limits.max_aliases),
            documents.extension(),
            ErrorCodes,
        ],
        execution_context_class=budgeted_execution(limits.max_resolved_fields),
    )
    schema.documents = documents
    return schema


def print_schema() -> str:
    """The SDL as committed in schema.graphql."""
    return build_schema().as_str() + "\n"


__all__ = ["Schema", "build_schema", "print_schema"]


if __name__ == "__main__":
    import sys

    sys.stdout.write(print_schema())
