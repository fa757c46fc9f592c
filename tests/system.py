"""What the tests read off the operating system: a process's children, whether a process is
ending, its memory, and a digest of a folder that changes whenever anything in it does."""

from __future__ import annotations

import hashlib
import signal
from pathlib import Path


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` in MB (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (e.g. a server's SPARQL workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def ending(pid: int) -> bool:
    """`pid` is gone, a zombie, or has been sent SIGKILL (pending: it dies as soon as it runs),
    so whoever killed it sees it as dead before its parent has reaped it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    if fields.get("State", "").strip().startswith("Z"):
        return True
    pending = int(fields.get("SigPnd", "0"), 16) | int(fields.get("ShdPnd", "0"), 16)
    return bool(pending >> (signal.SIGKILL - 1) & 1)


def folder_digest(folder: Path) -> str:
    """Names, sizes, modification times and contents of every file under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


__all__ = ["child_pids", "ending", "folder_digest", "rss_mb"]
