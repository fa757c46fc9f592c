"""Content negotiation: which of the representations we offer a client's `Accept` prefers.

`Accept` is read as RFC 9110 says: each media range has a weight `q` (default 1, 0 means "not
this"), the most specific range that matches an offered type decides its weight, wildcards
(`*/*`, `type/*`) match what they cover, and a missing or empty header accepts anything. Among
equally weighted types the more specific match wins, then the one the client listed first,
then our own order. `?format=` overrides the header with a representation name or media type.

The cost is linear in the header and the offers: the ranges are indexed once by what they
match (an exact type, a `type/*`, `*/*`), and each offer looks up its three candidates. A
header lists at most `MAX_MEDIA_RANGES` ranges; the connection refuses a request with more
before it reaches a route (`blkg.web.connections`), so only the first that many are read here.
Ranges are separated by the commas outside quoted strings (a parameter's value may be a quoted
string, RFC 9110 section 5.6.4, holding commas, semicolons and backslash escapes): both the
count and the split read the header with its quoted strings blanked, in one linear pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from starlette.requests import Request

from blkg.codes import Code
from blkg.errors import Refusal

# Comma-separated entries an `Accept` header may list (browsers send about ten).
MAX_MEDIA_RANGES = 64
# A quoted string: a backslash escapes the next character; one left open runs to the end of the
# value. Each character can be read only one way (runs of plain characters, each escape
# followed by another run), so matching is linear, never backtracking.
QUOTED_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)


@dataclass(frozen=True)
class MediaRange:
    """One entry of an `Accept` header."""

    type: str
    subtype: str
    q: float
    position: int

    def specificity(self, media_type: str) -> int:
        """2 for an exact match, 1 for `type/*`, 0 for `*/*`, -1 when it does not match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def count_media_ranges(value: str) -> int:
    """How many entries (empty ones too) one `Accept` line lists."""
    return _unquoted(value).count(",") + 1


def _unquoted(value: str) -> str:
    """`value` with each quoted string emptied (`""`): what is left of its commas and
    semicolons separates; no parameter whose value may be quoted is read here."""
    return QUOTED_STRING.sub('""', value) if '"' in value else value


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an `Accept` header (its first `MAX_MEDIA_RANGES` entries);
    malformed entries are skipped."""
    if header is None or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    entries = _unquoted(header).split(",", MAX_MEDIA_RANGES)[:MAX_MEDIA_RANGES]
    ranges = []
    for position, entry in enumerate(entries):
        parsed = _parse_range(entry, position)
        if parsed is not None:
            ranges.append(parsed)
    return ranges


def _parse_range(entry: str, position: int) -> MediaRange | None:
    media, *params = (part.strip() for part in entry.split(";"))
    media = "*/*" if media == "*" else media.lower()
    kind, slash, sub = media.partition("/")
    if not slash or not kind or not sub or (kind == "*" and sub != "*"):
        return None
    q = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            weight = _weight(value.strip())
            if weight is None:
                return None
            q = weight
    return MediaRange(kind, sub, q, position)


def _weight(value: str) -> float | None:
    try:
        q = float(value)
    except ValueError:
        return None
    return q if 0.0 <= q <= 1.0 else None


def choose(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the header prefers, or None if it accepts none of them."""
    deciding = _deciding_ranges(parse_accept(header))
    best, best_key = None, None
    for rank, media_type in enumerate(offered):
        key = _preference(deciding, media_type.lower(), rank)
        if key is not None and key[0] > 0 and (best_key is None or key > best_key):
            best, best_key = media_type, key
    return best


def _deciding_ranges(ranges: list[MediaRange]) -> dict[str, MediaRange]:
    """The range that decides for each pattern it matches ("type/sub", "type/*", "*/*"): of
    ranges of the same pattern, the one the client listed first."""
    deciding: dict[str, MediaRange] = {}
    for media_range in ranges:
        deciding.setdefault(f"{media_range.type}/{media_range.subtype}", media_range)
    return deciding


def _preference(
    deciding: dict[str, MediaRange], media_type: str, rank: int
) -> tuple[float, int, int, int] | None:
    """(q, specificity, client's order, our order) of `media_type`, or None if no range
    matches it: the most specific matching range decides (RFC 9110, section 12.5.1)."""
    kind = media_type.partition("/")[0]
    for specificity, pattern in ((2, media_type), (1, f"{kind}/*"), (0, "*/*")):
        media_range = deciding.get(pattern)
        if media_range is not None:
            return media_range.q, specificity, -media_range.position, -rank
    return None


def negotiate(request: Request, offered: Mapping[str, str]) -> str:
    """The name of the representation to send, from `offered` (media type -> name, in our
    order of preference; a name may have several media types, its first is canonical).
    `?format=` (a name or a media type) overrides `Accept`.

    Raises a `Refusal` (406 NOT_ACCEPTABLE, `Vary: Accept`) saying what would fit when
    nothing offered does.
    """
    override = request.query_params.get("format")
    if override:
        for media_type, name in offered.items():
            if override.strip().lower() in (name, media_type):
                return name
        raise _not_acceptable(
            f"format={override} is not available here; use one of: {', '.join(_names(offered))}."
        )
    # Several Accept lines are one list (RFC 9110, section 5.3), as the connection counts them.
    accept = ", ".join(request.headers.getlist("accept")) or None
    chosen = choose(accept, list(offered))
    if chosen is None:
        raise _not_acceptable(
            f"None of the media types in Accept ({accept}) is available "
            f"here. Available: {', '.join(_canonical(offered))} "
            f"(or ?format={'|'.join(_names(offered))})."
        )
    return offered[chosen]


def _not_acceptable(message: str) -> Refusal:
    return Refusal(Code.NOT_ACCEPTABLE, message, headers={"Vary": "Accept"})


def _names(offered: Mapping[str, str]) -> list[str]:
    return list(dict.fromkeys(offered.values()))


def _canonical(offered: Mapping[str, str]) -> list[str]:
    first: dict[str, str] = {}
    for media_type, name in offered.items():
        first.setdefault(name, media_type)
    return list(first.values())


__all__ = [
    "MAX_MEDIA_RANGES",
    "MediaRange",
    "choose",
    "count_media_ranges",
    "negotiate",
    "parse_accept",
]
