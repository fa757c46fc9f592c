"""Settings of one running graph: base IRI, folders and the limits of the public endpoint.

Every value has a default and can be set from the environment (`BLKG_*`), so `make serve`
and tests configure the server the same way. A value the environment gives that its setting
cannot take raises `ConfigError`, naming the variable; the `blkg` command turns it into its
exit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from blkg.namespaces import VOCABULARY_ROOT
from blkg.resources import default_data_dir

DEFAULT_BASE_IRI = VOCABULARY_ROOT


class ConfigError(ValueError):
    """An environment variable holds a value its setting cannot take; the message names it."""


def _env_int(name: str, default: int, minimum: int | None = None) -> int:
    value = _env_number(name, default, int, "a whole number")
    if minimum is not None and value < minimum:
        raise ConfigError(f"environment variable {name}={value!r} must be at least {minimum}")
    return value


def _env_float(name: str, default: float) -> float:
    value = _env_number(name, default, float, "a number")
    if not value > 0:
        raise ConfigError(f"environment variable {name}={value!r} must be greater than 0")
    return value


def _env_number(name: str, default, parse, kind: str):
    """The variable `name` parsed by `parse`, `default` when unset; `ConfigError` if not `kind`."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return parse(raw)
    except ValueError:
        raise ConfigError(f"environment variable {name}={raw!r} is not {kind}") from None


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() not in {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Limits:
    """Bounds that keep one request from costing the endpoint more than a request should."""

    max_query_depth: int = 10
    max_query_tokens: int = 2000
    max_aliases: int = 30
    max_body_bytes: int = 64 * 1024
    # GraphQL fields once fragments are expanded, and fields resolved for one query.
    max_expanded_fields: int = 5000
    # Fields of one response name in one selection set (validation is quadratic in it).
    max_repeated_fields: int = 20
    # Items of one list in a query or its variables (every list argument of the schema is
    # short; resolvers' work grows with a list's length, which the field budget does not see).
    max_list_items: int = 100
    # Validation errors reported for one document; validation stops at the next one (each
    # error may cost a search for suggestions among the fields of its type).
    max_validation_errors: int = 10
    max_resolved_fields: int = 20_000
    # Memory the GraphQL caches may hold: finished answers (bodies, headers and keys), and
    # parsed documents with their validation results and plans (blkg.api.documents).
    graphql_answer_cache_bytes: int = 64 * 1024 * 1024
    graphql_document_cache_bytes: int = 4 * 1024 * 1024
    # CPU time one GraphQL answer may take (blkg.api.deadline): the backstop for costs no other
    # limit counts.
    graphql_timeout_seconds: float = 0.1
    # GraphQL answers that may wait while one is made; past them, 503 GRAPHQL_BUSY at once.
    graphql_queue: int = 32
    sparql_timeout_seconds: float = 5.0
    sparql_max_results: int = 10_000
    # The most bytes a SPARQL answer may take, serialised (the worker stops writing past it).
    sparql_max_bytes: int = 16 * 1024 * 1024
    sparql_workers: int = 2
    # SPARQL queries that may wait for a busy worker; past them, 503 SPARQL_BUSY at once.
    sparql_queue: int = 8
    # Overload and slow clients (see SECURITY.md): requests in flight at once, the size of a
    # request's head (request line and headers), how long a client may take to send it, and
    # its body, and how long a response may wait in the server for a client that does not read.
    max_concurrent_requests: int = 64
    max_header_bytes: int = 16 * 1024
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 10.0
    send_timeout_seconds: float = 30.0

    @classmethod
    def from_env(cls) -> Limits:
        """The limits, each overridden by its `BLKG_*` environment variable when set."""
        return cls(
            max_query_depth=_env_int("BLKG_MAX_QUERY_DEPTH", cls.max_query_depth, minimum=1),
            max_query_tokens=_env_int("BLKG_MAX_QUERY_TOKENS", cls.max_query_tokens, minimum=1),
            max_aliases=_env_int("BLKG_MAX_ALIASES", cls.max_aliases, minimum=1),
            max_body_bytes=_env_int("BLKG_MAX_BODY_BYTES", cls.max_body_bytes, minimum=1),
            max_expanded_fields=_env_int(
                "BLKG_MAX_EXPANDED_FIELDS", cls.max_expanded_fields, minimum=1
            ),
            max_repeated_fields=_env_int(
                "BLKG_MAX_REPEATED_FIELDS", cls.max_repeated_fields, minimum=1
            ),
            max_list_items=_env_int("BLKG_MAX_LIST_ITEMS", cls.max_list_items, minimum=1),
            max_validation_errors=_env_int(
                "BLKG_MAX_VALIDATION_ERRORS", cls.max_validation_errors, minimum=1
            ),
            max_resolved_fields=_env_int(
                "BLKG_MAX_RESOLVED_FIELDS", cls.max_resolved_fields, minimum=1
            ),
            graphql_timeout_seconds=_env_float("BLKG_GRAPHQL_TIMEOUT", cls.graphql_timeout_seconds),
            graphql_queue=_env_int("BLKG_GRAPHQL_QUEUE", cls.graphql_queue, minimum=0),
            sparql_timeout_seconds=_env_float("BLKG_SPARQL_TIMEOUT", cls.sparql_timeout_seconds),
            sparql_max_results=_env_int(
                "BLKG_SPARQL_MAX_RESULTS", cls.sparql_max_results, minimum=1
            ),
            sparql_max_bytes=_env_int("BLKG_SPARQL_MAX_BYTES", cls.sparql_max_bytes, minimum=1),
            sparql_workers=_env_int("BLKG_SPARQL_WORKERS", cls.sparql_workers, minimum=1),
            sparql_queue=_env_int("BLKG_SPARQL_QUEUE", cls.sparql_queue, minimum=0),
            max_concurrent_requests=_env_int(
                "BLKG_MAX_CONCURRENT_REQUESTS", cls.max_concurrent_requests, minimum=1
            ),
            max_header_bytes=_env_int("BLKG_MAX_HEADER_BYTES", cls.max_header_bytes, minimum=1024),
            header_timeout_seconds=_env_float("BLKG_HEADER_TIMEOUT", cls.header_timeout_seconds),
            body_timeout_seconds=_env_float("BLKG_BODY_TIMEOUT", cls.body_timeout_seconds),
            send_timeout_seconds=_env_float("BLKG_SEND_TIMEOUT", cls.send_timeout_seconds),
        )


@dataclass(frozen=True)
class Settings:
    """Everything a graph and its server need to know about their environment."""

    base_iri: str = DEFAULT_BASE_IRI
    data_dir: Path = field(default_factory=default_data_dir)
    response_cache: bool = True
    limits: Limits = field(default_factory=Limits)

    @property
    def instance_base(self) -> str:
        """The IRI that relative IRIs in data files resolve against."""
        return self.base_iri + "id/"

    def graph_iri(self, name: str) -> str:
        return f"{self.base_iri}graph/{name}"

    def with_data_dir(self, data_dir: Path | None) -> Settings:
        return self if data_dir is None else replace(self, data_dir=Path(data_dir))

    @classmethod
    def from_env(cls) -> Settings:
        base = os.environ.get("BLKG_BASE_IRI") or DEFAULT_BASE_IRI
        if not base.endswith("/"):
            base += "/"
        data_dir = os.environ.get("BLKG_DATA_DIR")
        limits = Limits.from_env()
        return cls(
            base_iri=base,
            data_dir=Path(data_dir) if data_dir else default_data_dir(),
            response_cache=_env_bool("BLKG_RESPONSE_CACHE", True),
            limits=limits,
        )


__all__ = ["DEFAULT_BASE_IRI", "ConfigError", "Limits", "Settings"]
