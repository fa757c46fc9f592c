"""Content negotiation: which of the representations we offer a client's `Accept` prefers.

`Accept` is read as RFC 9110 says: each media range has a weight `q` (default 1, 0 means "not
this"), the most specific range that matches an offered type decides its weight, wildcards
(`*/*`, `type/*`) match what they cover, and a missing or empty header accepts anything. Among
equally weighted types the more specific match wins, then the one the client listed first,
then our own order. `?format=` overrides the header with a representation name or media type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from starlette.requests import Request


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


class NotAcceptable(Exception):
    """No offered representation fits the request; the message says what would."""


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an `Accept` header; malformed entries are skipped."""
    if header is None or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for position, entry in enumerate(header.split(",")):
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
            q = _weight(value.strip())
            if q is None:
                return None
    return MediaRange(kind, sub, q, position)


def _weight(value: str) -> float | None:
    try:
        q = float(value)
    except ValueError:
        return None
    return q if 0.0 <= q <= 1.0 else None


def choose(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the header prefers, or None if it accepts none of them."""
    ranges = parse_accept(header)
    best, best_key = None, None
    for rank, media_type in enumerate(offered):
        key = _preference(ranges, media_type.lower(), rank)
        if key is not None and key[0] > 0 and (best_key is None or key > best_key):
            best, best_key = media_type, key
    return best


def _preference(ranges: list[MediaRange], media_type: str, rank: int):
    matches = [(r.specificity(media_type), -r.position, r) for r in ranges]
    matches = [m for m in matches if m[0] >= 0]
    if not matches:
        return None
    specificity, earlier, media_range = max(matches, key=lambda m: (m[0], m[1]))
    return media_range.q, specificity, earlier, -rank


def negotiate(request: Request, offered: Mapping[str, str]) -> str:
    """The name of the representation to send, from `offered` (media type -> name, in our
    order of preference; a name may have several media types, its first is canonical).
    `?format=` (a name or a media type) overrides `Accept`.

    Raises `NotAcceptable` when nothing offered fits.
    """
    override = request.query_params.get("format")
    if override:
        for media_type, name in offered.items():
            if override.strip().lower() in (name, media_type):
                return name
        raise NotAcceptable(
            f"format={override} is not available here; use one of: {', '.join(_names(offered))}."
        )
    chosen = choose(request.headers.get("accept"), list(offered))
    if chosen is None:
        raise NotAcceptable(
            f"None of the media types in Accept ({request.headers.get('accept')}) is available "
            f"here. Available: {', '.join(_canonical(offered))} "
            f"(or ?format={'|'.join(_names(offered))})."
        )
    return offered[chosen]


def _names(offered: Mapping[str, str]) -> list[str]:
    return list(dict.fromkeys(offered.values()))


def _canonical(offered: Mapping[str, str]) -> list[str]:
    first: dict[str, str] = {}
    for media_type, name in offered.items():
        first.setdefault(name, media_type)
    return list(first.values())


__all__ = ["MediaRange", "NotAcceptable", "choose", "negotiate", "parse_accept"]
