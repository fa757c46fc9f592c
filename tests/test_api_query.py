"""The query root takes the graph's facts from the catalog it answers from, never from code:
asked of a made-up catalog with two consortium years, it accepts those and names them."""

from __future__ import annotations

import asyncio

import pytest

from blkg.api.schema import build_schema
from blkg.read import Catalog
from blkg.read import model as m


@pytest.fixture(scope="module")
def schema():
    return build_schema()


def execute(schema, query: str, catalog: Catalog):
    return asyncio.run(schema.execute(query, root_value=catalog))


@pytest.fixture(scope="module")
def two_years() -> Catalog:
    return Catalog(
        program_years=[
            m.ProgramYear(id=f"year/{year}", iri="", year=year, label=f"Year {year}")
            for year in (1, 2)
        ],
        sessions=[
            m.Session(id=f"session/{n}", iri="", number=n, title="", year=n, days=1) for n in (1, 2)
        ],
    )


@pytest.mark.parametrize(
    "query", ["{ sessions(year: 3) { number } }", "{ programOutcomes(year: 3) { text } }"]
)
def test_a_year_the_data_lacks_is_refused_naming_the_years_it_has(schema, two_years, query):
    result = execute(schema, query, two_years)
    assert [error.message for error in result.errors] == [
        "year must be one of 1, 2 (the consortium's years in the data); got 3."
    ]
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT"}


def test_a_year_the_data_has_is_accepted(schema, two_years):
    result = execute(schema, "{ sessions(year: 2) { number } }", two_years)
    assert result.errors is None
    assert result.data == {"sessions": [{"number": 2}]}
