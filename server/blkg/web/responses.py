"""JSON responses, and the JSON error body every failed request gets."""

from __future__ import annotations

import orjson
from starlette.responses import Response

JSON = "application/json"


class JSONBytes(Response):
    """A response whose body is already-serialised JSON."""

    media_type = JSON


def json_response(content: object, status_code: int = 200, headers: dict | None = None):
    return JSONBytes(orjson.dumps(content), status_code=status_code, headers=headers)


def error_response(
    status_code: int, code: str, message: str, headers: dict | None = None
) -> Response:
    """A GraphQL-shaped error body: `{"errors": [{"message", "extensions": {"code"}}]}`."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return json_response(body, status_code=status_code, headers=headers)


__all__ = ["JSON", "JSONBytes", "error_response", "json_response"]
