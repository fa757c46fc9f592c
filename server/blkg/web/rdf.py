"""The RDF media types the server speaks, and the response that carries them.

The formats, their media types and their aliases are those of `blkg.formats` that serve
graphs; HTML, for the pages, is the one representation declared here.
"""

from __future__ import annotations

from starlette.responses import Response

from blkg.formats import FORMATS, Use, media_types

# Media type -> format name, in our order of preference (Turtle for `*/*`), canonical types
# before their aliases.
RDF_TYPES: dict[str, str] = media_types(Use.GRAPH)

HTML = "text/html"
HTML_TYPES: dict[str, str] = {HTML: "html", "application/xhtml+xml": "html"}


def rdf_response(body: bytes, format_name: str, headers: dict[str, str] | None = None) -> Response:
    return Response(body, media_type=FORMATS[format_name].media_type, headers=headers)


__all__ = ["HTML", "HTML_TYPES", "RDF_TYPES", "rdf_response"]
