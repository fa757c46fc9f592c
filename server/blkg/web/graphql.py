"""GraphQL over HTTP: `POST /graphql` and `GET /graphql?query=...`, JSON in and out.

Answers come from `blkg.api.execution.GraphQLService`. Finished answers are cached under the
SHA-256 digest of the request (the raw POST body, or the query, variables and operation name
of a GET), so a repeated question is answered without parsing it again and the cache holds
32 bytes of key per entry whatever the size of the request. A POST, the hot path of clients
that poll, is read and answered with plain ASGI messages: the cached entry carries its encoded
headers, so a repeated question costs a header scan, a digest, one dictionary lookup and two
messages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from blkg.api.execution import Gone, GraphQLService
from blkg.codes import Code
from blkg.errors import Refusal
from blkg.web.bodies import client_gone, read_body
from blkg.web.cache import CachedResponse, ResponseCache
from blkg.web.responses import JSON, refused

ALLOWED_METHODS = "GET, POST"
JSON_TYPES = ("application/json", "application/graphql-response+json")
JSON_BYTES = JSON.encode()

Variables = dict[str, object]  # a request's GraphQL variables, as decoded from JSON


class GraphQLEndpoint:
    """Answers GraphQL requests against one schema and one catalog (the root value)."""

    def __init__(
        self, service: GraphQLService, cache: ResponseCache, max_body: int, ide_page: bytes
    ) -> None:
        self.service = service
        self.cache = cache
        self.max_body = max_body
        self.ide_page = ide_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point: Starlette mounts a class instance as an ASGI app."""
        if scope["method"] == "POST":
            try:
                cached = await self._post(scope, receive)
            except Refusal as refusal:
                await refused(refusal)(scope, receive, send)
                return
            await send(
                {
                    "type": "http.response.start",
                    "status": cached.status_code,
                    "headers": list(cached.headers),
                }
            )
            await send({"type": "http.response.body", "body": cached.body})
            return
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """The response to a request other than a POST."""
        try:
            if request.method in ("GET", "HEAD"):
                return await self._get(request)
            raise Refusal(
                Code.METHOD_NOT_ALLOWED,
                f"{request.method} is not supported here; use GET or POST.",
                headers={"Allow": ALLOWED_METHODS},
            )
        except Refusal as refusal:
            return refused(refusal)

    # -- POST ----------------------------------------------------------------------------

    async def _post(self, scope: Scope, receive: Receive) -> CachedResponse:
        _check_content_type(scope)
        body = await read_body(scope, receive, self.max_body)
        key = hashlib.sha256(body).digest()
        cached = self.cache.get(key)
        if cached is None:
            query, variables, operation = _parse_post(body)
            cached = await self._answer(query, variables, operation, partial(client_gone, receive))
            self.cache.put(key, cached)
        return cached

    # -- GET -----------------------------------------------------------------------------

    async def _get(self, request: Request) -> Response:
        params = request.query_params
        if "query" not in params:
            if "text/html" in request.headers.get("accept", ""):
                return Response(self.ide_page, media_type="text/html; charset=utf-8")
            raise Refusal(Code.BAD_REQUEST, "Missing 'query' parameter: GET /graphql?query={...}.")
        query = params["query"]
        if not query.strip():
            raise Refusal(Code.BAD_REQUEST, "Empty 'query' parameter: GET /graphql?query={...}.")
        variables = _parse_variables(params.get("variables"))
        operation = params.get("operationName") or None
        request_key = orjson.dumps(
            ["GET", query, variables, operation], option=orjson.OPT_SORT_KEYS
        )
        key = hashlib.sha256(request_key).digest()
        cached = self.cache.get(key)
        if cached is None:
            gone = partial(client_gone, request.receive)
            cached = await self._answer(query, variables, operation, gone)
            self.cache.put(key, cached)
        if request.headers.get("if-none-match") == cached.etag:
            return Response(status_code=304, headers=_cache_headers(cached))
        return _send(cached, _cache_headers(cached))

    # -- execution -----------------------------------------------------------------------

    async def _answer(
        self,
        query: str,
        variables: Variables | None,
        operation: str | None,
        gone: Callable[[], bool],
    ) -> CachedResponse:
        # `Busy` (503 GRAPHQL_BUSY) is a refusal: it passes through, never cached, as the same
        # request may be answered a moment later.
        try:
            answer = await self.service.answer(query, variables, operation, gone)
        except Gone:  # nobody to answer: the admission layer lets it go quietly
            raise ClientDisconnect() from None
        return _finished(answer.status, answer.body)


def _finished(status: int, body: bytes) -> CachedResponse:
    headers = ((b"content-length", str(len(body)).encode()), (b"content-type", JSON_BYTES))
    return CachedResponse(status, body, '"' + hashlib.sha1(body).hexdigest() + '"', headers)


def _check_content_type(scope: Scope) -> None:
    """Refuse a body that is not JSON (by the request's first Content-Type)."""
    content_type = next((v for n, v in scope["headers"] if n == b"content-type"), b"")
    media_type = content_type.decode("latin-1").split(";")[0].strip().lower()
    if media_type not in JSON_TYPES:
        raise Refusal(
            Code.UNSUPPORTED_MEDIA_TYPE,
            f"Send the request as Content-Type: application/json (got {media_type or 'none'}).",
        )


def _parse_post(body: bytes) -> tuple[str, Variables | None, str | None]:
    if not body.strip():
        raise Refusal(Code.BAD_REQUEST, 'Empty request body: send {"query": "..."}.')
    try:
        document: object = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise Refusal(Code.BAD_REQUEST, f"The request body is not valid JSON: {error}.") from None
    if not isinstance(document, dict):
        raise Refusal(Code.BAD_REQUEST, 'The request body must be a JSON object {"query": ...}.')
    query = document.get("query")
    if not isinstance(query, str) or not query.strip():
        raise Refusal(Code.BAD_REQUEST, "Missing 'query': give the GraphQL document as a string.")
    variables = document.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise Refusal(Code.BAD_REQUEST, "'variables' must be a JSON object.")
    operation = document.get("operationName")
    if operation is not None and not isinstance(operation, str):
        raise Refusal(Code.BAD_REQUEST, "'operationName' must be a string.")
    return query, variables, operation


def _parse_variables(raw: str | None) -> Variables | None:
    if raw is None or raw == "":
        return None
    try:
        variables: object = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise Refusal(Code.BAD_REQUEST, "'variables' is not valid JSON.") from None
    if variables is not None and not isinstance(variables, dict):
        raise Refusal(Code.BAD_REQUEST, "'variables' must be a JSON object.")
    return variables


def _cache_headers(cached: CachedResponse) -> dict[str, str]:
    return {"ETag": cached.etag, "Cache-Control": "public, max-age=300"}


def _send(cached: CachedResponse, headers: dict[str, str] | None = None) -> Response:
    return Response(cached.body, status_code=cached.status_code, headers=headers, media_type=JSON)


__all__ = ["GraphQLEndpoint"]
