"""Reading a request body, bounded by `Limits.max_body_bytes` (`BLKG_MAX_BODY_BYTES`): the one
reader of `POST /graphql` and `POST /sparql`.

A body declared (`Content-Length`) or found longer than the limit is refused with 413
`PAYLOAD_TOO_LARGE` without reading more of it. The connection (`blkg.web.connections`) hands
a request on once its body has arrived, or once more of it has arrived than the limit, so this
mostly reads what is already here.
"""

from __future__ import annotations

from collections.abc import Coroutine

from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope

from blkg.codes import Code
from blkg.errors import Refusal


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The whole body of the request, at most `limit` bytes; raises `Refusal` past it and
    `ClientDisconnect` if the client leaves first."""
    declared = _content_length(scope)
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _content_length(scope: Scope) -> bytes | None:
    """The request's first `Content-Length`, as sent."""
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    return next((value for name, value in headers if name == b"content-length"), None)


def _too_large(limit: int) -> Refusal:
    return Refusal(
        Code.PAYLOAD_TOO_LARGE,
        f"The request body exceeds {limit} bytes; send a smaller query.",
    )


__all__ = ["read_body"]


def client_gone(receive: Receive) -> bool:
    """Whether the client of a request whose body has been read has hung up, asked without
    waiting: once the body is read, the server's `receive` returns at once only to say the
    client is gone, and otherwise waits (then it is stopped here, before it waits). Cheaper
    than a cancel scope around `receive` (Starlette's `is_disconnected`), on every request."""
    probe = receive()
    if not isinstance(probe, Coroutine):  # not a coroutine: it cannot be asked without waiting
        return False
    try:
        probe.send(None)
    except StopIteration as returned:
        return bool(returned.value.get("type") == "http.disconnect")
    finally:
        probe.close()
    return False
