"""Admission control: at most so many requests in flight; past that, a 503 at once.

The server answers from one event loop with two SPARQL workers and a small thread pool, so
requests past a few dozen in flight only wait in line, each holding memory, until clients
give up. Rather than queue without bound, a request that arrives while
`Limits.max_concurrent_requests` (`BLKG_MAX_CONCURRENT_REQUESTS`) are in flight is answered
at once with 503, `Retry-After` and a JSON error (code `OVERLOADED`), without reading its
body. `/health` is never refused, so a load balancer can tell "busy" from "down".

The count is exact without a lock: the middleware runs on the one event loop and only
increments and decrements between awaits. A client that goes away while its body is read
(or is cut off by the body deadline, `blkg.web.connections`) ends its request here quietly:
there is nobody to answer, and nothing went wrong in the server.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect

from blkg.web.responses import error_response

EXEMPT = frozenset({"/health"})
RETRY_AFTER_SECONDS = 1


class AdmissionLimit:
    """Pure ASGI middleware: refuse HTTP requests past `limit` in flight with a 503."""

    def __init__(self, app, limit: int, exempt: frozenset[str] = EXEMPT):
        self.app = app
        self.limit = max(1, limit)
        self.exempt = exempt
        self.in_flight = 0
        self.refused = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            self.refused += 1
            await self._overloaded(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            pass
        finally:
            self.in_flight -= 1

    async def _overloaded(self, scope, receive, send) -> None:
        response = error_response(
            503,
            "OVERLOADED",
            f"The server is answering as many requests as it allows at once ({self.limit}); "
            f"try again in {RETRY_AFTER_SECONDS} s.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
        await response(scope, receive, send)


__all__ = ["AdmissionLimit"]
