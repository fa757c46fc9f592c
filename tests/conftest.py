"""Shared fixtures: the shipped graph, and the real server started by uvicorn on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, settings

from blkg.config import Settings
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningServer:
    """A `blkg serve` process on loopback, stopped when the fixture ends."""

    def __init__(self, *args: str, env: dict | None = None, port: int | None = None):
        self.port = port or free_port()  # pick the port first to put it in `env`
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "blkg", "serve", "--port", str(self.port), *args]
        # A file, not a pipe: nobody reads a pipe while the tests run, and a server whose
        # output fills the pipe's buffer blocks on its next write.
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **(env or {})},
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )

    def printed(self) -> str:
        """What the server has written to its standard output and error so far."""
        self.output.seek(0)
        return self.output.read().decode(errors="replace")

    def wait_ready(self, timeout: float = 30.0) -> RunningServer:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.printed()
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{output}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not become ready in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


@pytest.fixture(scope="session")
def server() -> Iterator[RunningServer]:
    running = RunningServer().wait_ready()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def client(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
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
