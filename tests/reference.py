"""The reference facts the graph must reproduce, transcribed from
shared/reference/framework-facts.md (Marzano, Waters & McNulty 2005, Figure 4.1; the McREL
consortium brochure; the WWC intervention brief). Tests compare the graph against these."""

from __future__ import annotations

# number, name, slug, r, CI lower, CI upper, studies, schools (None = a known gap)
RESPONSIBILITIES = [
    (1, "Affirmation", "affirmation", 0.19, 0.08, 0.29, 6, 332),
    (2, "Change Agent", "change-agent", 0.25, 0.16, 0.34, 6, 466),
    (3, "Contingent Rewards", "contingent-rewards", 0.24, 0.15, 0.32, 9, 465),
    (4, "Communication", "communication", 0.23, 0.12, 0.33, 11, 299),
    (5, "Culture", "culture", 0.25, 0.18, 0.31, 15, 819),
    (6, "Discipline", "discipline", 0.27, 0.18, 0.35, 12, 437),
    (7, "Flexibility", "flexibility", 0.28, 0.16, 0.39, 6, 277),
    (8, "Focus", "focus", 0.24, 0.19, 0.29, 44, 1619),
    (9, "Ideals/Beliefs", "ideals-beliefs", 0.22, 0.14, 0.30, 7, 513),
    (10, "Input", "input", 0.25, 0.18, 0.32, 16, 669),
    (11, "Intellectual Stimulation", "intellectual-stimulation", 0.24, 0.13, 0.34, 4, 302),
    (
        12,
        "Involvement in Curriculum, Instruction, and Assessment",
        "involvement-in-curriculum-instruction-and-assessment",
        0.20,
        0.14,
        0.27,
        23,
        826,
    ),
    (
        13,
        "Knowledge of Curriculum, Instruction, and Assessment",
        "knowledge-of-curriculum-instruction-and-assessment",
        0.25,
        None,
        None,
        None,
        None,
    ),
    (14, "Monitoring/Evaluating", "monitoring-evaluating", None, None, None, None, None),
    (15, "Optimizer", "optimizer", None, None, None, None, None),
    (16, "Order", "order", None, None, None, None, None),
    (17, "Outreach", "outreach", None, None, None, None, None),
    (18, "Relationships", "relationships", None, None, None, None, None),
    (19, "Resources", "resources", None, None, None, None, None),
    (20, "Situational Awareness", "situational-awareness", 0.33, None, None, None, None),
    (21, "Visibility", "visibility", None, None, None, None, None),
]

# Positively associated with second-order change, in rank order; and the perceived declines.
SECOND_ORDER_POSITIVE = [13, 15, 11, 2, 14, 7, 9]
SECOND_ORDER_NEGATIVE = [5, 4, 16, 10]

# Component -> responsibility numbers, with the basis of the grouping. No text the project can
# quote joins a component to its responsibilities, so every grouping is editorial (Waters and
# Cameron 2007 and Marzano et al. 2005 are named in the rationales, but not read).
COMPONENT_MEMBERS = {
    "leadership": (set(range(1, 22)), "EDITORIAL"),
    "magnitude-of-change": (set(SECOND_ORDER_POSITIVE), "EDITORIAL"),
    "purposeful-community": ({1, 4, 5, 9, 10, 18, 20, 21}, "EDITORIAL"),
    "focus-of-change": ({3, 6, 8, 12, 16, 17, 19}, "EDITORIAL"),
}

# number, title, year, components, basis of the focus links, extends. Only sessions 2 and 5 are
# said, in words the brochure's text holds, to be about a component (Purposeful Community).
SESSIONS = [
    (1, "Balanced Leadership: An Overview", 1, {"leadership"}, "EDITORIAL", None),
    (2, "Developing a Purposeful Community", 1, {"purposeful-community"}, "SOURCED", None),
    (3, "Managing Change", 2, {"magnitude-of-change"}, "EDITORIAL", None),
    (4, "Choosing the Right Focus", 2, {"focus-of-change"}, "EDITORIAL", None),
    (
        5,
        "Developing a Purposeful Community: Extending Knowledge & Refining Practice",
        2,
        {"purposeful-community"},
        "SOURCED",
        2,
    ),
    (
        6,
        "Managing Change: Extending Knowledge & Refining Practice",
        2,
        {"magnitude-of-change"},
        "EDITORIAL",
        3,
    ),
    (
        7,
        "Choosing the Right Focus: Extending Knowledge and Refining Practice",
        2,
        {"focus-of-change"},
        "EDITORIAL",
        4,
    ),
    (
        8,
        "Leading Change in a Purposeful Community",
        3,
        {"magnitude-of-change", "purposeful-community"},
        "EDITORIAL",
        None,
    ),
    (
        9,
        "Leading Between Systems: Balancing Leadership in the Future",
        3,
        {"leadership"},
        "EDITORIAL",
        None,
    ),
    (
        10,
        "Optimizing Systems: Pulling It All Together",
        3,
        {"leadership", "focus-of-change", "magnitude-of-change", "purposeful-community"},
        "EDITORIAL",
        None,
    ),
]

COMPONENTS = [
    (1, "leadership", "Leadership"),
    (2, "focus-of-change", "Focus of Change"),
    (3, "magnitude-of-change", "Magnitude of Change"),
    (4, "purposeful-community", "Purposeful Community"),
]


def expected_session_links(number: int) -> dict[int, str]:
    """Session number -> basis, for one responsibility, by the data model's rule."""
    links: dict[int, str] = {}
    for session, _, _, components, focus_basis, _ in SESSIONS:
        for component in components:
            members, member_basis = COMPONENT_MEMBERS[component]
            if number not in members:
                continue
            basis = "SOURCED" if focus_basis == member_basis == "SOURCED" else "EDITORIAL"
            if links.get(session) != "SOURCED":
                links[session] = basis
    return links


# Session -> its depth of treatment and that depth's basis (data-model.md, "Depth of treatment"):
# the brochure's words state the depths of sessions 2-4 and 6-7. Session 1's outcomes speak of
# more than an introduction, session 5 rests on its case methodology, and the brochure speaks of
# sessions 8-10 only together: their depths are readings.
SESSION_DEPTHS = {
    1: ("INTRODUCES", "EDITORIAL"),
    2: ("DEVELOPS", "SOURCED"),
    3: ("DEVELOPS", "SOURCED"),
    4: ("DEVELOPS", "SOURCED"),
    5: ("APPLIES", "EDITORIAL"),
    6: ("APPLIES", "SOURCED"),
    7: ("APPLIES", "SOURCED"),
    8: ("INTEGRATES", "EDITORIAL"),
    9: ("INTEGRATES", "EDITORIAL"),
    10: ("INTEGRATES", "EDITORIAL"),
}
