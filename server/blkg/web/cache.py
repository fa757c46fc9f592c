"""A bounded least-recently-used cache of finished responses.

The dataset does not change while the server runs, so an answer computed once stays right;
the bounds keep hostile variety (many distinct queries) from growing memory without limit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class CachedResponse:
    status_code: int
    body: bytes
    etag: str
    headers: tuple[tuple[bytes, bytes], ...] = ()  # Content-Length and -Type, as ASGI sends them


class LRU(Generic[K, V]):
    """At most `max_entries` values; the least recently used goes first."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


# What an entry holds besides its body, its key and its headers: the entry object, its ETag
# and the cache's own bookkeeping (measured with sys.getsizeof, rounded up).
ENTRY_BYTES = 400


def footprint(key: bytes, entry: CachedResponse) -> int:
    """The memory one cached response holds: body, key, headers and the entry itself."""
    headers = sum(len(name) + len(value) + 100 for name, value in entry.headers)
    return ENTRY_BYTES + len(entry.body) + len(key) + len(entry.etag) + headers


class ResponseCache(LRU[bytes, CachedResponse]):
    """Finished responses under the digests of their requests, bounded by what they hold.

    Keys are digests (bytes), so a key's size does not depend on the request it stands for."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_entries: int = 2048):
        super().__init__(max_entries)
        self.max_bytes = max_bytes
        self.bytes = 0

    def put(self, key: bytes, entry: CachedResponse) -> None:
        size = footprint(key, entry)
        if size > self.max_bytes // 8:
            return  # one huge answer must not evict everything else
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= footprint(key, old)
        self._entries[key] = entry
        self.bytes += size
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            evicted_key, evicted = self._entries.popitem(last=False)
            self.bytes -= footprint(evicted_key, evicted)


class NoCache(ResponseCache):
    """Used when response caching is switched off: stores nothing."""

    def put(self, key: bytes, entry: CachedResponse) -> None:
        return None


__all__ = ["LRU", "CachedResponse", "NoCache", "ResponseCache"]
