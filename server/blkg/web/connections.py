"""Connections that a slow, stalled, oversized or malformed request cannot hold, and that a
client that stops reading cannot hold either.

uvicorn's httptools protocol, which `blkg serve` runs, bounds an idle keep-alive connection
(5 s) but nothing else: a connection that sends nothing, sends its headers a byte at a time
("slowloris"), declares a body and never sends it, or never reads its answer stays open for
ever, and httptools buffers a header of any size. `GuardedHttpToolsProtocol` adds the bounds.

Receiving a request:

- the head (request line and headers) must be complete within `Limits.header_timeout_seconds`
  (`BLKG_HEADER_TIMEOUT`) of the connection opening, or of the request's first byte on a
  kept-alive connection: otherwise 408 (a connection on which no request has begun is closed
  without an answer);
- the head may hold at most `Limits.max_header_bytes` (`BLKG_MAX_HEADER_BYTES`), counted over
  the whole head whether it arrives in one read or many: the request line and each header as
  the parser reports them, and the bytes of a head still incomplete as they arrive (which
  bounds what the parser buffers of a header not yet ended). Past it, 431;
- `Accept` may list at most `blkg.web.negotiation.MAX_MEDIA_RANGES` entries (all `Accept`
  lines together; a comma inside a quoted string separates nothing): past it, 400
  `TOO_MANY_MEDIA_RANGES`, so negotiation never reads more;
- HTTP/1.1 and HTTP/1.0 are served (nginx speaks 1.0 to its upstreams, and so do many health
  checkers); HTTP/2.0 and anything that is not HTTP get 400, and so does the version-less
  HTTP/0.9 form: as soon as its line has ended when it begins a read (as a 0.9 client, which
  sends one request per connection, does), else when its head ends, or at the head deadline;
- an HTTP/1.1 request without a `Host` header, and any request with more than one, get 400
  `BAD_REQUEST` (RFC 9112, section 3.2); HTTP/1.0 may leave `Host` out;
- the body must be complete within `Limits.body_timeout_seconds` (`BLKG_BODY_TIMEOUT`) of the
  head: otherwise 408;
- the application sees a request only once its body has arrived whole, or once more of it has
  arrived (or been declared) than any route accepts (`BLKG_MAX_BODY_BYTES`: the route then
  refuses it with 413). A slow body holds its connection and a buffer of at most that size,
  never one of the application's admission slots (`blkg.web.admission`).

Sending the answer:

- whenever data for the client waits in the server's buffer (the socket's buffers are full
  because the client does not read), the client has `Limits.send_timeout_seconds`
  (`BLKG_SEND_TIMEOUT`) to take it; the deadline restarts each time the buffer empties.
  Past it the connection is reset, which frees the buffer in this process and in the kernel
  at once (a plain close would keep both until the client read everything). What the kernel
  alone holds (an answer that fitted the socket's buffers) is the kernel's: once the idle
  connection is closed (5 s), the kernel gives it up after its own retries.

Each refusal is a JSON error with a code and closes the connection; a request refused behind
others still being answered on the same connection (pipelined) is refused after their answers,
in order, as HTTP/1.1 requires. A client's mistakes are
answered, never logged: uvicorn's warnings for an invalid request or an `Upgrade` header are
not written (a request asking to upgrade is answered as plain HTTP/1.1, and its connection
closed after the answer). A timer is armed only while a head or a body is still awaited after
a read, or while an answer waits for its client, so a request that arrives whole in one read
and whose answer fits the socket's buffer (the usual case) costs no timer at all.

The limits are the ones the server is configured with: `blkg serve` gives uvicorn
`guarded_protocol(settings.limits)` (`blkg.cli.uvicorn_options`), a factory carrying them.
Given the class by its import string instead, uvicorn makes it with the default `Limits()`.

This class extends uvicorn's `HttpToolsProtocol`, which is not a public API: it overrides and
calls the methods named in `UVICORN_INTERNALS` and reads the protocol's and the request cycle's
state. pyproject.toml pins uvicorn and httptools to the releases it was written against, and
tests/test_connection_limits.py checks the installed ones are those and still have these
methods; widen the pins only after the connection tests pass on the new release.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import functools
import socket
import struct
import termios
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from blkg.codes import Code
from blkg.config import Limits
from blkg.errors import Refusal
from blkg.web.negotiation import MAX_MEDIA_RANGES, count_media_ranges

if TYPE_CHECKING:
    # The application type of uvicorn's own signatures (`_start_asgi_task`); its module is
    # private, so it is read for type checking only.
    from uvicorn._types import ASGI3Application

SERVED_VERSIONS = frozenset({"1.0", "1.1"})
# What a head holds besides its target and headers: the shortest method, spaces, version and
# line ends (each header adds its `: ` and line end).
HEAD_FRAMING = len(b"GET  HTTP/1.1\r\n\r\n")
HEADER_FRAMING = len(b": \r\n")
# SO_LINGER on with 0 s: closing the socket resets the connection and discards what the kernel
# still holds for the client, instead of trying to deliver it for minutes.
RESET_ON_CLOSE = struct.pack("ii", 1, 0)

# The methods of uvicorn's `HttpToolsProtocol` this class overrides or calls. It also reads the
# attributes uvicorn sets (`parser`, `pipeline`, `cycle`, `flow`, `loop`, `transport`,
# `server_state`) and those of the request cycle (`body`, `more_body`, `keep_alive`, ...).
UVICORN_INTERNALS = (
    "_start_asgi_task",
    "_unset_keepalive_if_required",
    "connection_lost",
    "connection_made",
    "data_received",
    "on_body",
    "on_header",
    "on_headers_complete",
    "on_message_begin",
    "on_message_complete",
    "on_response_complete",
    "on_url",
    "pause_writing",
    "resume_writing",
    "send_400_response",
    "shutdown",
    "timeout_keep_alive_handler",
)


def _not_http() -> Refusal:
    return Refusal(
        Code.BAD_REQUEST, "The request is not valid HTTP/1.1 (or HTTP/1.0); send HTTP/1.1."
    )


def _bad_host(hosts: int) -> Refusal:
    if hosts == 0:
        problem = "The HTTP/1.1 request has no Host header, which HTTP/1.1 requires"
    else:
        problem = f"The request has {hosts} Host headers"
    return Refusal(
        Code.BAD_REQUEST,
        f"{problem} (RFC 9112, section 3.2): send exactly one, naming the server you are "
        "asking, e.g. `Host: localhost:8000`.",
    )


def _head_too_large(limit: int) -> Refusal:
    return Refusal(Code.HEADERS_TOO_LARGE, f"The request line and headers exceed {limit} bytes.")


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with deadlines for heads, bodies and answers, a head size
    limit, requests handed on only once whole, and no log lines for a client's mistakes."""

    # uvicorn's own arguments (config, server state, ...) pass through as it gives them.
    def __init__(self, *args: Any, limits: Limits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = Limits() if limits is None else limits
        self.head_timeout = limits.header_timeout_seconds
        self.body_timeout = limits.body_timeout_seconds
        self.send_timeout = limits.send_timeout_seconds
        self.max_head_bytes = limits.max_header_bytes
        self.max_body_bytes = limits.max_body_bytes
        # The one deadline armed for receiving, of a head or of a body.
        self.timer: asyncio.TimerHandle | None = None
        # The deadline of an answer waiting for its client.
        self.send_timer: asyncio.TimerHandle | None = None
        self.reading_head = False  # between a request's first byte and its last header
        self.in_message = False  # between a request's first byte and its last body byte
        self.messages_begun = 0
        self.head_received = 0  # bytes of an incomplete head, read by read
        self.head_parsed = 0  # bytes of the head the parser has reported
        self.accept_ranges = 0
        self.hosts = 0  # Host header lines of the request being parsed
        self.request_line: bytes | None = None  # the start of a head, until its line is checked
        self.refusal: Refusal | None = None  # why a parser callback stopped the parser
        self.pending: Refusal | None = None  # a refusal waiting for earlier answers to go
        # The cycle of the request being parsed, once its head is.
        self.parsed_cycle: RequestResponseCycle | None = None
        # (cycle, app) of a request whose body is still arriving.
        self.waiting: tuple[RequestResponseCycle, ASGI3Application] | None = None
        # The cycle last handed to the application.
        self.running: RequestResponseCycle | None = None

    # -- the connection ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # asyncio types the argument as any transport; a stream server, as uvicorn runs, gives
        # its protocols a read-write `Transport` (the type uvicorn's own override declares).
        transport = cast(asyncio.Transport, transport)
        super().connection_made(transport)
        # Pause (and start the send deadline) as soon as anything waits for the client, resume
        # once nothing does: the deadline then measures exactly how long the client lags.
        transport.set_write_buffer_limits(high=0, low=0)
        self._arm(self.head_timeout, self._head_timed_out)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._stop_send_deadline()
        self.waiting = None
        # uvicorn tells only the request parsed last that its client is gone; the one being
        # answered and those queued behind it (pipelined) have lost it too, and must not be
        # answered to a closed transport.
        for cycle in (self.running, *(entry[0] for entry in self.pipeline)):
            if cycle is not None and not cycle.response_complete:
                cycle.disconnected = True
                cycle.message_event.set()
        super().connection_lost(exc)

    def shutdown(self) -> None:
        if self.waiting is not None:  # its body has not arrived: nothing was done for it yet
            self.transport.close()
            return
        super().shutdown()

    def data_received(self, data: bytes) -> None:
        # uvicorn's own version logs a warning for every invalid request: answered here only.
        if self.pending is not None:
            return  # the connection ends with the refusal: nothing after it is read
        self._unset_keepalive_if_required()
        head_open, idle, begun = self.reading_head, not self.in_message, self.messages_begun
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._no_upgrade()
        except httptools.HttpParserError:
            self._refuse_broken(self.refusal or _not_http())
            return
        if self.transport.is_closing():
            return
        new = self.messages_begun - begun
        whole_read_is_head = (head_open and new == 0) or (idle and new == 1)
        try:
            self._after_read(data, whole_read_is_head)
        except Refusal as refusal:
            self.refuse_in_turn(refusal)

    def _after_read(self, data: bytes, whole_read_is_head: bool) -> None:
        if self.reading_head:
            if whole_read_is_head:
                self._check_incomplete_head(data)
            else:  # where this head began in the read is unknown: the parser's counts rule
                self.request_line = None
            self._arm_once(self.head_timeout, self._head_timed_out)
        elif self.in_message:
            self._arm_once(self.body_timeout, self._body_timed_out)
        elif self._idle():
            self._arm_once(self.head_timeout, self._head_timed_out)  # blank lines start none

    def _check_incomplete_head(self, data: bytes) -> None:
        self.head_received += len(data)
        if self.head_received > self.max_head_bytes:
            raise _head_too_large(self.max_head_bytes)
        if self.request_line is None:
            return
        self.request_line += data
        line, newline, _ = self.request_line.lstrip(b"\r\n").partition(b"\n")
        if newline:
            self.request_line = None
            if line.count(b" ") < 2:  # `GET /path`: an HTTP/0.9 request, which waits for ever
                raise Refusal(
                    Code.BAD_REQUEST,
                    "The request line has no HTTP version (HTTP/0.9 is not served): "
                    "send `GET /path HTTP/1.1`.",
                )

    def _no_upgrade(self) -> None:
        """A request asking to upgrade (WebSocket, h2c) is served as plain HTTP/1.1; the parser
        stops at it, so its connection closes after the answer."""
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False
        elif not self.transport.is_closing():
            self.transport.close()

    def _idle(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.pending is not None and self._answered_all():
            self._unset_keepalive_if_required()
            self.refuse(self.pending)
        elif self.reading_head or self.in_message:  # the next request has begun: its
            self._unset_keepalive_if_required()  # deadline rules, not the idle connection's

    # -- parser callbacks --------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.reading_head, self.in_message = True, True
        self.messages_begun += 1
        self.head_received = self.accept_ranges = self.hosts = 0
        self.head_parsed = HEAD_FRAMING
        self.request_line = b""
        self.parsed_cycle = None

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        self._count_parsed(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self._count_parsed(len(name) + len(value) + HEADER_FRAMING)
        name = name.lower()
        if name == b"host":
            self.hosts += 1
        elif name == b"accept":
            self.accept_ranges += count_media_ranges(value.decode("latin-1"))
            if self.accept_ranges > MAX_MEDIA_RANGES:
                self._stop_parsing(
                    Refusal(
                        Code.TOO_MANY_MEDIA_RANGES,
                        f"Accept lists more than {MAX_MEDIA_RANGES} media ranges; "
                        "list the types you can read, or use ?format=.",
                    )
                )

    def on_headers_complete(self) -> None:
        self.reading_head = False
        self.request_line = None
        self._disarm()
        version = self.parser.get_http_version()
        if version not in SERVED_VERSIONS:
            self._stop_parsing(
                Refusal(
                    Code.BAD_REQUEST,
                    f"HTTP/{version} is not served here; send HTTP/1.1 (or HTTP/1.0).",
                )
            )
        if self.hosts > 1 or (self.hosts == 0 and version == "1.1"):
            self._stop_parsing(_bad_host(self.hosts))
        super().on_headers_complete()
        self.parsed_cycle = self.cycle

    def on_body(self, body: bytes) -> None:
        super().on_body(body)
        if self.waiting is None:
            return
        if len(self.waiting[0].body) > self.max_body_bytes:
            self._start_waiting()  # more than any route takes: the route refuses it now
        else:
            self.flow.resume_reading()  # uvicorn pauses past 64 KiB for an app; none reads yet

    def on_message_complete(self) -> None:
        self.in_message = False
        self._disarm()
        super().on_message_complete()
        if self.waiting is not None:
            self._start_waiting()

    def _count_parsed(self, size: int) -> None:
        self.head_parsed += size
        if self.head_parsed > self.max_head_bytes:
            self._stop_parsing(_head_too_large(self.max_head_bytes))

    def _stop_parsing(self, refusal: Refusal) -> None:
        """Abort `feed_data` from a callback; `data_received` answers with `refusal`."""
        self.refusal = refusal
        raise refusal

    # -- handing a whole request to the application ------------------------------------------

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        if cycle.more_body and not self._declared_too_large(cycle):
            self.waiting = (cycle, app)
            self._continue(cycle)
            return
        self._run(cycle, app)

    def _start_waiting(self) -> None:
        assert self.waiting is not None  # its callers start it only when a request waits
        cycle, app = self.waiting
        self.waiting = None
        self._run(cycle, app)

    def _run(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        self.running = cycle
        super()._start_asgi_task(cycle, app)

    def _declared_too_large(self, cycle: RequestResponseCycle) -> bool:
        for name, value in cycle.scope["headers"]:
            if name == b"content-length":
                return value.isdigit() and int(value) > self.max_body_bytes
        return False

    def _continue(self, cycle: RequestResponseCycle) -> None:
        """Ask for the body now (`Expect: 100-continue`): the application, which uvicorn would
        let ask for it, sees the request only once the body is here."""
        if cycle.waiting_for_100_continue and not self.transport.is_closing():
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            cycle.waiting_for_100_continue = False

    # -- refusing ----------------------------------------------------------------------------

    def send_400_response(self, msg: str) -> None:
        self.refuse(_not_http())

    def _refuse_broken(self, refusal: Refusal) -> None:
        """Refuse the request the parser stopped in: in its head (no cycle yet), or in its
        body (its cycle waits for it here, in the pipeline, or in the application)."""
        cycle = self.parsed_cycle if self.in_message else None
        if cycle is None:
            self.refuse_in_turn(refusal)
        elif self.waiting is not None:  # it never reached the application: all before it did
            self.refuse(refusal)
        elif queued := [entry for entry in self.pipeline if entry[0] is cycle]:
            self.pipeline.remove(queued[0])
            self.refuse_in_turn(refusal)
        else:  # the application reading this body learns that the client is gone
            cycle.disconnected = True
            cycle.message_event.set()
            if cycle.response_started and not cycle.response_complete:
                self.transport.close()  # an answer is on its way: a refusal cannot follow it
            else:
                self.refuse(refusal)

    def refuse_in_turn(self, refusal: Refusal) -> None:
        """Refuse a request that arrived behind others still being answered (pipelined):
        the earlier answers go first, as HTTP/1.1 requires, then the refusal."""
        if self._answered_all():
            self.refuse(refusal)
            return
        self._disarm()
        self.waiting = None
        self.pending = refusal
        self.flow.pause_reading()

    def _answered_all(self) -> bool:
        running = self.running
        return (running is None or running.response_complete) and not self.pipeline

    def refuse(self, refusal: Refusal) -> None:
        """Answer with a JSON error now and close the connection."""
        self._disarm()
        self.waiting = None
        self.pending = None
        body = refusal.body()
        phrase = HTTPStatus(refusal.status).phrase
        head = [f"HTTP/1.1 {refusal.status} {phrase}\r\n".encode()]
        head += [name + b": " + value + b"\r\n" for name, value in self._default_headers()]
        head += [
            f"{name}: {value}\r\n".encode("latin-1") for name, value in refusal.headers.items()
        ]
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

    # -- the receiving deadlines -------------------------------------------------------------

    def _arm(self, seconds: float, callback: Callable[[], None]) -> None:
        self._disarm()
        self.timer = self.loop.call_later(seconds, callback)

    def _arm_once(self, seconds: float, callback: Callable[[], None]) -> None:
        if self.timer is None:
            self._arm(seconds, callback)

    def _disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _head_timed_out(self) -> None:
        self.timer = None
        if not self._idle():  # a response is still being sent: the next head waits for it
            self._arm(self.head_timeout, self._head_timed_out)
        elif not self.reading_head:  # no request begun: close quietly, as keep-alive does
            if self._unread():
                self._arm(self.head_timeout, self._head_timed_out)
            else:
                self.transport.close()
        else:
            self.refuse(
                Refusal(
                    Code.REQUEST_TIMEOUT,
                    f"The request line and headers did not arrive within {self.head_timeout:g} s.",
                )
            )

    def timeout_keep_alive_handler(self) -> None:
        """uvicorn's idle close, except when a request has arrived but not yet been read.

        With the loop busy across the keep-alive deadline, the timer can fire after a client
        has reused the connection; closing then would reset a request already sent (a client
        sees a connection reset). Its bytes are read next, which starts the request."""
        if not self._unread():
            super().timeout_keep_alive_handler()

    def _unread(self) -> bool:
        """Whether the socket holds bytes the loop has not read yet."""
        sock = self.transport.get_extra_info("socket")
        if sock is None or self.transport.is_closing():
            return False
        try:
            count = fcntl.ioctl(sock.fileno(), termios.FIONREAD, b"\0\0\0\0")
        except (OSError, ValueError):  # ValueError: closed under us (its descriptor is -1)
            return False
        unread: int = struct.unpack("i", count)[0]
        return unread > 0

    def _body_timed_out(self) -> None:
        self.timer = None
        cycle = self.cycle
        if cycle is None or not self.in_message:
            return
        if cycle.response_started:  # answered without waiting for the body: just stop
            self.transport.close()
            return
        cycle.disconnected = True  # an application reading the body sees the client gone
        cycle.message_event.set()
        self.refuse(
            Refusal(
                Code.REQUEST_TIMEOUT,
                f"The request body did not arrive within {self.body_timeout:g} s; send it at once.",
            )
        )

    # -- the send deadline -------------------------------------------------------------------

    def pause_writing(self) -> None:
        super().pause_writing()
        if self.send_timer is None:
            self.send_timer = self.loop.call_later(self.send_timeout, self._send_timed_out)

    def resume_writing(self) -> None:
        super().resume_writing()
        self._stop_send_deadline()

    def _stop_send_deadline(self) -> None:
        if self.send_timer is not None:
            self.send_timer.cancel()
            self.send_timer = None

    def _send_timed_out(self) -> None:
        """The client has not taken what waits for it in time: reset the connection."""
        self.send_timer = None
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_ON_CLOSE)
        self.transport.abort()


def guarded_protocol(limits: Limits) -> Callable[..., GuardedHttpToolsProtocol]:
    """What uvicorn's `http` option takes to make each connection's protocol: this class,
    bounded by `limits` (uvicorn calls it with its own arguments)."""
    return functools.partial(GuardedHttpToolsProtocol, limits=limits)


__all__ = ["UVICORN_INTERNALS", "GuardedHttpToolsProtocol", "guarded_protocol"]
