"""Shared fixtures: the shipped graph, the real server started by uvicorn on a free port, and
the HTTP clients and child processes the tests use, each closed whatever a test does."""

from __future__ import annotations

import contextlib
import inspect
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from hypothesis import HealthCheck, settings

from blkg.cli import UVICORN_OPTIONS, uvicorn_options
from blkg.config import Limits, Settings
from blkg.graph import KnowledgeGraph, load_knowledge_graph
from blkg.resources import default_data_dir
from tests import figures

ROOT = Path(__file__).resolve().parent.parent

# Property-based tests run the same examples on every run and machine (derandomize), with no
# example database, no per-example deadline (they speak HTTP to a real server on a busy CI
# machine) and a small example budget each test may raise for itself.
settings.register_profile(
    "blkg",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=50,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("blkg")


@pytest.fixture(scope="session")
def graph() -> KnowledgeGraph:
    return load_knowledge_graph(Settings())


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return default_data_dir()


@pytest.fixture
def data_copy(tmp_path: Path, data_dir: Path) -> Path:
    """A copy of the shipped data folder that a test may edit."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    return copy


def blkg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`blkg ARGS...` run as a user runs it, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "blkg", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- HTTP clients --------------------------------------------------------------------------

# uvicorn closes a kept-alive connection once it has been idle for `timeout_keep_alive`. A
# request sent on a connection about that old can reach the server just as it closes it: a
# socket closed with the request still unread answers it with a reset (httpx.ReadError,
# "Connection reset by peer"), and the busier the server's event loop, the wider that window.
# httpx's default expiry equals uvicorn's timeout (5 s), so the tests' clients give idle
# connections up well before the server would close them.
SERVER_KEEPALIVE_SECONDS = UVICORN_OPTIONS.get(
    "timeout_keep_alive",
    inspect.signature(uvicorn.Config).parameters["timeout_keep_alive"].default,
)
CLIENT_KEEPALIVE_SECONDS = SERVER_KEEPALIVE_SECONDS / 5


def client_limits(connections: int = 100, kept: int = 20) -> httpx.Limits:
    """Connection limits for a client of `blkg serve` (httpx's defaults for the counts): at
    most `connections`, `kept` of them kept alive, none kept idle long enough to race the
    server's keep-alive close."""
    return httpx.Limits(
        max_connections=connections,
        max_keepalive_connections=kept,
        keepalive_expiry=CLIENT_KEEPALIVE_SECONDS,
    )


def http_client(url: str, timeout: float = 30) -> httpx.Client:
    """A client of the server at `url` (use it in a `with` block: it holds sockets)."""
    return httpx.Client(base_url=url, timeout=timeout, limits=client_limits())


# -- waiting for an event -----------------------------------------------------------------


@contextlib.contextmanager
def serving_in_thread(app, limits: Limits) -> Iterator[int]:
    """The port of an in-process uvicorn serving `app` on guarded connections with `limits`,
    for a block (for tests of the connection layer itself, with an application of their own)."""
    port = free_port()
    options = {**uvicorn_options(limits), "log_config": None}  # leave the tests' logging be
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started or not thread.is_alive(), "the server to start")
        assert server.started, "the server did not start"
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def wait_for(condition: Callable[[], object], what: str, timeout: float = 120.0) -> None:
    """Return once `condition()` holds, polling; `timeout` only guards against a hang (an
    AssertionError naming `what`), it is never a measurement."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout:g} s")
        time.sleep(0.02)  # poll interval


# -- child processes -----------------------------------------------------------------------


@contextlib.contextmanager
def child_process(command: list[str], **options) -> Iterator[subprocess.Popen]:
    """`subprocess.Popen(command, **options)` for the duration of a block: when the block ends,
    however it ends, the process is killed if it still runs (SIGKILL ends a stopped process
    too), waited for, and its pipes closed, so a failing test leaves nothing behind for the
    next test to trip over (pytest turns an unclosed pipe's ResourceWarning into an error)."""
    with subprocess.Popen(command, **options) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
            # Popen.__exit__ closes the pipes and waits.


class RunningServer:
    """A `blkg serve` process on loopback. Use it as a context manager (`with RunningServer()
    as server:`), which waits until it answers and stops it at the end, or call `wait_ready`
    and `stop` in a `try`/`finally`; a server that fails to start is stopped before the error
    is raised, so nothing of it outlives the failure."""

    def __init__(self, *args: str, env: dict | None = None, port: int | None = None):
        self.port = port or free_port()  # pick the port first to put it in `env`
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "blkg", "serve", "--port", str(self.port), *args]
        # A file, not a pipe: nobody reads a pipe while the tests run, and a server whose
        # output fills the pipe's buffer blocks on its next write.
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        try:
            self.process = subprocess.Popen(
                command,
                env={**os.environ, **(env or {})},
                stdout=self.output,
                stderr=subprocess.STDOUT,
            )
        except BaseException:
            self.output.close()
            raise

    def __enter__(self) -> RunningServer:
        return self.wait_ready()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def printed(self) -> str:
        """What the server has written to its standard output and error so far."""
        if self.output.closed:
            return ""
        self.output.seek(0)
        return self.output.read().decode(errors="replace")

    def wait_ready(self, timeout: float = 120.0) -> RunningServer:
        """Return once `/health` answers 200; `timeout` only guards against a server that never
        does (a start takes seconds, far longer on a busy machine)."""
        try:
            self._poll_health(time.monotonic() + timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _poll_health(self, deadline: float) -> None:
        while True:
            if self.process.poll() is not None:
                output = self.printed()
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{output}")
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not answer /health in time:\n{self.printed()}")
            time.sleep(0.05)  # poll interval

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


@pytest.fixture(scope="session")
def server() -> Iterator[RunningServer]:
    with RunningServer() as running:
        yield running


@pytest.fixture(scope="session")
def client(server: RunningServer) -> Iterator[httpx.Client]:
    with http_client(server.url) as http:
        yield http


def graphql(client: httpx.Client, query: str, variables: dict | None = None) -> dict:
    """POST a query and return the decoded JSON body (whatever the status)."""
    response = client.post("/graphql", json={"query": query, "variables": variables})
    return response.json()


def pytest_terminal_summary(terminalreporter) -> None:
    """Print what the fuzzing, abuse, overload and soak tests measured."""
    recorded = figures.lines()
    if recorded:
        terminalreporter.section("hardening figures")
        for line in recorded:
            terminalreporter.write_line(line)
