"""Security headers: what every response of `blkg serve` says to browsers.

- `X-Content-Type-Options: nosniff`: a JSON or Turtle answer is never run as a script or
  shown as a page;
- `Referrer-Policy: no-referrer`: following a link out of a page tells the other site nothing;
- a Content-Security-Policy that allows only this server's own scripts (none inline, no
  `eval`), styles, fonts and images, requests to this server only, no plugins, no framing and
  no `<base>`; and `X-Frame-Options: DENY` for browsers that predate `frame-ancestors`.

The policy matters for the HTML pages (GraphiQL, the IRI pages, the SPARQL form) and is inert
on JSON and RDF answers, so all four headers go on every response: uvicorn writes them itself
(`blkg.cli.UVICORN_OPTIONS["headers"]`), which costs nothing per request, covers every page
however it was made, and covers the errors the connection layer sends (`blkg.web.connections`).
GraphiQL runs under the policy: its scripts are files under /static. Styles may be inline (the
pages carry their stylesheet in a `<style>` element; GraphiQL sets styles from script) and fonts
and images may be `data:` URIs (GraphiQL's stylesheet embeds its fonts).
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
RESPONSE_HEADERS: list[tuple[str, str]] = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
]

__all__ = ["CONTENT_SECURITY_POLICY", "RESPONSE_HEADERS"]
