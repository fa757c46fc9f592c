"""Which HTTP versions are served (issue 9, item 10), on the real server over raw sockets.

HTTP/1.1 and HTTP/1.0 are served (nginx speaks 1.0 to its upstreams by default, and so do
many health checkers); a 1.0 request is answered and its connection closed. The HTTP/0.9
form (a request line without a version, which a 0.9 client follows with nothing and waits),
HTTP/2.0 in an HTTP/1 request line, the HTTP/2 preface and unknown versions get a JSON 400
`BAD_REQUEST` at once, alone or after a request served on the same connection (a bare 0.9 line
pipelined behind another request is refused at the head deadline instead: no 0.9 client
pipelines).

An HTTP/1.1 request must carry exactly one `Host` header and any request at most one (RFC 9112,
section 3.2): otherwise a JSON 400 `BAD_REQUEST` that says so, and the connection closes.
"""

from __future__ import annotations

import orjson
import pytest

from tests.raw_http import Responses, assert_coded, connect, parse, read_until_closed

SERVED_1_0 = {
    "/health": b'"status"',
    "/graphql?query=%7Bframework%7Bname%7D%7D": b"Balanced Leadership",
    "/export?graph=inferred&format=nt": b"<https://w3id.org/blkg/",
    "/.well-known/void": b"void:",
}


@pytest.mark.parametrize("path", list(SERVED_1_0))
@pytest.mark.parametrize("headers", ["", "Host: x\r\n", "Connection: keep-alive\r\n"])
def test_http_1_0_is_served_and_its_connection_closed(server, path, headers):
    with connect(server.port) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\n{headers}\r\n".encode())
        raw = read_until_closed(sock)  # the server closes after the one answer
    status, response_headers, body = parse(raw)
    assert status == 200
    assert len(body) == int(response_headers["content-length"])
    assert SERVED_1_0[path] in body


REFUSED = {
    "0.9-bare": b"GET /health\r\n",
    "0.9-with-blank-line": b"GET /health\r\n\r\n",
    "0.9-post": b"POST /graphql\r\n",
    "2.0": b"GET /health HTTP/2.0\r\nHost: x\r\n\r\n",
    "h2-preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "1.2": b"GET /health HTTP/1.2\r\nHost: x\r\n\r\n",
    "9.9": b"GET /health HTTP/9.9\r\nHost: x\r\n\r\n",
    "lower-case": b"GET /health http/1.1\r\nHost: x\r\n\r\n",
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_other_versions_get_400_at_once(server, name):
    with connect(server.port) as sock:
        sock.sendall(REFUSED[name])
        raw = read_until_closed(sock)
    headers = assert_coded(raw, 400, "BAD_REQUEST")
    assert headers["connection"] == "close"


@pytest.mark.parametrize("name", ["0.9-with-blank-line", "2.0", "1.2"])
def test_a_refused_version_after_a_served_request_gets_400(server, name):
    with connect(server.port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n" + REFUSED[name])
        responses = Responses(sock)
        first = parse(responses.next())
        rest = responses.buffer + read_until_closed(sock)
    assert first[0] == 200 and orjson.loads(first[2])["status"]
    assert_coded(rest, 400, "BAD_REQUEST")


# -- Host: HTTP/1.1 requires exactly one; HTTP/1.0 may leave it out (RFC 9112, section 3.2) ------

BAD_HOST = {
    "1.1-without-host": b"GET /health HTTP/1.1\r\n\r\n",
    "1.1-without-host-keep-alive": b"GET /health HTTP/1.1\r\nConnection: keep-alive\r\n\r\n",
    "1.1-post-without-host": (
        b"POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    ),
    "1.1-two-hosts": b"GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "1.1-two-equal-hosts": b"GET /health HTTP/1.1\r\nHost: x\r\nhost: x\r\n\r\n",
    "1.0-two-hosts": b"GET /health HTTP/1.0\r\nHost: a\r\nHOST: b\r\n\r\n",
}


@pytest.mark.parametrize("name", list(BAD_HOST))
def test_a_missing_or_repeated_host_gets_400(server, name):
    with connect(server.port) as sock:
        sock.sendall(BAD_HOST[name])
        raw = read_until_closed(sock)
    headers = assert_coded(raw, 400, "BAD_REQUEST")
    assert headers["connection"] == "close"
    message = orjson.loads(parse(raw)[2])["errors"][0]["message"]
    assert "Host" in message and "send exactly one" in message


@pytest.mark.parametrize("name", ["1.1-without-host", "1.1-two-hosts"])
def test_a_bad_host_after_a_served_request_gets_400_after_its_answer(server, name):
    with connect(server.port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n" + BAD_HOST[name])
        responses = Responses(sock)
        first = parse(responses.next())
        rest = responses.buffer + read_until_closed(sock)
    assert first[0] == 200
    assert_coded(rest, 400, "BAD_REQUEST")


@pytest.mark.parametrize("host", ["Host: x", "host: 127.0.0.1:1", "HOST:", "Host: [::1]:8000"])
def test_one_host_is_served(server, host):
    with connect(server.port) as sock:
        sock.sendall(f"GET /health HTTP/1.1\r\n{host}\r\nConnection: close\r\n\r\n".encode())
        assert parse(read_until_closed(sock))[0] == 200
