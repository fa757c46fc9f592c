"""HTTP over raw sockets, for the tests where the socket is the point (slow, stalled, oversized,
malformed and non-reading clients), and what the kernel says about a connection: its state,
what it has not yet delivered, and the server's side of it in `/proc/net/tcp`.

Tests wait for events with `tests.conftest.wait_for` (a condition polled until it holds,
with a generous overall timeout that only guards against a hang), never for a fixed time.
"""

from __future__ import annotations

import fcntl
import socket
import struct
import termios
from dataclasses import dataclass
from pathlib import Path

import orjson

from tests.safety import error_codes

TCP_ESTABLISHED = 1
TCP_CLOSE = 7  # what a socket becomes when the peer resets the connection


def connect(port: int, receive_buffer: int | None = None) -> socket.socket:
    """A connection to the server on loopback; `receive_buffer` shrinks the window it offers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if receive_buffer is not None:  # before connecting: the window scale is agreed then
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.settimeout(10)
        sock.connect(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise
    return sock


class Responses:
    """Reads the responses of one connection in turn (pipelined ones too)."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = b""

    def next(self) -> bytes:
        """The next whole response: head and Content-Length body."""
        self.sock.settimeout(30)
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, _, _ = self.buffer.partition(b"\r\n\r\n")
        _, headers, _ = parse(head + b"\r\n\r\n")
        end = len(head) + 4 + int(headers.get("content-length", "0"))
        while len(self.buffer) < end:
            self._receive()
        response, self.buffer = self.buffer[:end], self.buffer[end:]
        return response

    def _receive(self) -> None:
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError(f"closed after {self.buffer[:200]!r}")
        self.buffer += chunk


def read_response(sock: socket.socket) -> bytes:
    """One whole response (head and Content-Length body) from a kept-alive connection."""
    return Responses(sock).next()


def read_until_closed(sock: socket.socket, timeout: float = 30) -> bytes:
    """Everything the server sends until it closes the connection (`timeout` guards a hang)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return data


def parse(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def assert_coded(raw: bytes, status: int, code: str) -> dict[str, str]:
    """`raw` is a response with `status` and a JSON error of `code`; returns its headers."""
    got, headers, body = parse(raw)
    assert got == status, raw[:300]
    assert headers["content-type"] == "application/json"
    assert error_codes(orjson.loads(body)) == [code]
    return headers


# -- what the kernel knows --------------------------------------------------------------------


def tcp_state(sock: socket.socket) -> int:
    """The kernel's state of `sock` (`TCP_ESTABLISHED`, `TCP_CLOSE`, ...)."""
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]


def undelivered(sock: socket.socket) -> int:
    """Bytes `sock` has sent that the peer's kernel has not acknowledged yet."""
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0]


@dataclass(frozen=True)
class ServerSide:
    """The server's socket of one connection, as `/proc/net/tcp` lists it."""

    state: int
    unsent: int  # bytes queued for the client and not acknowledged by it
    unread: int  # bytes received from the client that the server has not read


def server_sides(port: int) -> dict[int, ServerSide]:
    """The server's sockets of the connections to `port`, by the client's port."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if local_port == port and remote_port != 0:
                unsent, unread = (int(n, 16) for n in fields[4].split(":"))
                found[remote_port] = ServerSide(int(fields[3], 16), unsent, unread)
    return found


def client_port(sock: socket.socket) -> int:
    return sock.getsockname()[1]


def server_has_read_all(port: int, socks: list[socket.socket]) -> bool:
    """Has the server received and read everything these connections sent? (Their kernels
    hold nothing unacknowledged, and the server's sockets nothing unread.)"""
    sides = server_sides(port)
    return all(
        undelivered(sock) == 0
        and client_port(sock) in sides
        and sides[client_port(sock)].unread == 0
        for sock in socks
    )


__all__ = [
    "TCP_CLOSE",
    "TCP_ESTABLISHED",
    "Responses",
    "ServerSide",
    "assert_coded",
    "client_port",
    "connect",
    "parse",
    "read_response",
    "read_until_closed",
    "server_has_read_all",
    "server_sides",
    "tcp_state",
    "undelivered",
]
