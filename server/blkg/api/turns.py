"""Letting the event loop turn: how making a GraphQL answer, CPU work that holds the one event
loop, gives way to the cheap requests that arrived meanwhile (`/health`, answers from the
response cache).

Answers are made one at a time (`blkg.api.execution`); each lets the loop turn over a few
times before it starts and between its stages (parsing, validation, execution), so a cheap
request that arrives alongside is read, routed and answered after at most one stage of one
answer, not after every answer that arrived with it. `bench/refusal.py` measures `/health`
while the dearest refusals are made.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Iterator

from blkg.api.deadline import paused

# Turns a cheap request needs to be read, routed and answered, with room to spare; a turn
# with nothing to do costs microseconds.
LOOP_TURNS = 8


async def let_the_loop_turn() -> None:
    # What the loop does meanwhile is other requests' work: not on this answer's deadline.
    with paused():
        for _ in range(LOOP_TURNS):
            await asyncio.sleep(0)


@contextlib.contextmanager
def collector_held() -> Iterator[None]:
    """No automatic cyclic garbage collection while an answer is made.

    A collection that starts while an answer is made walks everything the answer holds (a
    dear query's syntax tree and validation state: tens of thousands of objects), a pause in
    the middle of a stage that nothing else can run through. Held until the answer is made,
    the collections run after it, over what is left, which is little: the answer's objects
    are freed by reference counting as it finishes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["LOOP_TURNS", "collector_held", "let_the_loop_turn"]
