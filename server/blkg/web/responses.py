"""JSON responses, and the one response every refused request gets (`blkg.errors.Refusal`)."""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from starlette.responses import Response

from blkg.errors import Refusal

JSON = "application/json"


class JSONBytes(Response):
    """A response whose body is already-serialised JSON."""

    media_type = JSON


def json_response(
    content: object, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> JSONBytes:
    return JSONBytes(orjson.dumps(content), status_code=status_code, headers=headers)


def refused(refusal: Refusal) -> Response:
    """The refusal as a response: its status and headers, and its GraphQL-shaped body
    `{"errors": [{"message", "extensions": {"code"}}]}`."""
    return JSONBytes(refusal.body(), status_code=refusal.status, headers=refusal.headers)


__all__ = ["JSON", "JSONBytes", "json_response", "refused"]
