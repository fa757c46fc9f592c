"""Running wrk against one server and reading its report."""

from __future__ import annotations

import re
import resource
import subprocess
import tempfile
from pathlib import Path

from bench.servers import TICKS, Server

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
LATENCY = re.compile(r"^\s*(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)


def busy_cpu() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(n) for n in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
    return (sum(fields[:8]) - idle) / TICKS


def _own_cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (wrk)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def lua_script(server: Server) -> str:
    """wrk's request for `server`: method, headers and body."""
    lines = [f'wrk.method = "{server.method}"']
    for name, value in server.headers.items():
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    if server.body is not None:
        lines.append(f"wrk.body = [==[{server.body.decode()}]==]")
    return "\n".join(lines) + "\n"


def parse(output: str) -> dict:
    """Requests/s, latency percentiles (ms) and errors from wrk's --latency report."""
    result: dict = {f"p{p}_ms": float(v) * UNITS[u] for p, v, u in LATENCY.findall(output)}
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["socket_errors"] = sum(int(n) for n in sockets.groups()) if sockets else 0
    return result


def run(wrk: str, server: Server, duration: float, connections: int = 32, threads: int = 2) -> dict:
    """One wrk run; adds the server's CPU seconds (server and children) during the run."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(server))
    try:
        command = [
            wrk,
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{duration:g}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            script.name,
            server.url,
        ]
        cpu_before, ours_before, busy_before = server.cpu_seconds(), _own_cpu(), busy_cpu()
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        cpu = server.cpu_seconds() - cpu_before
        other = busy_cpu() - busy_before - cpu - (_own_cpu() - ours_before)
    finally:
        Path(script.name).unlink(missing_ok=True)
    if completed.returncode != 0 or "Requests/sec" not in completed.stdout:
        raise SystemExit(f"bench: wrk failed against {server.name}:\n{completed.stderr}")
    result = parse(completed.stdout)
    result["cpu_s"] = cpu
    result["other_cpu_s"] = max(other, 0.0)
    result["rps_per_cpu_s"] = result["requests"] / cpu if cpu > 0 else None
    return result


__all__ = ["lua_script", "parse", "run"]
