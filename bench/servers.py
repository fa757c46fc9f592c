"""The servers under test: started on loopback as separate processes, with their CPU time and
memory read from /proc."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from bench.questions import COVERAGE_BODY, COVERAGE_SPARQL

HOST = "127.0.0.1"
TICKS = os.sysconf("SC_CLK_TCK")
JSON_HEADERS = {"Content-Type": "application/json"}
SPARQL_HEADERS = {"Accept": "application/sparql-results+json"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def request(
    port: int, method: str, path: str, body: bytes | None, headers: dict, timeout: float = 30
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(_stat(int(entry))[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError):
                continue
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the process (all its threads), in seconds."""
    try:
        fields = _stat(pid)
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _private_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return sum(
                int(line.split()[1])
                for line in rollup
                if line.startswith(("Private_Clean:", "Private_Dirty:"))
            )
    except OSError:
        return 0


@dataclass
class Server:
    """One running server and the request the load generator sends it."""

    name: str
    process: subprocess.Popen
    port: int
    method: str
    path: str
    body: bytes | None
    headers: dict
    startup_s: float = 0.0
    log: Path | None = None
    notes: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.path}"

    def ask(self, timeout: float = 30) -> tuple[int, bytes]:
        return request(self.port, self.method, self.path, self.body, self.headers, timeout)

    def cpu_seconds(self) -> float:
        """CPU time of the server and its child processes (blkg's SPARQL workers)."""
        pid = self.process.pid
        return cpu_seconds(pid) + sum(cpu_seconds(child) for child in children(pid))

    def memory_mb(self) -> dict:
        pid = self.process.pid
        kids = children(pid)
        return {
            "rss_mb": _status_kb(pid, "VmRSS") / 1024,
            "children": len(kids),
            "children_rss_mb": sum(_status_kb(kid, "VmRSS") for kid in kids) / 1024,
            "children_private_mb": sum(_private_kb(kid) for kid in kids) / 1024,
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _launch(
    name: str, command: list[str], port: int, logs: Path, env: dict | None = None, **request_kw
) -> Server:
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
    server = Server(name, process, port, log=log, **request_kw)
    server.startup_s = started  # replaced by the time to the first answer in wait_answering
    return server


def wait_answering(
    server: Server, ready: Callable[[Server], bool], timeout: float = 60, poll: float = 0.005
) -> float:
    """Seconds from the launch to the first answer `ready` accepts."""
    started = server.startup_s
    deadline = started + timeout
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            log = server.log.read_text(errors="replace") if server.log else ""
            raise SystemExit(f"bench: {server.name} exited with {server.process.returncode}\n{log}")
        try:
            if ready(server):
                server.startup_s = time.perf_counter() - started
                return server.startup_s
        except OSError:
            pass
        time.sleep(poll)
    server.stop()
    raise SystemExit(f"bench: {server.name} did not answer within {timeout:.0f} s")


def _answers_200(server: Server) -> bool:
    return server.ask(timeout=5)[0] == 200


def start_blkg(name: str, logs: Path, env: dict | None = None) -> Server:
    """`blkg serve` exactly as `make serve` runs it; `env` adds settings (BLKG_*)."""
    port = free_port()
    blkg = str(Path(sys.executable).parent / "blkg")
    return _start_graphql(
        name, [blkg, "serve", "--host", HOST, "--port", str(port)], port, logs, env
    )


def start_python_server(
    name: str, module: str, args: list[str], logs: Path, env: dict | None = None
) -> Server:
    """A server of bench/ (the ceiling, or blkg with other uvicorn options) on a free port."""
    port = free_port()
    command = [sys.executable, "-m", module, "--port", str(port), *args]
    return _start_graphql(name, command, port, logs, env)


def _start_graphql(name: str, command: list[str], port: int, logs: Path, env) -> Server:
    """Launch a server that answers the coverage question at POST /graphql; wait for it."""
    server = _launch(
        name,
        command,
        port,
        logs,
        env,
        method="POST",
        path="/graphql",
        body=COVERAGE_BODY,
        headers=JSON_HEADERS,
    )
    wait_answering(server, _answers_200)
    return server


def start_oxigraph(binary: str, turtle: bytes, logs: Path) -> Server:
    """Oxigraph's server, in memory, loaded with the project's Turtle export."""
    port = free_port()
    server = _launch(
        "oxigraph",
        [binary, "serve", "--bind", f"{HOST}:{port}"],
        port,
        logs,
        method="GET",
        path="/query?query=" + quote(COVERAGE_SPARQL, safe=""),
        body=None,
        headers=SPARQL_HEADERS,
    )
    wait_answering(server, lambda s: request(s.port, "GET", "/", None, {}, 5)[0] < 500)
    status, answer = request(
        port, "POST", "/store?default", turtle, {"Content-Type": "text/turtle"}, 120
    )
    if status >= 300:
        server.stop()
        raise SystemExit(f"bench: oxigraph refused the data ({status}): {answer[:300]!r}")
    return server


__all__ = [
    "Server",
    "children",
    "cpu_seconds",
    "free_port",
    "request",
    "start_blkg",
    "start_oxigraph",
    "start_python_server",
]
