"""The one table of error codes: every code the server or the command line gives, with its
HTTP status where it has a fixed one and what it means.

A code is a `Code`, which is a `str` (it is written into JSON and compared as one), so a module
that gives or checks a code names it here, `Code.BAD_REQUEST`, and never spells it. The README
("Error codes") and SECURITY.md list the same codes (`tests/test_error_codes.py`).
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """An error code: its value is its name; `status` is its HTTP status (None where it
    depends on where it is given), `meaning` one line a client can act on."""

    status: int | None
    meaning: str

    def __new__(cls, value: str, status: int | None, meaning: str) -> Code:
        code = str.__new__(cls, value)
        code._value_ = value
        code.status = status
        code.meaning = meaning
        return code

    # -- HTTP ------------------------------------------------------------------------------
    BAD_REQUEST = (
        "BAD_REQUEST",
        400,
        "the request is malformed: not HTTP/1.1 or 1.0, a bad Host, a wrong parameter or body",
    )
    NOT_FOUND = (
        "NOT_FOUND",
        None,
        "no such resource (404), or an unknown value in a GraphQL argument (a field error)",
    )
    METHOD_NOT_ALLOWED = (
        "METHOD_NOT_ALLOWED",
        405,
        "the route does not serve this method; `Allow` lists those it does",
    )
    NOT_ACCEPTABLE = (
        "NOT_ACCEPTABLE",
        406,
        "no representation offered fits `Accept` or `?format=`",
    )
    REQUEST_TIMEOUT = (
        "REQUEST_TIMEOUT",
        408,
        "the request's head or body did not arrive in time",
    )
    PAYLOAD_TOO_LARGE = (
        "PAYLOAD_TOO_LARGE",
        413,
        "the request body is over `BLKG_MAX_BODY_BYTES`",
    )
    UNSUPPORTED_MEDIA_TYPE = (
        "UNSUPPORTED_MEDIA_TYPE",
        415,
        "the body is in a content type the route does not read",
    )
    HEADERS_TOO_LARGE = (
        "HEADERS_TOO_LARGE",
        431,
        "the request line and headers are over `BLKG_MAX_HEADER_BYTES`",
    )
    TOO_MANY_MEDIA_RANGES = (
        "TOO_MANY_MEDIA_RANGES",
        400,
        "`Accept` lists more media ranges than the server reads (`blkg.web.negotiation`)",
    )
    CORS_REFUSED = (
        "CORS_REFUSED",
        400,
        "a CORS preflight for methods, headers or credentials the API does not allow",
    )
    OVERLOADED = (
        "OVERLOADED",
        503,
        "the server answers as many requests as it allows at once; retry after `Retry-After`",
    )
    INTERNAL_SERVER_ERROR = (
        "INTERNAL_SERVER_ERROR",
        500,
        "a bug in the server; nothing was changed",
    )

    # -- GraphQL ---------------------------------------------------------------------------
    GRAPHQL_PARSE_FAILED = (
        "GRAPHQL_PARSE_FAILED",
        400,
        "the GraphQL document is not valid syntax",
    )
    GRAPHQL_VALIDATION_FAILED = (
        "GRAPHQL_VALIDATION_FAILED",
        400,
        "the document does not validate against the schema, or names no operation to run",
    )
    BAD_USER_INPUT = (
        "BAD_USER_INPUT",
        None,
        "a variable or argument value the field cannot take",
    )
    QUERY_TOO_DEEP = (
        "QUERY_TOO_DEEP",
        400,
        "more levels of selection than `BLKG_MAX_QUERY_DEPTH`",
    )
    TOO_MANY_TOKENS = (
        "TOO_MANY_TOKENS",
        400,
        "more tokens than `BLKG_MAX_QUERY_TOKENS`",
    )
    TOO_MANY_ALIASES = (
        "TOO_MANY_ALIASES",
        400,
        "more aliases than `BLKG_MAX_ALIASES`",
    )
    QUERY_TOO_COMPLEX = (
        "QUERY_TOO_COMPLEX",
        400,
        "too many fields once fragments are expanded, of one name, or items in a list",
    )
    GRAPHQL_BUSY = (
        "GRAPHQL_BUSY",
        503,
        "`BLKG_GRAPHQL_QUEUE` requests already wait for an answer; retry after `Retry-After`",
    )

    # -- GraphQL and SPARQL ----------------------------------------------------------------
    RESULT_TOO_LARGE = (
        "RESULT_TOO_LARGE",
        400,
        "the answer would be over its field, result or byte limit",
    )
    QUERY_TIMEOUT = (
        "QUERY_TIMEOUT",
        None,
        "the query took longer than its time limit and was stopped; retrying will not help",
    )

    # -- SPARQL ----------------------------------------------------------------------------
    QUERY_SYNTAX = (
        "QUERY_SYNTAX",
        400,
        "the text is not a SPARQL query (with line and column), or nests too deeply",
    )
    QUERY_FAILED = (
        "QUERY_FAILED",
        400,
        "the query parsed but could not be evaluated",
    )
    UPDATE_REFUSED = (
        "UPDATE_REFUSED",
        400,
        "SPARQL Update is refused: the endpoint is read-only",
    )
    SERVICE_REFUSED = (
        "SERVICE_REFUSED",
        400,
        "SPARQL `SERVICE` is refused: the server fetches nothing",
    )
    SPARQL_BUSY = (
        "SPARQL_BUSY",
        503,
        "every SPARQL worker is busy and the line is full; retry after `Retry-After`",
    )
    QUERY_ABORTED = (
        "QUERY_ABORTED",
        503,
        "the query needed more memory than a worker may take and was stopped",
    )

    # -- the command line (`blkg.errors`) --------------------------------------------------
    BLKG_ERROR = (
        "BLKG_ERROR",
        None,
        "an error a user can act on (the base of the ones below)",
    )
    DATA_FOLDER = (
        "DATA_FOLDER",
        None,
        "the data folder is missing, unreadable or holds no Turtle files",
    )
    TURTLE_SYNTAX = (
        "TURTLE_SYNTAX",
        None,
        "a data file is not valid Turtle",
    )
    DUPLICATE_IRI = (
        "DUPLICATE_IRI",
        None,
        "one node is typed in two data files",
    )
    SHAPES_INVALID = (
        "SHAPES_INVALID",
        None,
        "the SHACL shapes themselves cannot be applied",
    )
    SHACL_VIOLATION = (
        "SHACL_VIOLATION",
        None,
        "the data does not conform to the SHACL shapes",
    )


__all__ = ["Code"]
