"""A deadline on the CPU time one GraphQL answer may take: the backstop for work no limit
counts.

The document limits bound what a query can say, the list limit what it can pass, and the field
budget (`blkg.api.budget`) how big its answer can be; what a resolver does per field, or how
much slower one execution path is than another, none of them sees. So while an answer is made
(`blkg.api.execution`), the CPU time of the thread making it is checked as the answer grows:
by the size count per object, by the prepared plans per object and by graphql-core per field.
Past `Limits.graphql_timeout_seconds` (`BLKG_GRAPHQL_TIMEOUT`) the answer stops at once and
the request is refused with code `QUERY_TIMEOUT` and no data. CPU time, not wall time: a
machine that is busy elsewhere does not make a cheap answer late; and the turns of the event
loop an answer gives to other requests (`blkg.api.turns`) are `paused`: their work is theirs.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

from graphql import GraphQLError

from blkg.codes import Code

CODE = Code.QUERY_TIMEOUT
# Reading the thread's CPU clock is a system call: it is read every so many checks.
CHECK_EVERY = 16

# The deadline in force: [CPU time it ends at, its length, whether it has passed].
_LIMIT: ContextVar[list[float | bool] | None] = ContextVar("blkg_deadline", default=None)
_checks = 0


class TooSlow(GraphQLError):
    """The answer took more CPU time than one answer may."""

    def __init__(self, seconds: float):
        super().__init__(
            f"The answer took more than {seconds * 1000:,.0f} ms of the server's time to make, "
            "the most one query may take. Ask for less in one query (fewer nested lists, "
            "fewer aliases of a costly field), or split it.",
            extensions={"code": CODE},
        )


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Checks inside the block raise `TooSlow` once the thread has used `seconds` of CPU."""
    token = _LIMIT.set([time.thread_time() + seconds, seconds, False])
    try:
        yield
    finally:
        _LIMIT.reset(token)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The deadline in force does not run inside the block: the thread's CPU time there (the
    event loop turning over to other requests while an answer waits) is not this answer's."""
    limit = _LIMIT.get()
    before = time.thread_time()
    try:
        yield
    finally:
        if limit is not None:
            limit[0] += time.thread_time() - before


def check() -> None:
    """Raise `TooSlow` if the deadline in force has passed: the clock is read every
    `CHECK_EVERY` calls, and once it has passed every call raises, so work stops at once."""
    global _checks
    limit = _LIMIT.get()
    if limit is None:
        return
    if not limit[2]:
        _checks += 1
        if _checks % CHECK_EVERY or time.thread_time() <= limit[0]:
            return
        limit[2] = True
    raise TooSlow(limit[1])


__all__ = ["CHECK_EVERY", "CODE", "TooSlow", "check", "deadline", "paused"]
