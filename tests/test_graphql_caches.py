"""The GraphQL caches stay within their bounds in bytes, counted by what they really hold:
hostile variety (thousands of distinct queries padded with comments) cannot grow memory past
them. Memory is measured with tracemalloc, which counts allocations, not time."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import tracemalloc

import orjson
import pytest

from blkg.api.documents import PLAN_BYTES_PER_FIELD, DocumentCache, nodes
from blkg.api.execution import GraphQLService
from blkg.api.schema import build_schema
from blkg.config import Limits
from blkg.read import build_catalog
from blkg.web.cache import CachedResponse, ResponseCache, footprint

BOUND = 2 * 1024 * 1024
# What the measurement itself allocates besides the caches (the interpreter's own caches,
# the last request's garbage): a fixed allowance, small beside the bound.
SLACK = 512 * 1024


def padded(n: int, padding: str) -> str:
    """A distinct valid query, padded to about 8 KB in the given way."""
    filler = {
        "comment lines": "#ccccccccccc\n" * 600,
        "one long comment": "#" + "x" * 8_000 + "\n",
        "whitespace": " " * 8_000,
        "commas": "," * 8_000,
    }[padding]
    return f"{{ framework {{ name }} {filler} a{n}: sessions {{ number }} }}"


@pytest.fixture(scope="module")
def catalog(graph):
    return build_catalog(graph.union(), graph.settings.instance_base)


def grown_while(action) -> int:
    """Bytes still allocated after `action()` that were not before it."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        action()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("padding", ["comment lines", "one long comment", "whitespace", "commas"])
def test_distinct_padded_queries_hold_no_more_than_the_document_cache_bound(catalog, padding):
    schema = build_schema(Limits(graphql_document_cache_bytes=BOUND))
    service = GraphQLService(schema, catalog, schema.documents, 20_000)
    queries = [padded(n, padding) for n in range(150)]

    async def ask_all():
        for query in queries:
            for _ in range(2):  # a document is kept from its second sighting
                answer = await service.answer(query, None, None)
                assert answer.status == 200

    grown = grown_while(lambda: asyncio.run(ask_all()))
    assert schema.documents.bytes <= BOUND
    assert len(schema.documents) > 0
    assert grown <= BOUND + SLACK, f"grew {grown:,} bytes against a bound of {BOUND:,}"


def test_the_document_cache_charges_at_least_what_a_document_really_holds():
    cache = DocumentCache(10**9)
    query = padded(0, "comment lines")
    grown = grown_while(lambda: [cache.parse(query) for _ in range(2)])  # kept the second time
    assert 0 < grown <= cache.get(query).bytes


def unknown_fields(n: int, count: int) -> str:
    return f"{{ a{n}: framework {{ " + " ".join(f"nmae{k}" for k in range(count)) + " } }"


def test_validation_errors_are_charged_to_their_document(catalog):
    schema = build_schema(Limits(graphql_document_cache_bytes=64 * 1024 * 1024))
    service = GraphQLService(schema, catalog, schema.documents, 20_000)
    queries = [unknown_fields(n, 30) for n in range(60)]

    async def ask_all():
        for query in queries:
            for _ in range(2):
                assert (await service.answer(query, None, None)).status == 400

    grown = grown_while(lambda: asyncio.run(ask_all()))
    assert len(schema.documents) == len(queries)
    assert grown <= schema.documents.bytes + SLACK


def test_validation_stops_after_the_most_errors_allowed(catalog):
    schema = build_schema(Limits(max_validation_errors=5))
    service = GraphQLService(schema, catalog, schema.documents, 20_000)
    answer = asyncio.run(service.answer(unknown_fields(0, 40), None, None))
    errors = orjson.loads(answer.body)["errors"]
    assert answer.status == 400 and len(errors) == 6
    assert "error limit reached" in errors[-1]["message"]


def test_a_document_is_kept_from_its_second_sighting():
    cache = DocumentCache(BOUND)
    query = padded(0, "whitespace")
    first = cache.parse(query)
    assert cache.get(query) is None
    second = cache.parse(query)
    assert second is not first
    assert cache.get(query) is second
    assert cache.parse(query) is second


@pytest.mark.parametrize("padding", ["comment lines", "one long comment"])
def test_kept_documents_hold_no_tokens(padding):
    cache = DocumentCache(BOUND)
    query = padded(0, padding)
    for _ in range(2):
        tree = cache.parse(query).tree
    locations = [node.loc for node in nodes(tree)]
    assert all(loc is not None for loc in locations)
    assert all(loc.start_token is None and loc.end_token is None for loc in locations)


def test_errors_from_a_kept_document_keep_their_line_and_column(catalog):
    schema = build_schema(Limits())
    service = GraphQLService(schema, catalog, schema.documents, 20_000)
    query = "{\n  framework {\n    nmae\n  }\n}"

    async def ask_thrice():
        return [await service.answer(query, None, None) for _ in range(3)]

    answers = asyncio.run(ask_thrice())
    assert schema.documents.get(query) is not None
    assert {answer.body for answer in answers} == {answers[0].body}
    assert b'"locations":[{"line":3,"column":5}]' in answers[0].body


def test_one_off_documents_leave_nothing_for_the_garbage_collector(catalog):
    """Hostile variety (every query distinct, every one refused) grows no heap that the
    collector's full collections walk: their pauses delay every other request."""
    schema = build_schema(Limits())
    service = GraphQLService(schema, catalog, schema.documents, 20_000)
    nested = "number"
    for level in range(6, 0, -1):
        nested = f"{'sessions' if level % 2 else 'responsibilities'} {{ {nested} }}"

    async def refuse(numbers):
        for n in numbers:
            query = f"{{ a{n}: responsibilities {{ {nested} }} }}"
            answer = await service.answer(query, None, None)
            assert answer.status == 400

    asyncio.run(refuse(range(20)))  # what the first requests build once
    gc.collect()
    before = len(gc.get_objects())
    asyncio.run(refuse(range(20, 520)))
    gc.collect()
    assert len(gc.get_objects()) - before < 100


def test_a_document_whose_plan_grows_it_past_an_eighth_of_the_bound_is_dropped():
    cache = DocumentCache(BOUND)
    small, large = padded(0, "whitespace"), padded(1, "whitespace")
    for query in (small, small, large, large):
        cache.parse(query)
    entry = cache.get(large)
    cache.charge(entry, plan_fields=BOUND // 8 // PLAN_BYTES_PER_FIELD)
    assert cache.get(large) is None
    assert cache.get(small) is not None
    assert cache.bytes == cache.get(small).bytes


def test_sightings_are_bounded():
    cache = DocumentCache(BOUND)
    for n in range(3 * cache.max_sightings):
        cache.parse(f"{{ a{n}: framework {{ name }} }}")
    assert len(cache._sightings) <= cache.max_sightings
    assert len(cache) == 0


def test_the_response_cache_charges_keys_bodies_and_headers():
    cache = ResponseCache(max_bytes=BOUND)
    body = b"x" * 1000
    entries = []
    for n in range(10_000):
        key = hashlib.sha256(str(n).encode()).digest()
        entry = CachedResponse(200, body + str(n).encode(), f'"{n}"', ((b"a", b"b"),))
        entries.append((key, entry))
        cache.put(key, entry)
    assert cache.bytes <= BOUND
    assert cache.bytes == sum(footprint(k, e) for k, e in entries if cache.get(k) is e)


def test_the_response_cache_charges_at_least_what_an_entry_really_holds():
    def fill(cache):
        for n in range(1000):
            key = hashlib.sha256(str(n).encode()).digest()
            cache.put(key, CachedResponse(200, b"y" * 500 + str(n).encode(), f'"{n:040}"'))

    cache = ResponseCache(max_bytes=10**9, max_entries=10**6)
    grown = grown_while(lambda: fill(cache))
    assert grown <= cache.bytes
