"""The read layer: plain Python objects built once from the validated graph.

The GraphQL types and the HTML pages read these objects; nothing above this layer touches
triples. Because the dataset does not change while the server runs, every view and index is
computed once at start-up; questions with arguments, such as coverage (`read.coverage`), are
answered from them on demand.
"""

from blkg.read.catalog import Catalog, build_catalog
from blkg.read.coverage import Coverage, CoverageRow, compute_coverage

__all__ = ["Catalog", "Coverage", "CoverageRow", "build_catalog", "compute_coverage"]
