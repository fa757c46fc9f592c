"""Request heads are bounded whole, and `Accept` in media ranges (issue 9, item 9), on the real
server over raw sockets.

- `BLKG_MAX_HEADER_BYTES` counts the whole head (request line and headers), whether it
  arrives in one read or many: a 100 KB `Accept`, target or pile of headers sent at once gets
  431, as does one sent in pieces; a head just inside the limit is served.
- `Accept` may list at most `MAX_MEDIA_RANGES` entries, on one line or several: past it, 400
  `TOO_MANY_MEDIA_RANGES` on any route; at it, the usual negotiation. Ranges are separated
  by commas outside quoted strings: commas in a quoted parameter value count for nothing.
"""

from __future__ import annotations

import pytest

from blkg.config import Limits
from blkg.web.negotiation import MAX_MEDIA_RANGES
from tests.raw_http import assert_coded, connect, parse, read_response, read_until_closed

MAX_HEAD = Limits().max_header_bytes


def send_head(port: int, head: bytes, pieces: int = 1) -> bytes:
    """Send `head` in `pieces` writes and return the first answer (or all until closed)."""
    with connect(port) as sock:
        step = -(-len(head) // pieces)
        try:
            for start in range(0, len(head), step):
                sock.sendall(head[start : start + step])
        except OSError:
            pass  # refused and closed before it was all sent
        return read_until_closed(sock)


def get(path: str, *headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: x", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


HUGE = 100 * 1024
OVERSIZED = {
    "accept": get("/export", "Accept: text/turtle, " + "a/b;q=0.1 " * (HUGE // 10)),
    "target": get("/graphql?query=" + "x" * HUGE),
    "many-headers": get("/health", *(f"X-H{n}: {'v' * 90}" for n in range(HUGE // 100))),
    "one-header": get("/health", "X-Pad: " + "a" * HUGE),
    "just-past": get("/health", "X-Pad: " + "a" * MAX_HEAD),
}


@pytest.mark.parametrize("pieces", [1, 7], ids=["one-read", "in-pieces"])
@pytest.mark.parametrize("name", list(OVERSIZED))
def test_a_head_past_the_limit_is_refused_with_431(server, name, pieces):
    assert_coded(send_head(server.port, OVERSIZED[name], pieces), 431, "HEADERS_TOO_LARGE")


def test_a_head_just_inside_the_limit_is_served(server):
    head = get("/health", "X-Pad: ")
    head = get("/health", "X-Pad: " + "a" * (MAX_HEAD - len(head) - 64))
    assert len(head) < MAX_HEAD
    status, _, _ = parse(send_head(server.port, head))
    assert status == 200


def accept(ranges: int) -> str:
    types = ["application/n-triples;q=0.9", "text/html;q=0.1", "image/png", "text/*;q=0.2"]
    return ", ".join(types[n % len(types)] for n in range(ranges))


ROUTES = ["/export", "/health", "/graphql?query=%7B__typename%7D", "/id/session/3", "/nowhere"]


TOO_MANY = {
    "one-line": [accept(MAX_MEDIA_RANGES + 1)],
    "two-lines": [accept(MAX_MEDIA_RANGES // 2 + 1), accept(MAX_MEDIA_RANGES // 2)],
    "a-thousand-short": [",".join(["*/*"] * 1000)],
    "empty-entries": ["," * MAX_MEDIA_RANGES],
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name", list(TOO_MANY))
def test_more_media_ranges_than_allowed_get_400(server, route, name):
    head = get(route, *(f"Accept: {value}" for value in TOO_MANY[name]))
    raw = send_head(server.port, head)
    headers = assert_coded(raw, 400, "TOO_MANY_MEDIA_RANGES")
    assert headers["connection"] == "close"
    assert str(MAX_MEDIA_RANGES) in parse(raw)[2].decode()


def test_as_many_media_ranges_as_allowed_are_negotiated(server):
    with connect(server.port) as sock:
        sock.sendall(get("/export?graph=inferred", f"Accept: {accept(MAX_MEDIA_RANGES)}"))
        status, headers, _ = parse(read_response(sock))
    assert status == 200
    assert headers["content-type"].startswith("application/n-triples")


COMMAS = "," * (MAX_MEDIA_RANGES + 6)
QUOTED_COMMAS = {
    "one-value": [f'text/turtle;x="{COMMAS}"'],
    "escaped-quotes": [f'text/turtle;x="\\"{COMMAS}\\""'],
    "several-values": [f'text/turtle;x="{COMMAS}";y="{COMMAS}", image/png;z="{COMMAS}"'],
    "several-lines": [f'image/png;x="{COMMAS}";q=0.1', f'text/turtle;y="{COMMAS}"'],
    "an-open-quote": [f'text/turtle;x="{COMMAS}'],
}


@pytest.mark.parametrize("name", list(QUOTED_COMMAS))
def test_commas_in_quoted_values_are_not_media_ranges(server, name):
    head = get("/export?graph=inferred", *(f"Accept: {v}" for v in QUOTED_COMMAS[name]))
    with connect(server.port) as sock:
        sock.sendall(head)
        status, headers, _ = parse(read_response(sock))
    assert status == 200
    assert headers["content-type"].startswith("text/turtle")


def test_ranges_with_quoted_values_past_the_limit_get_400(server):
    value = ", ".join(f'text/turtle;x="{n},{n}"' for n in range(MAX_MEDIA_RANGES + 1))
    raw = send_head(server.port, get("/export", f"Accept: {value}"))
    assert_coded(raw, 400, "TOO_MANY_MEDIA_RANGES")
