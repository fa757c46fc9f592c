"""File-descriptor headroom: what lets the server start a SPARQL worker when clients have taken
every other descriptor the process may open.

Starting a worker takes a few descriptors (its pipes). A client that opens connections until
the server reaches its limit of open files (`ulimit -n`) would otherwise leave none for that,
and a worker that ends (a query past the time limit is ended by killing its worker) could not
be replaced. So the engine holds a `DescriptorReserve`: descriptors opened on /dev/null that it
closes just before it starts a worker, in the same step of the event loop (no connection can
be accepted in between), and opens again afterwards.

`free_descriptors` tells how many descriptors the process may still open, for whoever accepts
connections: it should stop taking new ones while fewer than `ACCEPT_HEADROOM` are free, which
leaves room for what answering needs (files of static assets, worker starts past the reserve).
"""

from __future__ import annotations

import contextlib
import os
import resource

ACCEPT_HEADROOM = 32  # descriptors to leave free when accepting connections


class DescriptorReserve:
    """Up to `count` descriptors held open, to be handed back at the moment they are needed."""

    def __init__(self, count: int):
        self.count = count
        self._held: list[int] = []

    @property
    def held(self) -> int:
        return len(self._held)

    def fill(self) -> None:
        """Open descriptors until `count` are held, or until none is left to open."""
        while len(self._held) < self.count:
            try:
                self._held.append(os.open(os.devnull, os.O_RDONLY))
            except OSError:
                return

    def release(self) -> None:
        """Close every descriptor held, so that the next ones opened can take their places."""
        while self._held:
            with contextlib.suppress(OSError):
                os.close(self._held.pop())


def free_descriptors() -> int | None:
    """How many more descriptors this process may open; None where that cannot be told."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        open_now = len(os.listdir("/proc/self/fd")) - 1  # less the one listdir itself opened
    except FileNotFoundError:
        return None  # no /proc
    except OSError:
        return 0  # listing needs a descriptor too: none left
    return max(0, soft - open_now)


__all__ = ["ACCEPT_HEADROOM", "DescriptorReserve", "free_descriptors"]
