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
    headers: tuple[tuple[bytes, bytes], ...] = ()  # Content-Length and -Type, as ASGI sends them


class LRU:
    """At most `max_entries` values; the least recently used goes first."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, object] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def get(self, key: Hashable):
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, value) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


class ResponseCache(LRU):
    """Finished responses, bounded by count and by total body size."""

    def __init__(self, max_entries: int = 2048, max_bytes: int = 64 * 1024 * 1024):
        super().__init__(max_entries)
        self.max_bytes = max_bytes
        self._bytes = 0

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


__all__ = ["LRU", "CachedResponse", "NoCache", "ResponseCache"]
