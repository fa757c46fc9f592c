"""The tools the benchmark needs, installed on first use: wrk (Debian) and the oxigraph server
(PyPI, into the project's virtualenv)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

OXIGRAPH_REQUIREMENT = "oxigraph>=0.5,<0.6"


def _as_root(command: list[str]) -> list[str]:
    if os.geteuid() == 0 or shutil.which("sudo") is None:
        return command
    return ["sudo", *command]


def ensure_wrk() -> str:
    """The path of `wrk`, installed from Debian's packages when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("bench: installing wrk (apt-get install wrk)", flush=True)
    install = _as_root(["apt-get", "install", "-y", "-q", "wrk"])
    if subprocess.run(install, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(_as_root(["apt-get", "update", "-q"]), stdout=subprocess.DEVNULL)
        subprocess.run(install, stdout=subprocess.DEVNULL, check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench: wrk is not installed and could not be installed")
    return found


def ensure_oxigraph() -> str:
    """The path of the `oxigraph` server binary, pip-installed beside this Python if missing."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        print(f"bench: installing the oxigraph server (pip install '{OXIGRAPH_REQUIREMENT}')")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", OXIGRAPH_REQUIREMENT], check=True
        )
    if not binary.exists():
        raise SystemExit(f"bench: {binary} is missing after installing {OXIGRAPH_REQUIREMENT}")
    return str(binary)


def version(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True)
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else ""


__all__ = ["ensure_oxigraph", "ensure_wrk", "version"]
