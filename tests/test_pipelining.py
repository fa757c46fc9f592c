"""Pipelined requests are answered in order, a refused one last, on the real server.

A request the connection refuses (a broken head or body, an unserved version, too many media
ranges) may arrive behind others still being answered: those answers go first, whole, as
HTTP/1.1 requires, then the refusal, then the connection closes. A body broken after the
request has reached the application ends that request, with a refusal or a close.
"""

from __future__ import annotations

import orjson
import pytest

from tests.raw_http import Responses, assert_coded, connect, parse, read_until_closed

GET_HEALTH = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
GET_EXPORT = b"GET /export?format=nt&graph=all HTTP/1.1\r\nHost: x\r\n\r\n"
QUERY = b'{"query": "{ framework { name } }"}'
POST_QUERY = (
    b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: " + str(len(QUERY)).encode() + b"\r\n\r\n" + QUERY
)

BROKEN = {
    "not-http": (b"NOT HTTP\r\n\r\n", "BAD_REQUEST"),
    "http-2.0": (b"GET /health HTTP/2.0\r\n\r\n", "BAD_REQUEST"),
    "too-many-ranges": (
        b"GET /export HTTP/1.1\r\nHost: x\r\nAccept: " + b"*/*," * 100 + b"\r\n\r\n",
        "TOO_MANY_MEDIA_RANGES",
    ),
    "broken-chunk": (
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
        "BAD_REQUEST",
    ),
}
BEFORE = {
    "three-gets": [GET_HEALTH] * 3,
    "a-post": [POST_QUERY],
    "a-large-answer": [GET_EXPORT],
    "mixed": [GET_HEALTH, POST_QUERY, GET_EXPORT, GET_HEALTH],
}


@pytest.mark.parametrize("broken", list(BROKEN))
@pytest.mark.parametrize("before", list(BEFORE))
def test_earlier_answers_come_first_then_the_refusal(server, before, broken):
    data, code = BROKEN[broken]
    with connect(server.port) as sock:
        sock.sendall(b"".join(BEFORE[before]) + data)
        responses = Responses(sock)
        answers = [parse(responses.next()) for _ in BEFORE[before]]
        rest = responses.buffer + read_until_closed(sock)
    assert [status for status, _, _ in answers] == [200] * len(BEFORE[before])
    for (_, headers, body), request in zip(answers, BEFORE[before], strict=True):
        assert len(body) == int(headers["content-length"])
        if request is POST_QUERY:
            assert orjson.loads(body)["data"]["framework"]["name"]
    headers = assert_coded(rest, 400, code)
    assert headers["connection"] == "close"


def test_a_body_broken_after_it_reached_the_application_ends_the_request(server):
    """Past the body limit the request reaches the application before its body is whole; a
    broken chunk after that ends it: the client gets a 413 or a 400 and the connection closes."""
    first = b"x" * 70_000
    with connect(server.port) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
            + f"{len(first):x}\r\n".encode()
            + first
            + b"\r\nzz\r\n"
        )
        raw = read_until_closed(sock)
    status, _, _ = parse(raw)
    assert status in (400, 413)
