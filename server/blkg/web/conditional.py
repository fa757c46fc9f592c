"""Validators and conditional requests: `ETag`, `Last-Modified`, and 304 Not Modified.

The dataset does not change while the server runs, so a representation's validators follow
from the dataset version (and, for the ETag, what was asked for) without computing the body.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from blkg import __version__
from blkg.graph import KnowledgeGraph

CACHE_CONTROL = "public, max-age=300"


def entity_tag(graph: KnowledgeGraph, *parts: str) -> str:
    """A strong ETag naming the dataset version, the server version and the representation."""
    return '"' + "-".join((graph.version, __version__, *parts)) + '"'


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
    "entity_tag",
    "http_date",
    "is_not_modified",
    "not_modified",
    "validators",
]
