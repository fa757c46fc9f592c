"""Connections that a slow, stalled or oversized request cannot hold.

uvicorn's httptools protocol, which `blkg serve` runs, bounds an idle keep-alive connection
(5 s) but nothing else: a connection that sends nothing, sends its headers a byte at a time
("slowloris"), or declares a body and never sends it, stays open for ever (the last one also
holding a request slot in the application), and httptools buffers a header of any size (200 MB
of one header were accepted in a test). `GuardedHttpToolsProtocol` adds the bounds:

- the head (request line and headers) must be complete within `Limits.header_timeout_seconds`
  (`BLKG_HEADER_TIMEOUT`) of the connection opening, or of the request's first byte on a
  kept-alive connection: otherwise 408 (a connection on which no request has begun is closed
  without an answer);
- the body must be complete within `Limits.body_timeout_seconds` (`BLKG_BODY_TIMEOUT`) of the
  head: otherwise 408, and the application sees the client disconnect;
- a head larger than `Limits.max_header_bytes` (`BLKG_MAX_HEADER_BYTES`) gets 431. The size is
  counted per read, so a head that arrives in one read may exceed it by that read (at most
  256 KiB); memory stays bounded either way.

Each answer closes the connection and, like uvicorn's 400 for bytes that are not HTTP, is a
JSON error with a code. A timer is armed only while a head or a body is still awaited after a
read, so a request that arrives whole in one read (the usual case) costs no timer at all.
`blkg serve` selects this protocol by its import string (`blkg.cli.UVICORN_OPTIONS`); its
limits come from the environment.
"""

from __future__ import annotations

import functools
from http import HTTPStatus

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from blkg.config import Limits


@functools.cache
def _limits() -> Limits:
    return Limits.from_env()


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with deadlines for heads and bodies, and a head size limit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = _limits()
        self.head_timeout = limits.header_timeout_seconds
        self.body_timeout = limits.body_timeout_seconds
        self.max_head_bytes = limits.max_header_bytes
        self.timer = None  # the one deadline armed, for a head or for a body
        self.reading_head = False  # between a request's first byte and its last header
        self.in_message = False  # between a request's first byte and its last body byte
        self.head_bytes = 0

    # -- the connection ----------------------------------------------------------------------

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm(self.head_timeout, self._head_timed_out)

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        head_open, idle = self.reading_head, not self.in_message
        super().data_received(data)
        if self.transport.is_closing():
            return
        if self.reading_head:
            # Count the read when all of it belongs to the head still open: the head began
            # in an earlier read, or began in this one (nothing was in progress before it).
            if head_open or idle:
                self.head_bytes += len(data)
                if self.head_bytes > self.max_head_bytes:
                    self.refuse(
                        431,
                        "HEADERS_TOO_LARGE",
                        f"The request line and headers exceed {self.max_head_bytes} bytes.",
                    )
                    return
            if self.timer is None:
                self._arm(self.head_timeout, self._head_timed_out)
        elif self.in_message:
            if self.timer is None:
                self._arm(self.body_timeout, self._body_timed_out)
        elif self.timer is None and self._idle():
            self._arm(self.head_timeout, self._head_timed_out)  # blank lines start no request

    def _idle(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    # -- parser callbacks --------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.reading_head, self.in_message, self.head_bytes = True, True, 0

    def on_headers_complete(self) -> None:
        self.reading_head = False
        self._disarm()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self.in_message = False
        self._disarm()
        super().on_message_complete()

    # -- refusing ----------------------------------------------------------------------------

    def send_400_response(self, msg: str) -> None:
        self.refuse(400, "BAD_REQUEST", "The request is not valid HTTP/1.1.")

    def refuse(self, status: int, code: str, message: str) -> None:
        """Answer with a JSON error and close the connection."""
        self._disarm()
        body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
        head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode()]
        head += [name + b": " + value + b"\r\n" for name, value in self._default_headers()]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode() + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        if not self.transport.is_closing():
            self.transport.write(b"".join(head) + body)
            self.transport.close()

    def _default_headers(self) -> list[tuple[bytes, bytes]]:
        return list(self.server_state.default_headers)

    # -- the deadlines -----------------------------------------------------------------------

    def _arm(self, seconds: float, callback) -> None:
        self._disarm()
        self.timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _head_timed_out(self) -> None:
        self.timer = None
        if not self._idle():  # a response is still being sent: the next head waits for it
            self._arm(self.head_timeout, self._head_timed_out)
        elif not self.reading_head:  # no request begun: close quietly, as keep-alive does
            self.transport.close()
        else:
            self.refuse(
                408,
                "REQUEST_TIMEOUT",
                f"The request line and headers did not arrive within {self.head_timeout:g} s.",
            )

    def _body_timed_out(self) -> None:
        self.timer = None
        cycle = self.cycle
        if cycle is None or not self.in_message:
            return
        if cycle.response_started:  # answered without waiting for the body: just stop
            self.transport.close()
            return
        cycle.disconnected = True  # the application's pending read sees the client gone
        cycle.message_event.set()
        self.refuse(
            408,
            "REQUEST_TIMEOUT",
            f"The request body did not arrive within {self.body_timeout:g} s; send it at once.",
        )


__all__ = ["GuardedHttpToolsProtocol"]
