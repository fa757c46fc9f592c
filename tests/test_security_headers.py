"""Security headers and CORS, on the real server.

Every response (JSON, RDF, static files, errors, HTML pages) says `X-Content-Type-Options:
nosniff`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY` and carries the
Content-Security-Policy (own scripts only, no framing, no plugins), which matters for the
pages. CORS allows any origin to read, with the methods and headers of the read API and no
credentials; any other preflight is refused with a coded JSON error.
(That GraphiQL works under the policy is shown in tests/test_graphiql_browser.py.)
"""

from __future__ import annotations

import pytest

from blkg.web.security_headers import CONTENT_SECURITY_POLICY
from tests.safety import error_codes

JSON_BODY = {"Content-Type": "application/json"}
REQUESTS = {
    "graphql": ("POST", "/graphql", {"json": {"query": "{ framework { name } }"}}),
    "graphql error": ("POST", "/graphql", {"content": b"{", "headers": JSON_BODY}),
    "sparql": ("GET", "/sparql", {"params": {"query": "ASK {}"}}),
    "export": ("GET", "/export", {}),
    "id as turtle": ("GET", "/id/session/3", {"headers": {"Accept": "text/turtle"}}),
    "not found": ("GET", "/nowhere", {}),
    "not allowed": ("DELETE", "/export", {}),
    "not acceptable": ("GET", "/export", {"headers": {"Accept": "image/png"}}),
    "static script": ("GET", "/static/graphiql-init.js", {}),
    "health": ("GET", "/health", {}),
}  # fmt: skip
HTML_PAGES = ["/graphql", "/id/session/3", "/def", "/sparql", "/graph/data", "/id/nothing-here"]


@pytest.mark.parametrize("name", list(REQUESTS))
def test_every_response_carries_the_security_headers(client, name):
    method, path, options = REQUESTS[name]
    response = client.request(method, path, **options)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_carry_a_content_security_policy(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no CDN
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_html_pages_have_no_inline_script(client):
    for path in HTML_PAGES:
        text = client.get(path, headers={"Accept": "text/html"}).text
        assert "<script>" not in text and " on" + "click=" not in text


def preflight(client, method: str, headers: str | None = None, **extra: str):
    request_headers = {
        "Origin": "https://tool.example",
        "Access-Control-Request-Method": method,
        **extra,
    }
    if headers is not None:
        request_headers["Access-Control-Request-Headers"] = headers
    return client.options("/graphql", headers=request_headers)


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_cors_preflight_allows_the_read_api(client, method):
    response = preflight(client, method, "content-type, accept")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    allowed = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert allowed == {"GET", "HEAD", "POST", "OPTIONS"}
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize(
    ("method", "headers", "extra"),
    [
        ("PUT", None, {}),
        ("DELETE", None, {}),
        ("POST", "authorization", {}),
        ("POST", "x-custom", {}),
        ("GET", None, {"Access-Control-Request-Private-Network": "true"}),
    ],
    ids=["put", "delete", "authorization", "custom-header", "private-network"],
)
def test_cors_preflight_refuses_anything_else_with_a_coded_error(client, method, headers, extra):
    response = preflight(client, method, headers, **extra)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert error_codes(response.json()) == ["CORS_REFUSED"]
    assert "access-control-allow-credentials" not in response.headers


def test_cross_origin_reads_expose_the_etag_and_never_allow_credentials(client):
    response = client.get(
        "/graphql",
        params={"query": "{ framework { name } }"},
        headers={"Origin": "https://tool.example", "Cookie": "session=1"},
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]
    assert "access-control-allow-credentials" not in response.headers
