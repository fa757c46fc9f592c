"""Validators and conditional requests: `ETag`, `Last-Modified`, and 304 Not Modified.

A representation's ETag is a digest of its bytes (`content_tag`), so it changes whenever what
is served changes, whatever version the data declares: a client never gets a 304 for a copy
that differs from the current one. The bytes are computed once and kept with their tag
(`Tagged`), so a revalidation costs a lookup once the representation has been asked for.
Last-Modified is the dataset's declared modification date.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from blkg.graph import KnowledgeGraph

CACHE_CONTROL = "public, max-age=300"


def content_tag(body: bytes) -> str:
    """A strong ETag: a digest of exactly the bytes sent (the same bytes, the same tag)."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


@dataclass(frozen=True)
class Tagged:
    """A representation's bytes and their ETag."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, body: bytes) -> Tagged:
        return cls(body, content_tag(body))


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def validators(graph: KnowledgeGraph, etag: str, vary: str | None = "Accept") -> dict[str, str]:
    """Headers every cacheable representation carries (`Vary` when it is negotiated)."""
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(graph.modified),
        "Cache-Control": CACHE_CONTROL,
    }
    if vary:
        headers["Vary"] = vary
    return headers


def is_not_modified(request: Request, etag: str, modified: datetime) -> bool:
    """True when the client's copy is current (`If-None-Match`, else `If-Modified-Since`)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return _matches(if_none_match, etag)
    since = _parse_date(request.headers.get("if-modified-since"))
    return since is not None and modified.replace(microsecond=0) <= since


def not_modified(headers: dict[str, str]) -> Response:
    return Response(status_code=304, headers=headers)


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


__all__ = [
    "CACHE_CONTROL",
    "Tagged",
    "content_tag",
    "http_date",
    "is_not_modified",
    "not_modified",
    "validators",
]
