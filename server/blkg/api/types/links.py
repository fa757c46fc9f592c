"""The documentation of the `basis` argument; the filter itself is the read layer's
(`blkg.read.links.with_basis`)."""

from __future__ import annotations

from blkg.read.links import with_basis

BASIS_ARGUMENT_DOC = "Only links with one of these bases (default: all bases)."


__all__ = ["BASIS_ARGUMENT_DOC", "with_basis"]
