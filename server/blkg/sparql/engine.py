"""Running SPARQL queries under a time limit without ever blocking the server.

Why worker processes: a query cannot be interrupted from inside Python (pyoxigraph holds the
thread until it finishes, and rdflib's evaluator has no cancellation either), and a thread
cannot be killed. So each query runs in a separate process, a `blkg.sparql.worker` holding
the dataset in its own pyoxigraph store. The server talks to it over pipes with asyncio, so
the event loop stays free while a query runs, and when a query passes the time limit the
server kills the process (SIGKILL, which stops it at once, whatever it is doing), answers
with a timeout error and starts a fresh worker in the background.

A small pool of workers (`Limits.sparql_workers`, default 2) lets a cheap query run while an
expensive one is still being stopped. The server starts serving once each worker is ready
(or has failed its first start). Queries wait for an idle worker in a short line of their own
(`Limits.sparql_queue`): when every worker is busy and the line is full, a query is refused at
once (`EngineBusy`) rather than holding one of the server's request slots while it waits, so
slow SPARQL cannot starve GraphQL. A query in the line waits at most as long as the time limit.

Whenever a worker ends (killed at the time limit, out of memory, killed from outside) a
replacement is started, and a start that fails (no file descriptor or memory left) is retried,
with a growing pause, for as long as it takes: the pool always comes back. The engine keeps a
few file descriptors in reserve for those starts (`blkg.sparql.descriptors`). `status` says how
many workers run and why any are missing, for `/health`.

Workers cap their address space at 1 GiB over what they hold once loaded, so a query that
needs more ends its own worker (`WorkerLost`) rather than the machine, and they die with the
server (see the worker module).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import sys
from dataclasses import dataclass

import orjson

from blkg.graph import GRAPH_NAMES, KnowledgeGraph
from blkg.sparql.descriptors import DescriptorReserve
from blkg.sparql.frames import frame, read_frame_async

SPAWN_TIMEOUT = 60.0
MEMORY_BUDGET = 1024**3  # bytes of address space a worker may add once loaded
FIRST_RETRY_SECONDS = 0.1  # pause before retrying a failed start, doubled at each failure
LAST_RETRY_SECONDS = 5.0  # ... up to this pause, then retried at this pace for ever
DESCRIPTORS_PER_START = 8  # descriptors starting one worker takes in the server (its pipes)


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


@dataclass(frozen=True)
class PoolStatus:
    """The pool at one moment: workers running out of `size`, queries running and waiting,
    and, when workers are missing because they cannot be started, why (in plain words)."""

    running: int
    size: int
    busy: int
    waiting: int
    problem: str | None

    @property
    def short(self) -> bool:
        return self.running < self.size


class EngineBusy(Exception):
    """No worker for this query: every one busy and the line full (`queue_full`), or none
    became free within the time limit."""

    def __init__(self, status: PoolStatus, queue_full: bool):
        super().__init__("queue full" if queue_full else "no worker in time")
        self.status = status
        self.queue_full = queue_full


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
        self.killed = False

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
        # A killed worker is gone at once, though its exit is only seen on the next loop turn.
        return not self.killed and self.process.returncode is None

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
        self.killed = True


class QueryEngine:
    """A pool of workers over one dataset; `run` answers one query request."""

    def __init__(
        self,
        graphs: dict[str, bytes],
        prefixes: dict[str, str],
        size: int,
        timeout: float,
        queue: int = 8,
        launcher=Worker.start,
    ):
        self.size = max(1, size)
        self.timeout = timeout
        self.queue = max(0, queue)
        self._launch = launcher  # how a worker is started: `Worker.start`, or a test's stand-in
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
        self._tasks: set[asyncio.Future] = set()
        self._reserve = DescriptorReserve(DESCRIPTORS_PER_START * self.size)
        self._busy = 0
        self._waiting = 0
        self._problem: str | None = None
        self._closed = False

    def start(self) -> list[asyncio.Future]:
        """Start the workers in the background (once); each future is done after its worker's
        first attempt to start, whether or not it succeeded."""
        if self._idle is not None:
            return []
        self._idle = asyncio.Queue()
        self._reserve.fill()
        return [self._spawn_later() for _ in range(self.size)]

    async def start_and_wait(self) -> None:
        """Start the workers and return when each is ready or has failed a first time."""
        await asyncio.gather(*self.start())

    def status(self) -> PoolStatus:
        running = sum(worker.alive for worker in self._workers)
        problem = self._problem if running < self.size else None
        return PoolStatus(running, self.size, self._busy, self._waiting, problem)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._workers):
            worker.kill()
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                await worker.process.wait()
        self._workers.clear()
        self._reserve.release()

    async def run(self, request: dict) -> Answer:
        self.start()
        worker = await self._admit()
        self._busy += 1
        try:
            answer = await asyncio.wait_for(worker.ask(orjson.dumps(request)), self.timeout)
        except TimeoutError:
            worker.kill()  # its watcher starts the replacement
            raise QueryTimeout(self.timeout) from None
        except (ConnectionError, asyncio.IncompleteReadError, orjson.JSONDecodeError):
            worker.kill()
            raise WorkerLost from None
        except BaseException:  # cancelled mid-query: the worker's state is unknown
            worker.kill()
            raise
        finally:
            self._busy -= 1
        self._idle.put_nowait(worker)
        return answer

    # -- waiting for a worker ----------------------------------------------------------------

    async def _admit(self) -> Worker:
        """An idle worker, after waiting in the line if there is room in it."""
        if self._idle.empty() and self._waiting >= self.queue:
            raise EngineBusy(self.status(), queue_full=True)
        self._waiting += 1
        try:
            return await self._idle_worker()
        finally:
            self._waiting -= 1

    async def _idle_worker(self) -> Worker:
        deadline = asyncio.get_running_loop().time() + self.timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                worker = await asyncio.wait_for(self._idle.get(), max(remaining, 0.001))
            except TimeoutError:
                raise EngineBusy(self.status(), queue_full=False) from None
            if worker.alive:
                return worker
            # died while idle: its watcher starts the replacement

    # -- keeping the pool full ---------------------------------------------------------------

    def _spawn_later(self) -> asyncio.Future:
        """Start a worker in the background, retrying until it runs; the future returned is
        done after the first attempt."""
        attempted = asyncio.get_running_loop().create_future()
        self._track(asyncio.ensure_future(self._spawn(attempted)))
        return attempted

    async def _spawn(self, attempted: asyncio.Future) -> None:
        pause = FIRST_RETRY_SECONDS
        while not self._closed:
            try:
                worker = await self._start_one()
            except Exception as error:  # a worker that cannot start must not stop the server
                self._failed(error)
                worker = None
            finally:
                if not attempted.done():
                    attempted.set_result(None)
            if worker is not None:
                self._add(worker)
                return
            await asyncio.sleep(pause)
            pause = min(2 * pause, LAST_RETRY_SECONDS)

    async def _start_one(self) -> Worker:
        # The reserve is closed in the same step of the event loop as the worker's pipes are
        # opened (nothing is awaited in between), so no connection accepted meanwhile can take
        # the descriptors it frees.
        self._reserve.release()
        try:
            return await self._launch(self._setup, self._graphs)
        finally:
            self._reserve.fill()

    def _add(self, worker: Worker) -> None:
        self._workers.add(worker)
        self._idle.put_nowait(worker)
        self._track(asyncio.ensure_future(self._watch(worker)))
        if self._problem is not None and len(self._workers) >= self.size:
            self._problem = None
            print(f"blkg: SPARQL workers running again ({self.size})", file=sys.stderr)

    async def _watch(self, worker: Worker) -> None:
        """Replace `worker` when its process ends, however it ends."""
        await worker.process.wait()
        self._workers.discard(worker)
        if not self._closed:
            self._spawn_later()

    def _failed(self, error: Exception) -> None:
        if self._problem is None:  # once per outage, not once per retry
            print(
                f"blkg: a SPARQL worker failed to start ({error!r}); retrying until it does",
                file=sys.stderr,
            )
        self._problem = _why(error)

    def _track(self, task: asyncio.Future) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _why(error: Exception) -> str:
    """Why a worker could not start, in words fit for a client (no errno, no path)."""
    if isinstance(error, OSError) and error.errno in (errno.EMFILE, errno.ENFILE):
        return "a worker could not be started: the server is out of file descriptors"
    if isinstance(error, MemoryError) or (
        isinstance(error, OSError) and error.errno in (errno.ENOMEM, errno.EAGAIN)
    ):
        return "a worker could not be started: the server is out of memory or processes"
    return "a worker could not be started"


def engine_for(graph: KnowledgeGraph) -> QueryEngine:
    """An engine over the named graphs of `graph`, configured by its settings."""
    settings = graph.settings
    graphs = {
        settings.graph_iri(name): graph.named(name).serialize(format="nt", encoding="utf-8")
        for name in GRAPH_NAMES
    }
    limits = settings.limits
    return QueryEngine(
        graphs,
        graph.prefixes,
        limits.sparql_workers,
        limits.sparql_timeout_seconds,
        limits.sparql_queue,
    )


__all__ = [
    "Answer",
    "EngineBusy",
    "PoolStatus",
    "QueryEngine",
    "QueryTimeout",
    "Worker",
    "WorkerLost",
    "engine_for",
]
