"""The RDF media types the server speaks, and the responses that carry or refuse them."""

from __future__ import annotations

from starlette.responses import Response

from blkg.export import FORMATS
from blkg.web.negotiation import NotAcceptable
from blkg.web.responses import error_response

# Media type -> export format, in our order of preference (Turtle for `*/*`). A format's first
# media type is its canonical one; the others are common aliases.
RDF_TYPES: dict[str, str] = {
    **{fmt.media_type: name for name, fmt in FORMATS.items()},
    "application/x-turtle": "turtle",
    "application/x-trig": "trig",
    "application/json": "jsonld",
}

HTML = "text/html"


def rdf_response(body: bytes, format_name: str, headers: dict[str, str] | None = None):
    return Response(body, media_type=FORMATS[format_name].media_type, headers=headers)


def not_acceptable(error: NotAcceptable, headers: dict[str, str] | None = None) -> Response:
    return error_response(406, "NOT_ACCEPTABLE", str(error), headers)


__all__ = ["HTML", "RDF_TYPES", "not_acceptable", "rdf_response"]
