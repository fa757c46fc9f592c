"""Filtering qualified links by basis and depth: the one rule behind every `basis` and
`minDepth` argument of the API and behind coverage (`blkg.read.coverage`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from blkg.read import model as m


def with_basis(
    links: Iterable[Any], basis: Collection[m.Basis] | None, min_depth: m.Depth | None = None
) -> list[Any]:
    """The links with one of `basis` (None: any) whose session treats what it addresses at
    least `min_depth` deep (None: any depth; links without a session, such as component
    memberships, take no depth), that depth too resting on one of `basis`."""
    if basis is None and min_depth is None:
        return list(links)
    allowed = set(basis) if basis is not None else None
    return [
        link
        for link in links
        if (allowed is None or link.basis in allowed)
        and (min_depth is None or link.session.treats_at_least(min_depth, allowed))
    ]


__all__ = ["with_basis"]
