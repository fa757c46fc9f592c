"""`blkg export --out FILE` writes atomically: an export that fails or is interrupted in the
middle of writing leaves an existing FILE as it was, and cleans up after itself.

The failures are real and land inside the write: a file-size limit (RLIMIT_FSIZE) smaller
than the export makes `write()` fail part-way (EFBIG); with SIGXFSZ at its default action the
kernel kills the process in that same `write()`; and a process caught (by polling for its
temporary file) between creating and renaming it is stopped, then sent SIGTERM or SIGINT.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from blkg.export import serialize

PRECIOUS = b"precious: the previous export\n"
SIZE_LIMIT = 100_000  # bytes; the Turtle export is more than twice that


def export_to(out: Path, *, preexec=None, code: str | None = None) -> subprocess.Popen:
    command = (
        [sys.executable, "-m", "blkg"]
        if code is None
        else [sys.executable, "-c", code]  # the same CLI, run with one signal reset first
    )
    return subprocess.Popen(
        [*command, "export", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=preexec,
    )


def limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (SIZE_LIMIT, resource.RLIM_INFINITY))


def leftovers(folder: Path, out: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != out)


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    out = tmp_path / "graph.ttl"
    out.write_bytes(PRECIOUS)
    out.chmod(0o640)
    return out


def test_a_successful_export_replaces_the_file_whole_keeping_its_permissions(graph, existing):
    process = export_to(existing)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert existing.read_bytes() == serialize(graph, "turtle", "all")
    assert existing.stat().st_mode & 0o777 == 0o640
    assert leftovers(existing.parent, existing) == []


def test_an_export_that_fails_mid_write_leaves_the_file_untouched(existing):
    process = export_to(existing, preexec=limit_file_size)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 2
    assert stderr.decode().strip() == f"blkg: {existing}: File too large"
    assert existing.read_bytes() == PRECIOUS
    assert leftovers(existing.parent, existing) == []


KILLED_BY_SIGXFSZ = (
    "import signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_DFL); "
    "from blkg.cli import main; sys.exit(main(sys.argv[1:]))"
)


def test_an_export_killed_mid_write_leaves_the_file_untouched(existing):
    process = export_to(existing, preexec=limit_file_size, code=KILLED_BY_SIGXFSZ)
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGXFSZ  # killed inside write(), no clean-up ran
    assert existing.read_bytes() == PRECIOUS
    left = leftovers(existing.parent, existing)
    assert all(name.startswith(f".{existing.name}.") for name in left)  # hidden, never FILE


@pytest.mark.parametrize(
    ("signum", "exit_code"),
    [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)],
    ids=["SIGTERM", "SIGINT"],
)
def test_an_export_interrupted_mid_write_cleans_up(graph, existing, signum, exit_code):
    for _attempt in range(5):
        process = export_to(existing)
        caught = None
        while process.poll() is None and caught is None:
            caught = next(iter(leftovers(existing.parent, existing)), None)
        if caught is None:  # finished before the poll saw its temporary file: try again
            process.communicate()
            existing.write_bytes(PRECIOUS)
            continue
        process.send_signal(signal.SIGSTOP)
        try:
            assert existing.read_bytes() == PRECIOUS  # mid-write, FILE is still the old one
        finally:
            process.send_signal(signum)
            process.send_signal(signal.SIGCONT)
        process.communicate(timeout=60)
        break
    else:
        pytest.skip("the export's temporary file was never caught in five runs")
    assert process.returncode == exit_code
    assert existing.read_bytes() in (PRECIOUS, serialize(graph, "turtle", "all"))
    time.sleep(0.1)
    assert leftovers(existing.parent, existing) == []
    assert os.path.exists(existing)
