"""The GraphQL API's fields and filters, against the real server over HTTP."""

from __future__ import annotations

import pytest

from tests.conftest import graphql
from tests.reference import (
    COMPONENT_MEMBERS,
    RESPONSIBILITIES,
    SESSION_DEPTHS,
    SESSIONS,
    expected_session_links,
)

SLUGS = [row[2] for row in RESPONSIBILITIES]


def data(client, query: str, variables: dict | None = None) -> dict:
    body = graphql(client, query, variables)
    assert "errors" not in body, body
    return body["data"]


def error_codes(client, query: str) -> list[str]:
    return [e["extensions"]["code"] for e in graphql(client, query)["errors"]]


@pytest.mark.parametrize("number", range(1, 22), ids=SLUGS)
def test_sessions_and_session_links_follow_the_rule(client, number):
    query = """query($n: Int) { responsibility(number: $n) {
        sessions { number } sessionLinks { session { number } basis via { slug } } } }"""
    found = data(client, query, {"n": number})["responsibility"]
    expected = expected_session_links(number)
    assert [s["number"] for s in found["sessions"]] == sorted(expected)
    assert {link["session"]["number"]: link["basis"] for link in found["sessionLinks"]} == expected


@pytest.mark.parametrize("number", sorted(SESSION_DEPTHS))
def test_a_session_has_its_depth_and_the_basis_of_that_depth(client, number):
    query = "query($n: Int!) { session(number: $n) { depth treatment { depth basis } } }"
    found = data(client, query, {"n": number})["session"]
    depth, basis = SESSION_DEPTHS[number]
    assert found == {"depth": depth, "treatment": {"depth": depth, "basis": basis}}


@pytest.mark.parametrize("basis", ["SOURCED", "EDITORIAL"])
def test_responsibility_sessions_filtered_by_basis(client, basis):
    query = """query($b: [Basis!]) { responsibility(slug: "situational-awareness") {
        sessions(basis: $b) { number } } }"""
    found = data(client, query, {"b": [basis]})["responsibility"]["sessions"]
    expected = {"SOURCED": [], "EDITORIAL": [1, 2, 5, 8, 9, 10]}[basis]
    assert [s["number"] for s in found] == expected


@pytest.mark.parametrize("component", list(COMPONENT_MEMBERS))
@pytest.mark.parametrize("basis", ["SOURCED", "EDITORIAL"])
def test_component_responsibilities_filtered_by_basis(client, component, basis):
    query = """query($c: String!, $b: [Basis!]) { component(slug: $c) {
        responsibilities(basis: $b) { number } } }"""
    found = data(client, query, {"c": component, "b": [basis]})["component"]
    members, member_basis = COMPONENT_MEMBERS[component]
    expected = sorted(members) if member_basis == basis else []
    assert [r["number"] for r in found["responsibilities"]] == expected


@pytest.mark.parametrize("year", [1, 2, 3])
def test_sessions_filtered_by_year(client, year):
    found = data(client, f"{{ sessions(year: {year}) {{ number }} }}")["sessions"]
    assert [s["number"] for s in found] == [row[0] for row in SESSIONS if row[2] == year]


@pytest.mark.parametrize("component", list(COMPONENT_MEMBERS))
def test_sessions_filtered_by_component(client, component):
    found = data(client, f'{{ sessions(component: "{component}") {{ number }} }}')["sessions"]
    assert [s["number"] for s in found] == [row[0] for row in SESSIONS if component in row[3]]


@pytest.mark.parametrize("slug", ["situational-awareness", "focus", "optimizer"])
def test_sessions_filtered_by_addressed_responsibility(client, slug):
    number = SLUGS.index(slug) + 1
    found = data(client, f'{{ sessions(addresses: "{slug}") {{ number }} }}')["sessions"]
    assert [s["number"] for s in found] == sorted(expected_session_links(number))


@pytest.mark.parametrize("component", list(COMPONENT_MEMBERS))
def test_responsibilities_filtered_by_component(client, component):
    query = f'{{ responsibilities(component: "{component}") {{ number }} }}'
    found = data(client, query)["responsibilities"]
    assert [r["number"] for r in found] == sorted(COMPONENT_MEMBERS[component][0])


@pytest.mark.parametrize(
    ("value", "numbers"), [("POSITIVE", [2, 7, 9, 11, 13, 14, 15]), ("NEGATIVE", [4, 5, 10, 16])]
)
def test_responsibilities_filtered_by_second_order_change(client, value, numbers):
    query = f"{{ responsibilities(secondOrderChange: {value}) {{ number }} }}"
    assert [r["number"] for r in data(client, query)["responsibilities"]] == numbers


@pytest.mark.parametrize(
    "query",
    [
        '{ responsibility(slug: "no-such-thing") { name } }',
        "{ responsibility(number: 22) { name } }",
        '{ responsibility(slug: "focus", number: 3) { name } }',
        "{ session(number: 11) { title } }",
        '{ component(slug: "nope") { name } }',
        '{ node(id: "session/99") { id } }',
    ],
)
def test_unknown_single_objects_are_null(client, query):
    body = graphql(client, query)
    assert "errors" not in body
    assert list(body["data"].values()) == [None]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('{ sessions(component: "nope") { number } }', "NOT_FOUND"),
        ('{ sessions(addresses: "nope") { number } }', "NOT_FOUND"),
        ('{ responsibilities(component: "nope") { number } }', "NOT_FOUND"),
        ("{ coverage(sessions: [1, 42]) { totalDays } }", "NOT_FOUND"),
        ("{ sessions(year: 4) { number } }", "BAD_USER_INPUT"),
        ("{ programOutcomes(year: 0) { text } }", "BAD_USER_INPUT"),
        ("{ responsibility { name } }", "BAD_USER_INPUT"),
    ],
)
def test_bad_filter_values_are_errors_with_a_code(client, query, code):
    assert error_codes(client, query) == [code]


def test_not_found_message_lists_the_known_values(client):
    message = graphql(client, '{ sessions(component: "nope") { number } }')["errors"][0]["message"]
    assert "'nope'" in message and "purposeful-community" in message


def test_coverage_defaults_to_all_sessions_and_bases(client):
    found = data(client, "{ coverage { sessions { number } uncovered { number } totalDays } }")
    assert [s["number"] for s in found["coverage"]["sessions"]] == list(range(1, 11))
    assert found["coverage"]["uncovered"] == []
    assert found["coverage"]["totalDays"] == 20


def test_coverage_with_sourced_links_only(client):
    query = "{ coverage(sessions: [2, 4], basis: [SOURCED]) { covered { number } } }"
    assert data(client, query)["coverage"]["covered"] == []


def test_coverage_rows_cover_every_responsibility_in_order(client):
    query = "{ coverage(sessions: [3]) { rows { responsibility { number } sessions { number } } } }"
    rows = data(client, query)["coverage"]["rows"]
    assert [row["responsibility"]["number"] for row in rows] == list(range(1, 22))
    assert {row["responsibility"]["number"] for row in rows if row["sessions"]} == set(
        COMPONENT_MEMBERS["magnitude-of-change"][0]
    )


@pytest.mark.parametrize(
    "node_id",
    [
        "responsibility/focus",
        "session/3",
        "component/leadership",
        "source/marzano-2005",
        "knowledge-type/declarative",
    ],
)
def test_node_by_id_round_trips(client, node_id):
    found = data(client, f'{{ node(id: "{node_id}") {{ id iri }} }}')["node"]
    assert found["id"] == node_id
    assert found["iri"] == "https://w3id.org/blkg/id/" + node_id


def test_missing_statistics_are_null_not_defaults(client):
    query = (
        '{ responsibility(slug: "situational-awareness") { correlation { r ciLower studies } } }'
    )
    correlation = data(client, query)["responsibility"]["correlation"]
    assert correlation == {"r": 0.33, "ciLower": None, "studies": None}


def test_session_extension_both_ways(client):
    found = data(client, "{ session(number: 2) { extendedBy { number extends { number } } } }")
    assert found["session"]["extendedBy"] == [{"number": 5, "extends": {"number": 2}}]


@pytest.mark.parametrize("year", [1, 2, 3])
def test_program_outcomes_by_year(client, year):
    found = data(client, f"{{ programOutcomes(year: {year}) {{ year kind }} }}")["programOutcomes"]
    assert found and all(o == {"year": year, "kind": "ANNUAL"} for o in found)


def test_editorial_links_carry_their_rationale(client):
    query = '{ component(slug: "purposeful-community") { memberships { basis rationale } } }'
    memberships = data(client, query)["component"]["memberships"]
    assert memberships and all(m["basis"] == "EDITORIAL" and m["rationale"] for m in memberships)


@pytest.mark.parametrize("number", range(1, 11))
def test_sessions_four_and_seven_deal_with_the_eleven_practices_editorially(client, number):
    query = "query($n: Int!) { session(number: $n) { practiceCoverages { basis rationale "
    query += "practices { number } } } }"
    coverages = graphql(client, query, {"n": number})["data"]["session"]["practiceCoverages"]
    if number in (4, 7):
        (coverage,) = coverages
        assert coverage["basis"] == "EDITORIAL" and coverage["rationale"]
        assert [p["number"] for p in coverage["practices"]] == list(range(1, 12))
    else:
        assert coverages == []


@pytest.mark.parametrize(
    "query",
    [
        "query($b: Basis = SOURCED) { components { responsibilities(basis: [$b]) { name } } }",
        "query($b: Basis = SOURCED) { responsibilities { sessions(basis: [$b]) { number } } }",
    ],
)
def test_a_null_a_variable_puts_inside_a_list_argument_is_the_clients_mistake(client, query):
    response = client.post("/graphql", json={"query": query, "variables": {"b": None}})
    assert response.status_code == 400  # the field may not be null: nor, then, the answer
    codes = {error["extensions"]["code"] for error in response.json()["errors"]}
    assert codes == {"BAD_USER_INPUT"}
