"""The program: outcomes by year, the program models and their elements, and pricing."""

from __future__ import annotations

from blkg.api.types.common import Node
from blkg.api.types.published import published
from blkg.read import model as m


@published(m.ProgramOutcome)
class ProgramOutcome(Node):
    pass


@published(m.ProgramYear)
class ProgramYear(Node):
    pass


@published(m.ProgramElement)
class ProgramElement(Node):
    pass


@published(m.ProgramModel)
class ProgramModel(Node):
    pass


@published(m.Offering)
class Offering(Node):
    pass


__all__ = ["Offering", "ProgramElement", "ProgramModel", "ProgramOutcome", "ProgramYear"]
