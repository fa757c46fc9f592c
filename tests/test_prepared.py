"""Prepared plans answer exactly as strawberry's full execution does, or decline to."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest
from graphql import (
    GraphQLBoolean,
    GraphQLError,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLString,
    parse,
)

from blkg.api.prepared import Bail, Unsupported, _Leaf, prepare
from blkg.api.schema import build_schema
from blkg.read import build_catalog

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.graphql"))

QUERIES = [
    *(path.read_text() for path in GOLDEN),
    "{ responsibilities { number name sessions { number title } } }",
    "{ a: framework { name } b: framework { definition components { slug } } }",
    "{ coverage(sessions: [1, 3], basis: [SOURCED]) { rows { responsibility { slug } "
    "links { basis via { name } sources { key } } } totalDays } }",
    '{ node(id: "session/3") { __typename id ... on Session { title year } } }',
    '{ node(id: "responsibility/focus") { ...R } } fragment R on Responsibility { name number }',
    "{ sessions { ... on Session { number } ...S } } "
    "fragment S on Session { title extends { number } }",
    "query($n: Int!, $b: [Basis!]) { responsibility(number: $n) { "
    "sessions(basis: $b) { number } } }",
    "{ responsibilities(secondOrderChange: NEGATIVE) { "
    "name secondOrderChange components { name } } }",
    "{ evidence { kind label rating { name } outcomeDomain { name } interventionPercent } }",
    "{ programModels { label elements { label minSessions maxSessions onRequest } } "
    "offerings { price } }",
    "{ sources { key creators issued identifiers } }",
    "{ session(number: 5) { outcomes { number text } knowledgeTypes { name } methods { name } } }",
]
VARIABLES = {"n": 20, "b": ["EDITORIAL"]}


@pytest.fixture(scope="module")
def catalog(graph):
    return build_catalog(graph.union(), graph.settings.instance_base)


@pytest.fixture(scope="module")
def schema():
    return build_schema()


@pytest.mark.parametrize("query", QUERIES)
def test_plan_answers_exactly_like_full_execution(schema, catalog, query):
    variables = VARIABLES if "$" in query else None
    full = asyncio.run(schema.execute(query, variable_values=variables, root_value=catalog))
    assert full.errors is None
    plan = prepare(schema._schema, parse(query), None)
    assert orjson.dumps(plan.execute(catalog, variables)) == orjson.dumps(full.data)


@pytest.mark.parametrize(
    "query",
    [
        "{ framework { name @include(if: true) } }",
        "{ __schema { queryType { name } } }",
        "mutation { x }",
    ],
)
def test_documents_plans_do_not_cover_are_declined(schema, query):
    with pytest.raises(Unsupported):
        prepare(schema._schema, parse(query), None)


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('{ sessions(component: "nope") { number } }', None),
        ("query($n: Int!) { session(number: $n) { title } }", {"n": "three"}),
        ("query($n: Int!) { session(number: $n) { title } }", {}),
    ],
)
def test_plan_bails_out_where_the_full_path_reports_an_error(schema, catalog, query, variables):
    plan = prepare(schema._schema, parse(query), None)
    with pytest.raises(Bail):
        plan.execute(catalog, variables)


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        (GraphQLInt, 7),
        (GraphQLInt, True),
        (GraphQLInt, 2**31 - 1),
        (GraphQLString, "Affirmation"),
        (GraphQLID, "session/3"),
        (GraphQLBoolean, False),
        (GraphQLFloat, 0.25),
    ],
)
def test_leaves_complete_exactly_as_graphql_core_serialises(type_, value):
    expected = type_.serialize(value)
    for complete in (_Leaf(type_).nullable, _Leaf(type_).non_null):
        completed = complete(value, None)
        assert completed == expected and type(completed) is type(expected)


@pytest.mark.parametrize(("type_", "value"), [(GraphQLInt, 2**31), (GraphQLFloat, float("nan"))])
def test_leaves_refuse_what_graphql_core_refuses(type_, value):
    with pytest.raises(GraphQLError):
        _Leaf(type_).nullable(value, None)


def test_a_null_leaf_is_null_where_allowed_and_a_bail_where_not():
    assert _Leaf(GraphQLString).nullable(None, None) is None
    with pytest.raises(Bail):
        _Leaf(GraphQLString).non_null(None, None)
