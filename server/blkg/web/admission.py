"""Admission control: at most so many requests being answered; past that, a 503 at once.

The server answers from one event loop with a few SPARQL workers and a small thread pool, so
requests past a few dozen being answered only wait in line, each holding memory, until
clients give up. Rather than queue without bound, a request that arrives while
`Limits.max_concurrent_requests` (`BLKG_MAX_CONCURRENT_REQUESTS`) are being answered is
answered at once with a refusal (503 `OVERLOADED`, with `Retry-After`). `/health` is
never refused, so a load balancer can tell "busy" from "down".

A slot is held only while the server works on an answer: from when the request reaches the
application, which is once its body has arrived (`blkg.web.connections` holds a request until
then), until the answer starts. A client that sends its body slowly, or reads its answer
slowly, therefore holds a connection (bounded by the body and send deadlines of
`blkg.web.connections`), never a slot that answers for others need.

The count is exact without a lock: the middleware runs on the one event loop and only
increments and decrements between awaits. A client that goes away while its body is read
ends its request here quietly: there is nobody to answer, and nothing went wrong.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from blkg.codes import Code
from blkg.errors import RETRY_AFTER_SECONDS, Refusal
from blkg.web.responses import refused

EXEMPT = frozenset({"/health"})


class AdmissionLimit:
    """Pure ASGI middleware: refuse HTTP requests past `limit` being answered with a 503."""

    def __init__(self, app: ASGIApp, limit: int, exempt: frozenset[str] = EXEMPT) -> None:
        self.app = app
        self.limit = max(1, limit)
        self.exempt = exempt
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await self._overloaded(scope, receive, send)
            return
        self.in_flight += 1
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                self.in_flight -= 1

        async def send_releasing(message: Message) -> None:
            if message["type"] == "http.response.start":
                release()  # the answer is ready; delivering it is the connection's business
            await send(message)

        try:
            await self.app(scope, receive, send_releasing)
        except ClientDisconnect:
            pass
        finally:
            release()

    async def _overloaded(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = Refusal(
            Code.OVERLOADED,
            f"The server is answering as many requests as it allows at once ({self.limit}); "
            f"try again in {RETRY_AFTER_SECONDS} s.",
        )
        await refused(refusal)(scope, receive, send)


__all__ = ["AdmissionLimit"]
