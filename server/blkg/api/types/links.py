"""Filtering qualified links by basis and depth, shared by the types that expose `basis` and
`minDepth` arguments."""

from __future__ import annotations

from collections.abc import Iterable

from blkg.read import model as m

BASIS_ARGUMENT_DOC = "Only links with one of these bases (default: all bases)."


def with_basis(
    links: Iterable, basis: list[m.Basis] | None, min_depth: m.Depth | None = None
) -> list:
    """The links with one of `basis` (None: any) whose session treats its subject at least
    `min_depth` deep (None: any depth), that depth too resting on one of `basis`."""
    if basis is None and min_depth is None:
        return list(links)
    allowed = set(basis) if basis is not None else None
    return [
        link
        for link in links
        if (allowed is None or link.basis in allowed)
        and link.session.treats_at_least(min_depth, allowed)
    ]


__all__ = ["BASIS_ARGUMENT_DOC", "with_basis"]
