"""`GET|POST /sparql`: the SPARQL 1.1 Protocol, read-only, over the query engine.

A query comes as `GET /sparql?query=...`, as a form (`application/x-www-form-urlencoded`,
`query=...`) or as the body of `application/sparql-query`. The dataset is the query's
`FROM` and `FROM NAMED`, replaced by `default-graph-uri` and `named-graph-uri` when those are
given; without either, the union of the named graphs, each also available by name. SELECT
and ASK answer in the result formats of `blkg.formats` (SPARQL JSON by default), CONSTRUCT and
DESCRIBE in its graph formats (Turtle by default); `Accept` or `?format=` chooses. Undeclared
prefixes default to the project's (`blf:`, `skos:`, `resp:`, ...).

Refused with a JSON error: updates (and `update=`), SERVICE, syntax errors (400, with line
and column), unacceptable formats (406), bodies over the limit (413), other content types
(415). Over the limits: more results than `BLKG_SPARQL_MAX_RESULTS`, or an answer longer
than `BLKG_SPARQL_MAX_BYTES` once serialised, is a 400 (RESULT_TOO_LARGE); a query still
running after `BLKG_SPARQL_TIMEOUT` seconds is stopped and answered 504 (QUERY_TIMEOUT: this
query will not finish, retrying will not help); a query that finds every worker busy and
`BLKG_SPARQL_QUEUE` queries already waiting is answered 503 at once (SPARQL_BUSY, with
Retry-After), as is one that waited the whole time limit. Successful answers are cached, so
a repeated query costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from blkg.codes import Code
from blkg.config import Limits
from blkg.errors import RETRY_AFTER_SECONDS, Refusal
from blkg.formats import FORMATS, Use, media_types
from blkg.sparql.engine import Answer, EngineBusy, QueryEngine, QueryTimeout, WorkerLost
from blkg.web.bodies import read_body
from blkg.web.cache import LRU
from blkg.web.negotiation import negotiate
from blkg.web.pages import sparql_form
from blkg.web.rdf import HTML
from blkg.web.responses import refused

# Media type -> format name, in our order of preference, for each kind of answer.
RESULT_TYPES = media_types(Use.RESULTS)
GRAPH_TYPES = media_types(Use.CONSTRUCT)
MAX_CACHED_BODY = 256 * 1024
FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


@dataclass(frozen=True)
class QueryRequest:
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


# Cached answers: (query, result format, graph format) -> (media type, body).
AnswerCache = LRU[tuple[QueryRequest, str | None, str | None], tuple[str, bytes]]
# `Code(value)` is the Enum lookup of a code by its value, but mypy checks such a call against
# the `__new__` that builds the members (value, status, meaning); the cast names the lookup.
_code_of = cast(Callable[[str], Code], Code)


class SparqlEndpoint:
    """Reads protocol requests, asks the engine, writes the answer or a coded error."""

    def __init__(self, engine: QueryEngine, limits: Limits, cache: AnswerCache):
        self.engine = engine
        self.limits = limits
        self.cache = cache

    async def handle(self, request: Request) -> Response:
        try:
            parameters = await self._parameters(request)
            if "update" in parameters:
                raise _update_refused()
            if not parameters.get("query") and _wants_html(request):
                return Response(sparql_form(), media_type="text/html; charset=utf-8")
            query = _query_request(parameters)
            results, graph = _formats(request)
            return await self._answer(query, results, graph)
        except Refusal as refusal:
            return refused(refusal)

    # -- reading the request ---------------------------------------------------------------

    async def _parameters(self, request: Request) -> dict[str, list[str]]:
        parameters = parse_qs(request.url.query, keep_blank_values=True)
        if request.method != "POST":
            return parameters
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == UPDATE_BODY:
            raise _update_refused()
        if media_type not in (FORM, QUERY_BODY):
            raise Refusal(
                Code.UNSUPPORTED_MEDIA_TYPE,
                f"Send the query as Content-Type: {QUERY_BODY}, or as a form ({FORM}) with "
                f"query=...; got {media_type or 'none'}.",
            )
        raw = await read_body(request.scope, request.receive, self.limits.max_body_bytes)
        body = raw.decode("utf-8", errors="replace")
        if media_type == QUERY_BODY:
            return {**parameters, "query": [body]}
        form = parse_qs(body, keep_blank_values=True)
        return {key: parameters.get(key, []) + form.get(key, []) for key in {*parameters, *form}}

    # -- answering -------------------------------------------------------------------------

    async def _answer(
        self, query: QueryRequest, results: str | None, graph: str | None
    ) -> Response:
        key = (query, results, graph)
        cached = self.cache.get(key)
        if cached is not None:
            return Response(cached[1], media_type=cached[0], headers={"Vary": "Accept"})
        answer = await self._run(query, results, graph)
        header = answer.header
        if not header["ok"]:
            code = _code_of(header["code"])
            if code == Code.NOT_ACCEPTABLE:
                raise _not_acceptable_for(header["form"])
            raise Refusal(code, header["message"], status=header.get("status"))
        media_type = FORMATS[header["format"]].media_type
        if len(answer.body) <= MAX_CACHED_BODY:
            self.cache.put(key, (media_type, answer.body))
        return Response(answer.body, media_type=media_type, headers={"Vary": "Accept"})

    async def _run(self, query: QueryRequest, results: str | None, graph: str | None) -> Answer:
        request = {
            "query": query.query,
            "results": results,
            "graph": graph,
            "default_graphs": list(query.default_graphs),
            "named_graphs": list(query.named_graphs),
            "max_results": self.limits.sparql_max_results,
            "max_bytes": self.limits.sparql_max_bytes,
        }
        try:
            return await self.engine.run(request)
        except QueryTimeout:
            raise Refusal(Code.QUERY_TIMEOUT, self._timeout_message(), status=504) from None
        except EngineBusy as busy:
            raise Refusal(Code.SPARQL_BUSY, _busy_message(busy)) from None
        except WorkerLost:
            raise Refusal(
                Code.QUERY_ABORTED,
                "The query stopped its worker process before finishing (it probably needed "
                "more memory than this endpoint allows). Make it more selective.",
            ) from None

    def _timeout_message(self) -> str:
        seconds = f"{self.limits.sparql_timeout_seconds:g}"
        return (
            f"The query ran longer than {seconds} s, the time limit of this endpoint, and was "
            "stopped; retrying it will not help. Make it more selective (a narrower pattern, a "
            "LIMIT), or, on your own deployment, raise the limit with BLKG_SPARQL_TIMEOUT."
        )


def _busy_message(busy: EngineBusy) -> str:
    pool = busy.status
    if pool.running == 0:
        return (
            "No SPARQL query worker is running at the moment (they are being restarted); "
            f"try again in {RETRY_AFTER_SECONDS} s."
        )
    if busy.queue_full:
        return (
            f"Every SPARQL query worker is busy and {pool.waiting} queries are already waiting "
            f"for one, the most this endpoint lets wait; try again in {RETRY_AFTER_SECONDS} s."
        )
    return (
        "Every SPARQL query worker stayed busy for the whole time limit; try again in "
        f"{RETRY_AFTER_SECONDS} s."
    )


def _query_request(parameters: dict[str, list[str]]) -> QueryRequest:
    queries = parameters.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise Refusal(
            Code.BAD_REQUEST,
            "Give exactly one SPARQL query: GET /sparql?query=..., or POST it as "
            f"{QUERY_BODY} or as a form field query=.",
        )
    return QueryRequest(
        queries[0],
        tuple(parameters.get("default-graph-uri", [])),
        tuple(parameters.get("named-graph-uri", [])),
    )


def _formats(request: Request) -> tuple[str | None, str | None]:
    chosen: list[str | None] = []
    for offered in (RESULT_TYPES, GRAPH_TYPES):
        try:
            chosen.append(negotiate(request, offered))
        except Refusal:  # not this kind of answer; the other kind may do
            chosen.append(None)
    if chosen == [None, None]:
        raise Refusal(
            Code.NOT_ACCEPTABLE,
            "None of the requested formats can carry SPARQL results. SELECT and ASK: "
            f"{_listing(RESULT_TYPES)}; CONSTRUCT and DESCRIBE: {_listing(GRAPH_TYPES)}.",
        )
    return chosen[0], chosen[1]


def _not_acceptable_for(form: str) -> Refusal:
    offered = RESULT_TYPES if form in ("SELECT", "ASK") else GRAPH_TYPES
    return Refusal(
        Code.NOT_ACCEPTABLE,
        f"A {form} query's results cannot be sent in the requested format; ask for one of: "
        f"{_listing(offered)}.",
    )


def _listing(offered: dict[str, str]) -> str:
    canonical: dict[str, str] = {}
    for media_type, name in offered.items():
        canonical.setdefault(name, media_type)
    return ", ".join(f"{media} (format={name})" for name, media in canonical.items())


def _wants_html(request: Request) -> bool:
    return request.method == "GET" and HTML in request.headers.get("accept", "")


def _update_refused() -> Refusal:
    return Refusal(
        Code.UPDATE_REFUSED,
        "This endpoint is read-only: SPARQL Update is refused and nothing was changed. "
        "Send a SELECT, ASK, CONSTRUCT or DESCRIBE query as query=.",
    )


def sparql_routes(engine: QueryEngine, limits: Limits, cache: AnswerCache) -> list[Route]:
    endpoint = SparqlEndpoint(engine, limits, cache)
    return [Route("/sparql", endpoint.handle, methods=["GET", "HEAD", "POST"])]


__all__ = ["SparqlEndpoint", "sparql_routes"]
