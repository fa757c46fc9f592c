"""Cross-origin requests: what a read-only public API needs, and nothing more.

Any origin may read (`Access-Control-Allow-Origin: *`): the data is public and no request
carries credentials, so none are allowed (no cookies, no `Authorization`). The methods are
those of the read API (GET, HEAD, POST for GraphQL and SPARQL queries, OPTIONS), the request
headers `Content-Type` and `Accept`; `ETag` and `Retry-After` are exposed to scripts. A
preflight for anything else (another method or header, a private-network request) is refused
with a JSON error like every other error (Starlette's own refusal is plain text).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

from blkg.codes import Code
from blkg.errors import Refusal
from blkg.web.responses import refused

METHODS = ("GET", "HEAD", "POST", "OPTIONS")
REQUEST_HEADERS = ("Content-Type", "Accept")
EXPOSED_HEADERS = ("ETag", "Retry-After")


class ReadOnlyCORS(CORSMiddleware):
    """Starlette's CORS middleware with the policy above and coded JSON refusals."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(
            app,
            allow_origins=["*"],
            allow_methods=METHODS,
            allow_headers=REQUEST_HEADERS,
            allow_credentials=False,
            expose_headers=EXPOSED_HEADERS,
            max_age=600,
        )

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        disallowed = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        allowed = response.headers.items()
        headers = {k: v for k, v in allowed if k.lower().startswith(("access-control-", "vary"))}
        refusal = Refusal(
            Code.CORS_REFUSED,
            f"This cross-origin request is not allowed ({disallowed}). The API allows any "
            f"origin, the methods {', '.join(METHODS)}, the headers "
            f"{', '.join(REQUEST_HEADERS)}, and no credentials.",
            headers=headers,
        )
        return refused(refusal)


__all__ = ["ReadOnlyCORS"]
