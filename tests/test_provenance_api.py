"""Provenance in the GraphQL API: every link shows its basis with the words or the reasoning
behind it, derived links reach the quotations of their chain, and depth filters combine with
basis filters."""

from __future__ import annotations

import pytest

from tests.conftest import graphql

QUOTATION = "quotations { id exact locator source { key citation } }"
LINK = f"id basis rationale {QUOTATION}"
DEPTHS = ["INTRODUCES", "DEVELOPS", "APPLIES", "INTEGRATES"]


def data(client, query: str, variables: dict | None = None) -> dict:
    body = graphql(client, query, variables)
    assert "errors" not in body, body
    return body["data"]


def qualified_links(client) -> list[dict]:
    found = data(
        client,
        f"""{{ responsibilities {{ memberships {{ {LINK} }} }}
             sessions {{ focuses {{ {LINK} }} practiceCoverages {{ {LINK} }}
                         treatment {{ {LINK} depth }} }} }}""",
    )
    links = {}
    for responsibility in found["responsibilities"]:
        links.update({m["id"]: m for m in responsibility["memberships"]})
    for session in found["sessions"]:
        for link in session["focuses"] + session["practiceCoverages"] + [session["treatment"]]:
            if link is not None:
                links[link["id"]] = link
    return list(links.values())


def test_every_sourced_link_shows_the_words_that_state_it(client):
    sourced = [link for link in qualified_links(client) if link["basis"] == "SOURCED"]
    assert all(link["quotations"] for link in sourced), [
        link["id"] for link in sourced if not link["quotations"]
    ]


def test_every_editorial_link_gives_its_reasoning(client):
    editorial = [link for link in qualified_links(client) if link["basis"] == "EDITORIAL"]
    assert editorial
    assert all(link["rationale"] and link["rationale"].strip() for link in editorial)


def test_quotations_name_their_source_and_where_they_stand(client):
    quotations = [q for link in qualified_links(client) for q in link["quotations"]]
    assert quotations
    for quotation in quotations:
        assert quotation["exact"].strip() and quotation["locator"].strip()
        assert quotation["source"]["key"] and quotation["source"]["citation"]


def test_a_quotation_is_a_node_with_a_stable_id(client):
    quotation = next(q for link in qualified_links(client) for q in link["quotations"])
    query = "query($id: ID!) { node(id: $id) { __typename id ... on Quotation { exact } } }"
    found = data(client, query, {"id": quotation["id"]})["node"]
    assert found == {"__typename": "Quotation", "id": quotation["id"], "exact": quotation["exact"]}


def session_links(client) -> list[dict]:
    query = f"""{{ sessions {{ number depth sessionLinks {{
        basis rationale depth {QUOTATION}
        responsibility {{ slug memberships {{ component {{ slug }} basis {QUOTATION} }} }}
        via {{ slug sessionFocuses {{ session {{ number }} basis {QUOTATION} }} }} }} }} }}"""
    return [
        {**link, "session": session["number"], "session_depth": session["depth"]}
        for session in data(client, query)["sessions"]
        for link in session["sessionLinks"]
    ]


def chain(link: dict) -> list[tuple[dict, dict]]:
    """The (focus, membership) pairs of each component the derived link goes through."""
    pairs = []
    for component in link["via"]:
        focus = next(
            f for f in component["sessionFocuses"] if f["session"]["number"] == link["session"]
        )
        membership = next(
            m
            for m in link["responsibility"]["memberships"]
            if m["component"]["slug"] == component["slug"]
        )
        pairs.append((focus, membership))
    return pairs


def test_a_session_link_shows_the_quotations_of_its_chain(client):
    for link in session_links(client):
        expected = {q["id"] for pair in chain(link) for part in pair for q in part["quotations"]}
        assert {q["id"] for q in link["quotations"]} == expected


def test_a_session_link_is_sourced_only_when_every_link_of_a_chain_is(client):
    for link in session_links(client):
        sourced = any(f["basis"] == m["basis"] == "SOURCED" for f, m in chain(link))
        assert link["basis"] == ("SOURCED" if sourced else "EDITORIAL")


def test_a_session_link_says_why_the_rule_joins_them(client):
    for link in session_links(client):
        assert link["rationale"].startswith("A session addresses the responsibilities")
        assert link["rationale"].count("(") >= 2 * len(link["via"])


def test_a_session_link_has_its_sessions_depth(client):
    for link in session_links(client):
        assert link["depth"] == link["session_depth"]


def test_a_sessions_depth_is_its_treatments(client):
    found = data(client, "{ sessions { depth treatment { depth session { number } } number } }")
    for session in found["sessions"]:
        treatment = session["treatment"]
        assert session["depth"] == (treatment and treatment["depth"])
        assert treatment is None or treatment["session"]["number"] == session["number"]


def treated(client, min_depth: str, basis: list[str] | None) -> set[int]:
    """The sessions whose depth is at least `min_depth` and rests on one of `basis`."""
    found = data(client, "{ sessions { number treatment { depth basis } } }")["sessions"]
    return {
        s["number"]
        for s in found
        if s["treatment"] is not None
        and DEPTHS.index(s["treatment"]["depth"]) >= DEPTHS.index(min_depth)
        and (basis is None or s["treatment"]["basis"] in basis)
    }


@pytest.mark.parametrize("min_depth", DEPTHS)
@pytest.mark.parametrize("basis", [None, ["SOURCED"], ["EDITORIAL"]])
def test_min_depth_and_basis_both_hold(client, min_depth, basis):
    """With both, a link must rest on one of the bases, and so must its session's depth."""
    deep_enough = treated(client, min_depth, basis)
    query = """query($d: Depth, $b: [Basis!]) { responsibilities {
        all: sessionLinks { session { number } basis }
        filtered: sessions(minDepth: $d, basis: $b) { number } } }"""
    for row in data(client, query, {"d": min_depth, "b": basis})["responsibilities"]:
        expected = [
            link["session"]["number"]
            for link in row["all"]
            if (basis is None or link["basis"] in basis)
            and link["session"]["number"] in deep_enough
        ]
        assert [s["number"] for s in row["filtered"]] == expected


@pytest.mark.parametrize("min_depth", DEPTHS)
def test_coverage_at_a_depth_leaves_uncovered_what_only_shallower_sessions_address(
    client, min_depth
):
    query = """query($d: Depth) { any: coverage { uncovered { number } }
        deep: coverage(minDepth: $d) { uncovered { number } } }"""
    found = data(client, query, {"d": min_depth})
    addressed_deeply = data(
        client,
        """query($d: Depth) { responsibilities { number sessions(minDepth: $d) { number } } }""",
        {"d": min_depth},
    )["responsibilities"]
    expected = [r["number"] for r in addressed_deeply if not r["sessions"]]
    assert [r["number"] for r in found["deep"]["uncovered"]] == expected
    assert {r["number"] for r in found["any"]["uncovered"]} <= set(expected)
