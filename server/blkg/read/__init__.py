"""The read layer: plain Python objects built once from the validated graph.

The GraphQL types and the HTML pages read these objects; nothing above this layer touches
triples. Because the dataset does not change while the server runs, every view and index is
computed once at start-up.
"""

from blkg.read.catalog import Catalog, build_catalog

__all__ = ["Catalog", "build_catalog"]
