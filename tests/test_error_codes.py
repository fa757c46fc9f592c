"""The error model: one table of codes (`blkg.codes`), which the README and SECURITY.md list
alike and no other module of the server spells; one refusal type (`blkg.errors.Refusal`) with
one JSON shape; one body reader (`blkg.web.bodies`) for GraphQL and SPARQL."""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect
from starlette.routing import Route

from blkg.api.execution import Busy
from blkg.codes import Code
from blkg.config import Limits
from blkg.errors import RETRY_AFTER_SECONDS, BLKGError, Refusal
from blkg.web.bodies import read_body
from blkg.web.cache import LRU, NoCache
from blkg.web.graphql import GraphQLEndpoint
from blkg.web.responses import refused
from blkg.web.sparql import sparql_routes

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "server" / "blkg"
CODES = {str(code) for code in Code}
# Literal codes left in modules this change could not touch (issue 11, item 5): they go once
# those modules take them from the table; an entry that no longer matches fails too.
NOT_YET_FROM_THE_TABLE: set[tuple[str, str]] = set()
READ_LIMIT_MESSAGE = "The request body exceeds 8 bytes; send a smaller query."
CODE_LIKE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def section(document: str, title: str) -> str:
    text = (ROOT / document).read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def exit_codes() -> dict[str, int]:
    found, classes = {}, [BLKGError]
    while classes:
        cls = classes.pop()
        found[cls.code] = cls.exit_code
        classes += cls.__subclasses__()
    return found


# -- the table -------------------------------------------------------------------------------


def test_each_code_is_its_own_name_with_a_status_and_a_meaning():
    for code in Code:
        assert code.value == code.name
        assert code.status is None or 400 <= code.status < 600, code
        assert code.meaning and "\n" not in code.meaning, code


def test_the_command_lines_codes_are_in_the_table():
    assert set(exit_codes()) <= set(Code)


# -- the documents list the table ------------------------------------------------------------


def test_the_readme_lists_exactly_the_tables_codes_with_their_statuses():
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", section("README.md", "Error codes"), re.M)
    assert [code for code, _ in rows] == [str(code) for code in Code]
    exits = exit_codes()
    for name, status in rows:
        code = Code(name)
        if code.status is not None:
            assert status.strip() == str(code.status), name
        elif code in exits:
            assert status.strip() == f"exit {exits[code]}", name
        else:
            assert re.search(r"\d{3}", status), name


def test_security_md_lists_exactly_the_tables_codes():
    listed = re.findall(r"`([A-Z_]+)`", section("SECURITY.md", "Error codes"))
    assert sorted(listed) == sorted(CODES)


@pytest.mark.parametrize("document", ["README.md", "SECURITY.md"])
def test_every_code_a_document_mentions_is_in_the_table_with_its_status(document):
    text = (ROOT / document).read_text()
    for status, name in re.findall(r"`(\d{3}) ([A-Z_]+)`", text):
        assert name in CODES, name
        fixed = Code(name).status
        assert fixed is None or int(status) == fixed, f"{status} {name}"
    for token in re.findall(r"`([^`\s]+)`", text):
        # `BLKG_` names are environment variables, but for `BLKG_ERROR`, which is in the table
        if CODE_LIKE.fullmatch(token) and not token.startswith("BLKG_"):
            assert token in CODES, token


# -- no code spelled outside the table -------------------------------------------------------


def spelled_codes(source: str) -> set[str]:
    """The string literals of `source` that are codes of the table, are given as a `"code"` in
    a dict, or are assigned to a name `code` or `CODE`."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and node.value in CODES:
            found.add(node.value)
        elif isinstance(node, ast.Dict):
            found |= {
                value.value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and key.value == "code"
                if isinstance(value, ast.Constant) and isinstance(value.value, str)
            }
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            names = {getattr(target, "id", getattr(target, "attr", "")) for target in node.targets}
            if names & {"code", "CODE"} and isinstance(node.value.value, str):
                found.add(node.value.value)
    return found


def test_no_module_spells_a_code_outside_the_table():
    spelled = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != PACKAGE / "codes.py":
            module = path.relative_to(PACKAGE).as_posix()
            spelled |= {(module, code) for code in spelled_codes(path.read_text())}
    assert spelled == NOT_YET_FROM_THE_TABLE


def test_the_scan_finds_codes_of_the_table_and_codes_made_up_elsewhere():
    source = (
        '"""Answered 503 OVERLOADED."""\n'
        'X = "OVERLOADED"\n'
        'CODE = "NEW_CODE"\n'
        'E = {"code": "OTHER", "message": "BAD_REQUEST is fine in words"}\n'
    )
    assert spelled_codes(source) == {"OVERLOADED", "NEW_CODE", "OTHER"}


# -- one refusal type, one shape -------------------------------------------------------------


def test_a_refusal_takes_its_status_from_the_table_unless_given_one():
    assert Refusal(Code.PAYLOAD_TOO_LARGE, "m").status == 413
    assert Refusal(Code.QUERY_TIMEOUT, "m", status=504).status == 504
    with pytest.raises(ValueError):
        Refusal(Code.NOT_FOUND, "a 404 or a field error: the caller says which")


def test_a_refusal_is_answered_as_every_error_always_was():
    refusal = Refusal(Code.METHOD_NOT_ALLOWED, "PUT is not supported.", headers={"Allow": "GET"})
    response = refused(refusal)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json"
    assert response.headers["allow"] == "GET"
    assert response.body == orjson.dumps(
        {
            "errors": [
                {"message": "PUT is not supported.", "extensions": {"code": "METHOD_NOT_ALLOWED"}}
            ]
        }
    )
    assert response.body == refusal.body()


@pytest.mark.parametrize("code", [code for code in Code if code.status == 503])
def test_every_503_says_when_to_retry(code):
    assert Refusal(code, "m").headers == {"Retry-After": str(RETRY_AFTER_SECONDS)}


def test_a_busy_graphql_lane_is_a_refusal():
    busy = Busy(32)
    assert isinstance(busy, Refusal)
    assert (busy.status, busy.code, busy.headers["Retry-After"]) == (503, "GRAPHQL_BUSY", "1")


# -- one body reader -------------------------------------------------------------------------


def reading(messages: list[dict], limit: int, length: int | None = None):
    headers = [] if length is None else [(b"content-length", str(length).encode())]
    received = []

    async def receive():
        message = messages[len(received)]
        received.append(message)
        return message

    async def run():
        return await read_body({"headers": headers}, receive, limit)

    return asyncio.run(run()), received


def chunk(body: bytes, more: bool = False) -> dict:
    return {"type": "http.request", "body": body, "more_body": more}


def test_the_body_is_read_whole_across_chunks():
    body, _ = reading([chunk(b"ab", more=True), chunk(b"cd")], limit=4)
    assert body == b"abcd"


def test_a_body_declared_too_large_is_refused_unread():
    with pytest.raises(Refusal) as refusal:
        reading([chunk(b"x")], limit=4, length=5)
    assert (refusal.value.status, refusal.value.code) == (413, Code.PAYLOAD_TOO_LARGE)
    assert "exceeds 4 bytes" in refusal.value.message


def test_a_body_found_too_large_is_refused_at_the_chunk_that_passes_the_limit():
    messages = [chunk(b"abc", more=True), chunk(b"de", more=True), chunk(b"f")]
    with pytest.raises(Refusal) as refusal:
        reading(messages, limit=4)
    assert refusal.value.code == Code.PAYLOAD_TOO_LARGE


def test_a_client_that_leaves_while_its_body_is_read_is_gone():
    with pytest.raises(ClientDisconnect):
        reading([chunk(b"ab", more=True), {"type": "http.disconnect"}], limit=4)


def test_graphql_and_sparql_refuse_an_oversized_body_alike():
    """One reader, one refusal: the two endpoints' 413s are the same bytes (SPARQL's said
    "send a shorter query" before they shared the reader)."""
    limits = Limits(max_body_bytes=8)
    graphql = GraphQLEndpoint(None, NoCache(), limits.max_body_bytes, b"")
    routes = [Route("/graphql", graphql, methods=["POST"]), *sparql_routes(None, limits, LRU(0))]
    app = Starlette(routes=routes)

    async def post(path: str, content_type: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            headers = {"Content-Type": content_type}
            return await client.post(path, content=b"x" * 9, headers=headers)

    answers = [
        asyncio.run(post("/graphql", "application/json")),
        asyncio.run(post("/sparql", "application/sparql-query")),
    ]
    assert {(answer.status_code, answer.content) for answer in answers} == {
        (413, refused(Refusal(Code.PAYLOAD_TOO_LARGE, READ_LIMIT_MESSAGE)).body)
    }
