"""Filtering qualified links by basis, shared by the types that expose `basis` arguments."""

from __future__ import annotations

from collections.abc import Iterable

from blkg.read import model as m

BASIS_ARGUMENT_DOC = "Only links with one of these bases (default: all bases)."


def with_basis(links: Iterable, basis: list[m.Basis] | None) -> list:
    if basis is None:
        return list(links)
    allowed = set(basis)
    return [link for link in links if link.basis in allowed]


__all__ = ["BASIS_ARGUMENT_DOC", "with_basis"]
