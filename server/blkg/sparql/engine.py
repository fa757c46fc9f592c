"""Running SPARQL queries under a time limit without ever blocking the server.

Why worker processes: a query cannot be interrupted from inside Python (pyoxigraph holds the
thread until it finishes, and rdflib's evaluator has no cancellation either), and a thread
cannot be killed. So each query runs in a separate process, a `blkg.sparql.worker` holding
the dataset in its own pyoxigraph store. The server talks to it over pipes with asyncio, so
the event loop stays free while a query runs, and when a query passes the time limit the
server kills the process (SIGKILL, which stops it at once, whatever it is doing), answers
with a timeout error and starts a fresh worker in the background.

A small pool of workers (`Limits.sparql_workers`, default 2) lets a cheap query run while an
expensive one is still being stopped. The server starts serving once the workers are ready.
A query waits for an idle worker at most as long as the time limit, then gets a "busy"
error. Workers cap their address space at 1 GiB over what they hold once loaded, so a query
that needs more ends its own worker (`WorkerLost`) rather than the machine, and they die
with the server (see the worker module).

Measured on the shipped data (about 4,000 triples), two CPUs, over HTTP: the coverage query
("for every responsibility, the sessions that address it") takes 6 ms median, 8 ms p90, most
of it in rdflib's parse for the read-only checks (a repeated query is answered from the cache
in under 1 ms). With a 1 s limit the runaway query is answered 504 after 1.006 s; the kill
is immediate, and the replacement worker is ready about 0.5 s later, while the other worker
goes on serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from dataclasses import dataclass

import orjson

from blkg import namespaces
from blkg.graph import GRAPH_NAMES, KnowledgeGraph
from blkg.sparql.frames import frame, read_frame_async

SPAWN_TIMEOUT = 60.0
MEMORY_BUDGET = 1024**3  # bytes of address space a worker may add once loaded


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class EngineBusy(Exception):
    """No worker became free within the time limit."""


class WorkerLost(Exception):
    """The worker died while running the query (for instance out of memory)."""


@dataclass(frozen=True)
class Answer:
    header: dict
    body: bytes


class Worker:
    """One worker process and the pipes to it."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process

    @classmethod
    async def start(cls, setup: bytes, graphs: list[bytes]) -> Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "blkg.sparql.worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        worker = cls(process)
        try:
            process.stdin.write(frame(setup) + b"".join(frame(g) for g in graphs))
            await process.stdin.drain()
            await asyncio.wait_for(worker._receive(), SPAWN_TIMEOUT)
        except BaseException:
            worker.kill()
            raise
        return worker

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def ask(self, request: bytes) -> Answer:
        self.process.stdin.write(frame(request))
        await self.process.stdin.drain()
        header, body = await self._receive()
        return Answer(header, body)

    async def _receive(self) -> tuple[dict, bytes]:
        header = orjson.loads(await read_frame_async(self.process.stdout))
        return header, await read_frame_async(self.process.stdout)

    def kill(self) -> None:
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()


class QueryEngine:
    """A pool of workers over one dataset; `run` answers one query request."""

    def __init__(
        self, graphs: dict[str, bytes], prefixes: dict[str, str], size: int, timeout: float
    ):
        self.size = max(1, size)
        self.timeout = timeout
        self._setup = orjson.dumps(
            {
                "graphs": list(graphs),
                "prefixes": prefixes,
                "memory_bytes": MEMORY_BUDGET,
                "parent": os.getpid(),
            }
        )
        self._graphs = list(graphs.values())
        self._idle: asyncio.Queue[Worker] | None = None
        self._workers: set[Worker] = set()
        self._tasks: set[asyncio.Task] = set()

    def start(self) -> list[asyncio.Future]:
        """Start the workers in the background (once); queries wait for the first ready."""
        if self._idle is not None:
            return []
        self._idle = asyncio.Queue()
        return [self._spawn_later() for _ in range(self.size)]

    async def start_and_wait(self) -> None:
        """Start the workers and return when they are ready (or have given up)."""
        await asyncio.gather(*self.start())

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._workers):
            worker.kill()
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                await worker.process.wait()
        self._workers.clear()

    async def run(self, request: dict) -> Answer:
        self.start()
        worker = await self._idle_worker()
        try:
            answer = await asyncio.wait_for(worker.ask(orjson.dumps(request)), self.timeout)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(self.timeout) from None
        except (ConnectionError, asyncio.IncompleteReadError, orjson.JSONDecodeError):
            self._replace(worker)
            raise WorkerLost from None
        except BaseException:  # cancelled mid-query: the worker's state is unknown
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return answer

    async def _idle_worker(self) -> Worker:
        deadline = asyncio.get_running_loop().time() + self.timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                worker = await asyncio.wait_for(self._idle.get(), max(remaining, 0.001))
            except TimeoutError:
                raise EngineBusy from None
            if worker.alive:
                return worker
            self._replace(worker)  # died while idle

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        self._workers.discard(worker)
        self._track(asyncio.ensure_future(worker.process.wait()))
        self._spawn_later()

    def _spawn_later(self) -> asyncio.Future:
        task = asyncio.ensure_future(self._spawn())
        self._track(task)
        return task

    async def _spawn(self, attempts: int = 5) -> None:
        for attempt in range(attempts):
            try:
                worker = await Worker.start(self._setup, self._graphs)
            except Exception as error:  # a broken worker must not stop the server starting
                print(f"blkg: SPARQL worker failed to start: {error!r}", file=sys.stderr)
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            self._workers.add(worker)
            self._idle.put_nowait(worker)
            return

    def _track(self, task: asyncio.Future) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def engine_for(graph: KnowledgeGraph) -> QueryEngine:
    """An engine over the named graphs of `graph`, configured by its settings."""
    settings = graph.settings
    graphs = {
        settings.graph_iri(name): graph.named(name).serialize(format="nt", encoding="utf-8")
        for name in GRAPH_NAMES
    }
    prefixes = dict(namespaces.STANDARD)
    prefixes.update({p: settings.instance_base + path for p, path in namespaces.INSTANCE.items()})
    prefixes["id"] = settings.instance_base
    limits = settings.limits
    return QueryEngine(graphs, prefixes, limits.sparql_workers, limits.sparql_timeout_seconds)


__all__ = [
    "Answer",
    "EngineBusy",
    "QueryEngine",
    "QueryTimeout",
    "Worker",
    "WorkerLost",
    "engine_for",
]
