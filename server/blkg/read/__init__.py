"""The read layer: plain Python objects built once from the validated graph, for the API.

The GraphQL API (`blkg.api`) answers every query from these objects, never from triples;
questions with arguments, such as coverage (`read.coverage`), are answered from them on
demand. Because the dataset does not change while the server runs, every object and index is
built once at start-up. The linked-data side does not use this layer: its HTML pages and RDF
documents are built from the triples of each resource (`blkg.resource_description`,
`blkg.web.views`), so they show whatever the graph says, including what no read object models.
"""

from blkg.read.catalog import Catalog, build_catalog
from blkg.read.coverage import Coverage, CoverageRow, compute_coverage

__all__ = ["Catalog", "Coverage", "CoverageRow", "build_catalog", "compute_coverage"]
