"""Where the shipped ontology, shapes and data live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_INSTALLED = _PACKAGE_DIR / "_resources"
_SOURCE_TREE = _PACKAGE_DIR.parent.parent


def resource_root() -> Path:
    """The folder holding `ontology/` and `data/`: inside the wheel, else the repository."""
    if (_INSTALLED / "ontology").is_dir():
        return _INSTALLED
    return _SOURCE_TREE


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def shapes_dir() -> Path:
    return ontology_dir() / "shapes"


def default_data_dir() -> Path:
    return resource_root() / "data"


__all__ = ["default_data_dir", "ontology_dir", "resource_root", "shapes_dir"]
