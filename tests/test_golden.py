"""The contract's examples, run over HTTP against the real server, return exactly the answers
kept beside them (`tests/golden/NAME.graphql` -> `NAME.json`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.graphql"))


def test_the_golden_cases_are_all_there():
    assert len(CASES) >= 5
    assert all(case.with_suffix(".json").exists() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_golden_query_returns_the_expected_answer(client, case):
    expected = json.loads(case.with_suffix(".json").read_text())
    response = client.post("/graphql", json={"query": case.read_text()})
    assert response.status_code == 200
    assert response.json() == expected


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_golden_query_over_get_returns_the_same(client, case):
    expected = json.loads(case.with_suffix(".json").read_text())
    response = client.get("/graphql", params={"query": case.read_text()})
    assert response.json() == expected
