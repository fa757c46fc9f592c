"""The graph reproduces the reference facts: names, numbers, statistics, sessions, evidence."""

from __future__ import annotations

import pytest

from blkg.read import build_catalog
from blkg.read.model import Basis, ChangeAssociation
from tests.reference import (
    COMPONENTS,
    RESPONSIBILITIES,
    SECOND_ORDER_NEGATIVE,
    SECOND_ORDER_POSITIVE,
    SESSIONS,
)


@pytest.fixture(scope="module")
def catalog(graph):
    return build_catalog(graph.union(), graph.settings.instance_base)


def test_there_are_exactly_21_responsibilities(catalog):
    assert [r.number for r in catalog.responsibilities] == list(range(1, 22))


@pytest.mark.parametrize("row", RESPONSIBILITIES, ids=lambda row: row[2])
def test_responsibility_name_number_and_slug(catalog, row):
    number, name, slug, *_ = row
    responsibility = catalog.responsibility(number=number)
    assert (responsibility.name, responsibility.slug) == (name, slug)
    assert responsibility.definition


@pytest.mark.parametrize("row", RESPONSIBILITIES, ids=lambda row: row[2])
def test_responsibility_correlation_is_sourced_or_absent(catalog, row):
    number, _, _, r, lower, upper, studies, schools = row
    correlation = catalog.responsibility(number=number).correlation
    if r is None:
        assert correlation is None
        return
    assert (correlation.r, correlation.ci_lower, correlation.ci_upper) == (r, lower, upper)
    assert (correlation.studies, correlation.schools) == (studies, schools)
    assert correlation.source.key == "marzano-2005"


@pytest.mark.parametrize("number", range(1, 22))
def test_second_order_change_association_and_rank(catalog, number):
    responsibility = catalog.responsibility(number=number)
    if number in SECOND_ORDER_POSITIVE:
        assert responsibility.second_order_change == ChangeAssociation.POSITIVE
        assert responsibility.second_order_rank == SECOND_ORDER_POSITIVE.index(number) + 1
    elif number in SECOND_ORDER_NEGATIVE:
        assert responsibility.second_order_change == ChangeAssociation.NEGATIVE
        assert responsibility.second_order_rank is None
    else:
        assert responsibility.second_order_change is None


def test_situational_awareness_has_the_highest_r(catalog):
    known = [r for r in catalog.responsibilities if r.correlation]
    assert max(known, key=lambda r: r.correlation.r).slug == "situational-awareness"


@pytest.mark.parametrize(("number", "slug", "name"), COMPONENTS)
def test_the_four_components(catalog, number, slug, name):
    component = catalog.component(slug)
    assert (component.number, component.name) == (number, name)


def test_component_other_names(catalog):
    assert "Focus of Leadership" in catalog.component("focus-of-change").alt_names


@pytest.mark.parametrize(
    ("slug", "title"),
    [("magnitude-of-change", "Managing Change"), ("focus-of-change", "Choosing the Right Focus")],
)
def test_session_titles_are_not_other_names_of_components(catalog, slug, title):
    """The brochure uses them as session titles; no source gives them as component names."""
    assert title not in catalog.component(slug).alt_names


@pytest.mark.parametrize("row", SESSIONS, ids=lambda row: f"session-{row[0]}")
def test_session_title_year_days_components_and_extension(catalog, row):
    number, title, year, components, basis, extends = row
    session = catalog.session(number)
    assert (session.title, session.year, session.days) == (title, year, 2)
    assert {c.slug for c in session.components} == components
    assert {f.basis for f in session.focuses} == {Basis[basis]}
    assert (session.extends.number if session.extends else None) == extends


@pytest.mark.parametrize("number", [5, 6, 7])
def test_extension_sessions_use_case_studies(catalog, number):
    assert [m.slug for m in catalog.session(number).methods] == ["case-study"]


@pytest.mark.parametrize("number", range(1, 8))
def test_sessions_one_to_seven_have_learning_outcomes(catalog, number):
    assert len(catalog.session(number).outcomes) >= 3


@pytest.mark.parametrize("number", [8, 9, 10])
def test_year_three_sessions_list_no_outcomes(catalog, number):
    assert catalog.session(number).outcomes == []


def test_knowledge_taxonomy(catalog):
    assert [(k.name, k.question) for k in catalog.knowledge_types] == [
        ("Declarative", "what"),
        ("Experiential", "why"),
        ("Procedural", "how"),
        ("Contextual", "when"),
    ]


def test_wwc_finding(catalog):
    finding = next(f for f in catalog.findings if f.rating is not None)
    assert (finding.intervention_percent, finding.comparison_percent) == (76, 60)
    assert (finding.studies, finding.principals) == (1, 124)
    assert finding.rating.slug == "potentially-positive"
    assert [s.key for s in finding.sources] == ["wwc-brief-2020"]


def test_wwc_review(catalog):
    (review,) = catalog.reviews
    assert (review.studies_identified, review.studies_meeting_standards) == (3, 1)
    assert (review.standards_version, review.protocol_version) == ("4.0", "4.0")
    assert len(review.unknown_effect_domains) == 7


def test_rating_scale_has_four_levels(catalog):
    assert len(catalog.ratings) == 4


@pytest.mark.parametrize(
    ("key", "studies", "average_r"), [("marzano-2005", 69, 0.25), ("waters-2003", 70, 0.25)]
)
def test_meta_analysis_headlines(catalog, key, studies, average_r):
    finding = next(
        f
        for f in catalog.findings
        if f.average_r is not None and [s.key for s in f.sources] == [key]
    )
    assert (finding.studies, finding.average_r) == (studies, average_r)


def test_program_outcomes(catalog):
    kinds = [o.kind.value for o in catalog.program_outcomes]
    assert kinds.count("ULTIMATE") == 2
    assert kinds.count("REAL_RESULT") == 4
    per_year = [len([o for o in catalog.program_outcomes if o.year == y]) for y in (1, 2, 3)]
    assert per_year == [12, 10, 7]


def test_every_source_of_the_reference_is_a_node(catalog):
    assert {s.key for s in catalog.sources} == {
        "wwc-brief-2020",
        "wwc-i4i-page",
        "mcrel-consortium",
        "marzano-2005",
        "waters-2003",
        "waters-cameron-2007",
        "jacob-2015",
        "marzano-2003-wwis",
    }


def test_practices_by_level(catalog):
    levels = [p.level.slug for p in catalog.practices]
    assert (levels.count("school"), levels.count("teacher"), levels.count("student")) == (5, 3, 3)
