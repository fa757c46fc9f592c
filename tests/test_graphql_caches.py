"""The GraphQL caches stay within their bounds in bytes, counted by what they really hold:
hostile variety (thousands of distinct queries padded with comments) cannot grow memory past
them. Memory is measured with tracemalloc, which counts allocations, not time."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import tracemalloc

import pytest

from blkg.api.documents import DocumentCache
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
            answer = await service.answer(query, None, None)
            assert answer.status == 200

    grown = grown_while(lambda: asyncio.run(ask_all()))
    assert schema.documents.bytes <= BOUND
    assert len(schema.documents) > 0
    assert grown <= BOUND + SLACK, f"grew {grown:,} bytes against a bound of {BOUND:,}"


def test_the_document_cache_charges_at_least_what_a_document_really_holds():
    cache = DocumentCache(10**9)
    query = padded(0, "comment lines")
    charged: list[int] = []
    grown = grown_while(lambda: charged.append(cache.parse(query).bytes))
    assert grown <= charged[0]


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
