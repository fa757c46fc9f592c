"""The committed schema.graphql is the printed schema, and everything in it is described."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from blkg.api.schema import build_schema, print_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = build_schema()._schema


def own_types():
    return [
        t
        for name, t in SCHEMA.type_map.items()
        if not name.startswith("__")
        and isinstance(
            t, GraphQLObjectType | GraphQLInterfaceType | GraphQLEnumType | GraphQLInputObjectType
        )
    ]


def test_committed_sdl_matches_the_running_schema():
    committed = (ROOT / "schema.graphql").read_text()
    assert committed == print_schema(), "schema.graphql is stale: run `make schema`"


@pytest.mark.parametrize("type_", own_types(), ids=lambda t: t.name)
def test_every_type_is_described(type_):
    assert type_.description and type_.description.strip()


def fields():
    for type_ in own_types():
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for name, field in type_.fields.items():
                yield f"{type_.name}.{name}", field
                for arg_name, arg in field.args.items():
                    yield f"{type_.name}.{name}({arg_name})", arg


@pytest.mark.parametrize(("name", "field"), list(fields()), ids=[n for n, _ in fields()])
def test_every_field_and_argument_is_described(name, field):
    assert field.description and field.description.strip(), name


@pytest.mark.parametrize(
    ("type_name", "field_names"),
    [
        (
            "Query",
            [
                "framework",
                "components",
                "component",
                "responsibilities",
                "responsibility",
                "sessions",
                "session",
                "coverage",
                "knowledgeTypes",
                "programOutcomes",
                "evidence",
                "sources",
                "node",
            ],
        ),
        (
            "Responsibility",
            [
                "id",
                "iri",
                "slug",
                "number",
                "name",
                "definition",
                "correlation",
                "components",
                "secondOrderChange",
                "secondOrderRank",
                "sessions",
                "sessionLinks",
                "sources",
            ],
        ),
        ("Correlation", ["r", "ciLower", "ciUpper", "studies", "schools", "source"]),
        ("SessionLink", ["session", "responsibility", "basis", "via", "sources"]),
        (
            "Session",
            [
                "id",
                "iri",
                "number",
                "title",
                "year",
                "days",
                "extends",
                "extendedBy",
                "components",
                "outcomes",
                "knowledgeTypes",
                "responsibilities",
                "sources",
            ],
        ),
        ("Coverage", ["sessions", "rows", "covered", "uncovered", "totalDays"]),
        ("CoverageRow", ["responsibility", "sessions", "links"]),
    ],
)
def test_contract_fields_exist(type_name, field_names):
    assert set(field_names) <= set(SCHEMA.type_map[type_name].fields)


@pytest.mark.parametrize(
    ("enum", "values"),
    [("Basis", {"SOURCED", "EDITORIAL"}), ("ChangeAssociation", {"POSITIVE", "NEGATIVE"})],
)
def test_contract_enums(enum, values):
    assert set(SCHEMA.type_map[enum].values) == values
