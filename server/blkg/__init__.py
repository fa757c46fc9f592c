"""The Balanced Leadership Knowledge Graph: the framework as RDF, checked by SHACL, as an API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("blkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
