"""The read layer's coverage question, asked of a small made-up framework so each test shows
one rule: which links count, how `basis` and `minDepth` filter them, and the days added up."""

from __future__ import annotations

import pytest

from blkg.read import compute_coverage
from blkg.read import model as m

SOURCED, EDITORIAL = m.Basis.SOURCED, m.Basis.EDITORIAL


def session(number: int, days: int, depth: m.Depth | None = None, basis=SOURCED) -> m.Session:
    made = m.Session(id=f"session/{number}", iri="", number=number, title="", year=1, days=days)
    if depth is not None:
        made.treatment = m.Treatment(
            id=f"treatment/{number}",
            iri="",
            basis=basis,
            sources=[],
            rationale=None,
            quotations=[],
            session=made,
            depth=depth,
        )
    return made


def responsibility(number: int, *addressed_by: tuple[m.Session, m.Basis]) -> m.Responsibility:
    made = m.Responsibility(
        id=f"responsibility/{number}",
        iri="",
        slug=f"r{number}",
        name="",
        definition="",
        number=number,
    )
    made.session_links = [
        m.SessionLink(
            id=f"link/{number}/{by.number}",
            iri="",
            basis=basis,
            sources=[],
            rationale=None,
            quotations=[],
            session=by,
            responsibility=made,
            via=[],
        )
        for by, basis in addressed_by
    ]
    return made


# Session 1 treats what it addresses at DEVELOPS (sourced), session 2 at APPLIES (editorial),
# session 3 at no recorded depth. Responsibility 4 no session addresses.
S1 = session(1, days=2, depth=m.Depth.DEVELOPS, basis=SOURCED)
S2 = session(2, days=3, depth=m.Depth.APPLIES, basis=EDITORIAL)
S3 = session(3, days=1)
R1 = responsibility(1, (S1, SOURCED))
R2 = responsibility(2, (S2, EDITORIAL))
R3 = responsibility(3, (S3, SOURCED))
R4 = responsibility(4)
R5 = responsibility(5, (S2, SOURCED))
RESPONSIBILITIES = [R1, R2, R3, R4, R5]
SESSIONS = [S1, S2, S3]


def numbers(objects) -> list[int]:
    return [o.number for o in objects]


def test_a_responsibility_no_chosen_session_addresses_is_uncovered():
    found = compute_coverage(RESPONSIBILITIES, [S1])
    assert numbers(found.uncovered) == [2, 3, 4, 5]


def test_a_responsibility_a_chosen_session_addresses_is_covered_by_that_session():
    found = compute_coverage(RESPONSIBILITIES, [S1, S3])
    assert numbers(found.covered) == [1, 3]
    assert [numbers(row.sessions) for row in found.rows] == [[1], [], [3], [], []]


def test_basis_keeps_only_the_links_with_one_of_those_bases():
    found = compute_coverage(RESPONSIBILITIES, SESSIONS, basis=[SOURCED])
    assert numbers(found.covered) == [1, 3, 5]


def test_min_depth_keeps_the_sessions_treating_at_least_that_deep():
    found = compute_coverage(RESPONSIBILITIES, SESSIONS, min_depth=m.Depth.APPLIES)
    assert numbers(found.covered) == [2, 5]


def test_min_depth_leaves_out_the_sessions_with_no_recorded_depth():
    found = compute_coverage(RESPONSIBILITIES, SESSIONS, min_depth=m.Depth.INTRODUCES)
    assert numbers(found.covered) == [1, 2, 5]


def test_with_basis_and_min_depth_the_depth_must_rest_on_one_of_those_bases_too():
    # Session 2's link to responsibility 5 is sourced, but its depth rests on an editorial
    # link: with both filters, both must hold.
    found = compute_coverage(
        RESPONSIBILITIES, SESSIONS, basis=[SOURCED], min_depth=m.Depth.INTRODUCES
    )
    assert numbers(found.covered) == [1]


def test_no_basis_means_every_basis():
    assert compute_coverage(RESPONSIBILITIES, SESSIONS, basis=None) == compute_coverage(
        RESPONSIBILITIES, SESSIONS, basis=list(m.Basis)
    )


@pytest.mark.parametrize("depth", [None, m.Depth.INTEGRATES])
def test_total_days_adds_up_the_days_of_the_sessions_asked_about(depth):
    assert compute_coverage(RESPONSIBILITIES, [S2, S1], min_depth=depth).total_days == 5


def test_the_sessions_asked_about_are_listed_by_number():
    assert numbers(compute_coverage(RESPONSIBILITIES, [S3, S1, S2]).sessions) == [1, 2, 3]
