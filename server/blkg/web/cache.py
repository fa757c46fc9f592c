"""A bounded least-recently-used cache of finished responses.

The dataset does not change while the server runs, so an answer computed once stays right;
the bounds keep hostile variety (many distinct queries) from growing memory without limit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class CachedResponse:
    status_code: int
    body: bytes
    etag: str


class ResponseCache:
    def __init__(self, max_entries: int = 2048, max_bytes: int = 64 * 1024 * 1024):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, CachedResponse] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> CachedResponse | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, entry: CachedResponse) -> None:
        if len(entry.body) > self.max_bytes // 8:
            return  # one huge answer must not evict everything else
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._entries[key] = entry
        self._bytes += len(entry.body)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.body)


class NoCache(ResponseCache):
    """Used when response caching is switched off: stores nothing."""

    def put(self, key: Hashable, entry: CachedResponse) -> None:
        return None


__all__ = ["CachedResponse", "NoCache", "ResponseCache"]
