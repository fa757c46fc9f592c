"""Prepared plans answer exactly as graphql-core's own execution does: on thousands of
generated queries with generated variables, the same bytes and the same status, refusals
included, whether the plan is built on the spot or cached; and the answer's measured size is
the number of fields execution resolves."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from graphql import parse

from blkg.api.execution import GraphQLService
from blkg.api.prepared import Plan
from blkg.api.schema import build_schema
from blkg.config import Limits
from blkg.read import build_catalog
from tests.graphql_queries import requests

CASES = 2000
SEED = 20261130
# Small enough that generated queries pass it now and then, so refusals are compared too.
BUDGET = 200


@pytest.fixture(scope="module")
def catalog(graph):
    return build_catalog(graph.union(), graph.settings.instance_base)


@pytest.fixture(scope="module")
def careful_builds():
    """How the generated requests' careful plan builds ended: answers with field errors made
    by a plan are what the comparison must include, not only clean ones."""
    ended: Counter = Counter()
    build = Plan.run_carefully

    def counted(plan, root_value, coerced):
        data, errors = build(plan, root_value, coerced)
        ended["with errors" if errors else "clean"] += 1
        return data, errors

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Plan, "run_carefully", counted)
        yield ended


@pytest.fixture(scope="module")
def outcomes(catalog, careful_builds):
    """(query, variables, graphql-core's answer, the prepared answer, whether a plan was kept)
    for each generated request, asked with its variables (twice: the first time through
    strawberry with a plan built on the spot, the second from the plan kept with the
    document) and again with other values for them (from the kept plan, or declined).

    One service answers both ways, plans switched off for the reference, so each document is
    parsed and validated once: the reference path is still graphql-core's own execution."""
    schema = build_schema(Limits(max_resolved_fields=BUDGET))
    service = GraphQLService(schema, catalog, schema.documents, BUDGET)
    cases = list(requests(schema._schema, catalog, CASES, SEED))

    async def both_ways(query, variables):
        service.prepared = False
        reference = await service.answer(query, variables, None)
        service.prepared = True
        return reference, await service.answer(query, variables, None)

    async def run():
        results = []
        for query, variables, other in cases:
            assert service.documents.get(query) is None
            reference, first = await both_ways(query, variables)
            entry = service.documents.get(query)
            planned = entry is not None and entry.plans.get(None) is not None
            second = await service.answer(query, variables, None)
            results.append((query, variables, reference, first, planned))
            results.append((query, variables, reference, second, planned))
            if other is not None:
                reference, answer = await both_ways(query, other)
                results.append((query, other, reference, answer, planned))
        return results

    return asyncio.run(run())


def test_every_generated_request_gets_the_same_bytes_and_status_both_ways(outcomes):
    differing = [
        (query, variables, reference, second)
        for query, variables, reference, second, _ in outcomes
        if (reference.status, reference.body) != (second.status, second.body)
    ]
    assert differing == []


def test_the_generated_requests_cover_answers_refusals_and_errors(outcomes, careful_builds):
    kinds = Counter()
    for _, _, reference, _, planned in outcomes:
        if b"RESULT_TOO_LARGE" in reference.body:
            kinds["over budget"] += 1
        elif b'"errors"' in reference.body:
            kinds["error"] += 1
        else:
            kinds["answer"] += 1
        kinds["planned"] += planned
        kinds["planned and over budget"] += planned and b"RESULT_TOO_LARGE" in reference.body
    assert len({query for query, *_ in outcomes}) == CASES
    print(kinds)
    assert min(kinds["over budget"], kinds["error"]) >= CASES // 50, kinds
    assert kinds["planned"] >= CASES // 4, kinds
    # Answers with field errors were made by plans, and compared.
    assert careful_builds["with errors"] >= CASES // 20, careful_builds
    # The reported attack (a plan kept for small variables, then asked with large ones), replayed.
    assert kinds["planned and over budget"] >= 5, kinds


def test_the_measured_size_is_the_number_of_fields_execution_resolves(catalog, outcomes):
    schema = build_schema(Limits(max_resolved_fields=10**9))
    execution = schema.execution_context_class
    execution.prepared = False  # graphql-core resolves, and counts, every field
    compared = 0
    for query, variables, reference, _, _ in outcomes[:300]:
        if b'"errors"' in reference.body:
            continue  # a failing field is counted alone; execution may stop short of it
        measured = execution.build(schema._schema, parse(query), catalog, None, variables)
        size = measured.answer_size()
        executed = execution.build(schema._schema, parse(query), catalog, None, variables)
        executed.execute_operation()
        assert size == executed.resolved, query
        compared += 1
    assert compared >= 60
