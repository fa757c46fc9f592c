"""Getting `blkg serve` ready quickly, without serving anything that has not been validated.

Two things make start-up slow on a small machine, and both are handled here:

- Validation (pySHACL) is a large part of start-up (`bench/README.md` has the figures: the
  growth table's load and validation times, and the time to the first answer) and needs only
  the loaded graph, while building the application (the GraphQL schema, the read layer, the
  linked-data views) needs only the same graph. So the graph is validated in a forked child
  process, a copy of the very graph that will be served, while the parent builds the
  application on the other core. The parent waits for the child's verdict before it returns:
  a graph with violations is refused exactly as `load_knowledge_graph` refuses it, and
  validation runs in full at every start. Where `fork` is not available, or the child fails,
  the parent validates by itself.
- Start-up allocates many long-lived objects (the graph's terms and triples, the read layer,
  the schema), and the cyclic garbage collector would walk all of them again and again. It is
  paused while the application is built; afterwards the objects that exist are frozen
  (`gc.freeze`), so the collections that run while the server answers requests only look at
  what requests allocate.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from blkg.config import Settings
from blkg.errors import ValidationFailed
from blkg.graph import KnowledgeGraph, graph_violations, load_knowledge_graph
from blkg.validation import Problem

App = TypeVar("App")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection inside the block; freeze what survives it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class ConcurrentValidation:
    """The violations of `graph`, found by a forked child while the parent goes on working."""

    def __init__(self, graph: KnowledgeGraph):
        self.graph = graph
        self.pid: int | None = None
        self.pipe: int | None = None
        if hasattr(os, "fork") and threading.active_count() == 1:
            self._fork()

    def _fork(self) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: validate, report, and leave without running any cleanup
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    out.write(pickle.dumps(graph_violations(self.graph)))
            finally:  # whatever happens, the child never returns into the caller's code
                os._exit(0)
        os.close(write)
        self.pid, self.pipe = pid, read

    def violations(self) -> list[Problem]:
        """Wait for the child's verdict (or validate here, if there is no child's verdict)."""
        if self.pid is None:
            return graph_violations(self.graph)
        with os.fdopen(self.pipe, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(self.pid, 0)
        self.pid = None
        try:
            return pickle.loads(payload)
        except Exception:  # the child failed or died (no verdict): validate here instead
            return graph_violations(self.graph)


def build_validated(settings: Settings, build: Callable[[KnowledgeGraph], App]) -> App:
    """Load the graph, then build the application from it while the graph is validated.

    Raises `ValidationFailed` (and builds nothing that is served) when the graph has
    violations, like `load_knowledge_graph`.
    """
    with collector_paused():
        graph = load_knowledge_graph(settings, check=False)
        validation = ConcurrentValidation(graph)
        try:
            app = build(graph)
        except Exception:  # invalid data may break the build: the violations say why
            violations = validation.violations()
            if violations:
                raise ValidationFailed(violations) from None
            raise
        violations = validation.violations()
        if violations:
            raise ValidationFailed(violations)
        return app


def served_app(settings: Settings):
    """The application `blkg serve` runs, built while its graph is validated."""
    return build_validated(settings, _create_app)


def _create_app(graph: KnowledgeGraph):
    # Imported here, after the fork: the validating child needs none of it.
    from blkg.app import create_app

    return create_app(graph)


__all__ = ["ConcurrentValidation", "build_validated", "collector_paused", "served_app"]
