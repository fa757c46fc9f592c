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

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from blkg.api.execution import Busy, Gone, GraphQLService
from blkg.web.cache import CachedResponse, ResponseCache
from blkg.web.responses import JSON, error_response

ALLOWED_METHODS = "GET, POST"
JSON_TYPES = ("application/json", "application/graphql-response+json")
JSON_BYTES = JSON.encode()


class BadRequest(Exception):
    def __init__(self, status_code: int, code: str, message: str):
        super().__init__(message)
        self.status_code, self.code, self.message = status_code, code, message


RETRY_AFTER_SECONDS = 1


class GraphQLEndpoint:
    """Answers GraphQL requests against one schema and one catalog (the root value)."""

    def __init__(
        self, service: GraphQLService, cache: ResponseCache, max_body: int, ide_page: bytes
    ):
        self.service = service
        self.cache = cache
        self.max_body = max_body
        self.ide_page = ide_page

    async def __call__(self, scope, receive, send) -> None:
        """ASGI entry point: Starlette mounts a class instance as an ASGI app."""
        if scope["method"] == "POST":
            try:
                cached = await self._post(scope, receive)
            except BadRequest as error:
                await _refusal(error)(scope, receive, send)
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
            raise BadRequest(
                405,
                "METHOD_NOT_ALLOWED",
                f"{request.method} is not supported here; use GET or POST.",
            )
        except BadRequest as error:
            return _refusal(error)

    # -- POST ----------------------------------------------------------------------------

    async def _post(self, scope, receive) -> CachedResponse:
        content_type, content_length = _content_headers(scope)
        _check_content_type(content_type)
        body = await self._read_body(receive, content_length)
        key = hashlib.sha256(body).digest()
        cached = self.cache.get(key)
        if cached is None:
            query, variables, operation = _parse_post(body)
            gone = Request(scope, receive).is_disconnected
            cached = await self._answer(query, variables, operation, gone)
            self.cache.put(key, cached)
        return cached

    async def _read_body(self, receive, declared: bytes | None) -> bytes:
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            raise _too_large(self.max_body)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _too_large(self.max_body)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    # -- GET -----------------------------------------------------------------------------

    async def _get(self, request: Request) -> Response:
        params = request.query_params
        if "query" not in params:
            if "text/html" in request.headers.get("accept", ""):
                return Response(self.ide_page, media_type="text/html; charset=utf-8")
            raise BadRequest(
                400, "BAD_REQUEST", "Missing 'query' parameter: GET /graphql?query={...}."
            )
        query = params["query"]
        if not query.strip():
            raise BadRequest(
                400, "BAD_REQUEST", "Empty 'query' parameter: GET /graphql?query={...}."
            )
        variables = _parse_variables(params.get("variables"))
        operation = params.get("operationName") or None
        request_key = orjson.dumps(
            ["GET", query, variables, operation], option=orjson.OPT_SORT_KEYS
        )
        key = hashlib.sha256(request_key).digest()
        cached = self.cache.get(key)
        if cached is None:
            cached = await self._answer(query, variables, operation, request.is_disconnected)
            self.cache.put(key, cached)
        if request.headers.get("if-none-match") == cached.etag:
            return Response(status_code=304, headers=_cache_headers(cached))
        return _send(cached, _cache_headers(cached))

    # -- execution -----------------------------------------------------------------------

    async def _answer(self, query: str, variables: dict | None, operation: str | None, gone):
        try:
            answer = await self.service.answer(query, variables, operation, gone)
        except Busy as busy:  # never cached: the same request may be answered a moment later
            raise BadRequest(503, "GRAPHQL_BUSY", str(busy)) from None
        except Gone:  # nobody to answer: the admission layer lets it go quietly
            raise ClientDisconnect() from None
        return _finished(answer.status, answer.body)


def _finished(status: int, body: bytes) -> CachedResponse:
    headers = ((b"content-length", str(len(body)).encode()), (b"content-type", JSON_BYTES))
    return CachedResponse(status, body, '"' + hashlib.sha1(body).hexdigest() + '"', headers)


def _content_headers(scope) -> tuple[bytes, bytes | None]:
    """The request's first Content-Type (b"" if none) and Content-Length (None if none)."""
    content_type = content_length = None
    for name, value in scope["headers"]:
        if name == b"content-type" and content_type is None:
            content_type = value
        elif name == b"content-length" and content_length is None:
            content_length = value
    return content_type or b"", content_length


def _check_content_type(content_type: bytes) -> None:
    media_type = content_type.decode("latin-1").split(";")[0].strip().lower()
    if media_type not in JSON_TYPES:
        raise BadRequest(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            f"Send the request as Content-Type: application/json (got {media_type or 'none'}).",
        )


def _refusal(error: BadRequest) -> Response:
    headers = {"Allow": ALLOWED_METHODS} if error.status_code == 405 else None
    if error.status_code == 503:
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return error_response(error.status_code, error.code, error.message, headers)


def _parse_post(body: bytes) -> tuple[str, dict | None, str | None]:
    if not body.strip():
        raise BadRequest(400, "BAD_REQUEST", 'Empty request body: send {"query": "..."}.')
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadRequest(
            400, "BAD_REQUEST", f"The request body is not valid JSON: {error}."
        ) from None
    if not isinstance(document, dict):
        raise BadRequest(
            400, "BAD_REQUEST", 'The request body must be a JSON object {"query": ...}.'
        )
    query = document.get("query")
    if not isinstance(query, str) or not query.strip():
        raise BadRequest(
            400, "BAD_REQUEST", "Missing 'query': give the GraphQL document as a string."
        )
    variables = document.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest(400, "BAD_REQUEST", "'variables' must be a JSON object.")
    operation = document.get("operationName")
    if operation is not None and not isinstance(operation, str):
        raise BadRequest(400, "BAD_REQUEST", "'operationName' must be a string.")
    return query, variables, operation


def _parse_variables(raw: str | None) -> dict | None:
    if raw is None or raw == "":
        return None
    try:
        variables = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BadRequest(400, "BAD_REQUEST", "'variables' is not valid JSON.") from None
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest(400, "BAD_REQUEST", "'variables' must be a JSON object.")
    return variables


def _too_large(limit: int) -> BadRequest:
    return BadRequest(
        413, "PAYLOAD_TOO_LARGE", f"The request body exceeds {limit} bytes; send a smaller query."
    )


def _cache_headers(cached: CachedResponse) -> dict:
    return {"ETag": cached.etag, "Cache-Control": "public, max-age=300"}


def _send(cached: CachedResponse, headers: dict | None = None) -> Response:
    return Response(cached.body, status_code=cached.status_code, headers=headers, media_type=JSON)


__all__ = ["GraphQLEndpoint"]
