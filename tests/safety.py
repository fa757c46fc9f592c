"""What every response of the public server must be, whatever was sent: the checks the fuzzing,
abuse and overload tests apply to each answer.

- never a 5xx (unless a test expects a limit's 503/504 and says so);
- nothing internal: no traceback, no Python exception repr, no path of the project, the
  virtualenv or the interpreter;
- every error (4xx, 5xx) is a JSON body `{"errors": [{"message", "extensions": {"code"}}]}`,
  except an HTML error page for a client that asked for HTML; every `errors` entry of any JSON
  answer (a GraphQL 200 with partial data too) carries a code.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
INTERNAL_PATHS = sorted(
    {str(ROOT), sys.prefix, sys.base_prefix + "/lib", sys.exec_prefix, "site-packages"},
    key=len,
    reverse=True,
)
LEAK = re.compile(
    "|".join(
        [
            r"Traceback \(most recent call last\)",
            r'File "[^"]+", line \d+',
            r"\b[A-Z][A-Za-z]*(?:Error|Exception)\(",  # an exception's repr: KeyError('x')
            r"<(?:function|module|class|bound method) ",
            *(re.escape(path) for path in INTERNAL_PATHS),
        ]
    )
)


def leaks(text: str) -> list[str]:
    """The pieces of `text` that give away internals."""
    return [match.group(0) for match in LEAK.finditer(text)]


def asked_for_html(request: httpx.Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def error_codes(body: object) -> list[str]:
    """The codes of a JSON error body; raises AssertionError when it is not one."""
    assert isinstance(body, dict), f"error body is not a JSON object: {body!r:.200}"
    errors = body.get("errors")
    assert isinstance(errors, list) and errors, f"no 'errors' list: {body!r:.200}"
    codes = []
    for error in errors:
        assert isinstance(error.get("message"), str), f"error without a message: {error!r:.200}"
        code = (error.get("extensions") or {}).get("code")
        assert isinstance(code, str) and code, f"error without a code: {error!r:.200}"
        codes.append(code)
    return codes


def assert_safe(response: httpx.Response, allowed_5xx: tuple[int, ...] = ()) -> None:
    """The checks of the module docstring, with the request in every failure message."""
    request = response.request
    where = f"{request.method} {str(request.url)[:300]} -> {response.status_code}"
    assert response.status_code < 500 or response.status_code in allowed_5xx, where
    text = response.content.decode("utf-8", errors="replace")
    found = leaks(text) + leaks(" ".join(f"{k}: {v}" for k, v in response.headers.items()))
    assert not found, f"{where}: internals in the response: {found[:3]}"
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if response.status_code >= 400 and request.method != "HEAD":
        if media_type == "text/html":
            assert asked_for_html(request), f"{where}: an HTML error for a non-HTML client"
            return
        assert media_type == "application/json", f"{where}: error as {media_type!r}"
        error_codes(response.json())
    elif media_type == "application/json" and response.content:
        body = response.json()
        if isinstance(body, dict) and "errors" in body:
            error_codes(body)


def json_or_none(response: httpx.Response):
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


__all__ = ["assert_safe", "error_codes", "json_or_none", "leaks"]
