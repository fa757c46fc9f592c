"""`blkg export --out FILE` writes atomically: an export that fails or is interrupted in the
middle of writing leaves an existing FILE as it was, and cleans up after itself.

The failures are real and land inside the write: a file-size limit (RLIMIT_FSIZE) smaller
than the export makes `write()` fail part-way (EFBIG); with SIGXFSZ at its default action the
kernel kills the process in that same `write()`; and an export that stops itself (SIGSTOP) at
a chosen step between creating its temporary file and renaming it is looked at while stopped,
then sent SIGTERM or SIGINT and continued. The process stops at the step itself and the test
waits for the stop (waitpid), so every run sees the same state: no poll races the rename.
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
from tests.conftest import child_process

PRECIOUS = b"precious: the previous export\n"
SIZE_LIMIT = 100_000  # bytes; the Turtle export is more than twice that
WAIT_GUARD_SECONDS = 120  # only guards against a hang


def export_command(out: Path, code: str | None = None) -> list[str]:
    """`blkg export --out OUT`, or the same CLI run by `code` (which changes one thing first)."""
    start = [sys.executable, "-m", "blkg"] if code is None else [sys.executable, "-c", code]
    return [*start, "export", "--out", str(out)]


def exporting(out: Path, *, preexec=None, code: str | None = None):
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return child_process(export_command(out, code), preexec_fn=preexec, **pipes)


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
    with exporting(existing) as process:
        _, stderr = process.communicate(timeout=WAIT_GUARD_SECONDS)
    assert process.returncode == 0, stderr
    assert existing.read_bytes() == serialize(graph, "turtle", "all")
    assert existing.stat().st_mode & 0o777 == 0o640
    assert leftovers(existing.parent, existing) == []


def test_an_export_that_fails_mid_write_leaves_the_file_untouched(existing):
    with exporting(existing, preexec=limit_file_size) as process:
        _, stderr = process.communicate(timeout=WAIT_GUARD_SECONDS)
    assert process.returncode == 2
    assert stderr.decode().strip() == f"blkg: {existing}: File too large"
    assert existing.read_bytes() == PRECIOUS
    assert leftovers(existing.parent, existing) == []


KILLED_BY_SIGXFSZ = (
    "import signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_DFL); "
    "from blkg.cli import main; sys.exit(main(sys.argv[1:]))"
)


def test_an_export_killed_mid_write_leaves_the_file_untouched(existing):
    with exporting(existing, preexec=limit_file_size, code=KILLED_BY_SIGXFSZ) as process:
        process.communicate(timeout=WAIT_GUARD_SECONDS)
    assert process.returncode == -signal.SIGXFSZ  # killed inside write(), no clean-up ran
    assert existing.read_bytes() == PRECIOUS
    left = leftovers(existing.parent, existing)
    assert all(name.startswith(f".{existing.name}.") for name in left)  # hidden, never FILE


# The CLI with one step of the atomic write wrapped so that, while `write_atomically` runs,
# the process stops itself (SIGSTOP) before or after that step. A signal sent while it is
# stopped is handled as it continues: in `checkpoint`, the first Python call after the stop.
STOPPING_AT = """
import os, signal, sys, tempfile
from blkg import export

# A process started in the background by a non-interactive shell inherits SIGINT ignored;
# the export must meet Ctrl-C as a user's terminal delivers it.
signal.signal(signal.SIGINT, signal.default_int_handler)

MODULE, NAME, WHEN = {module}, {name!r}, {when!r}
step = getattr(MODULE, NAME)
armed = False

def checkpoint():
    pass

def stop():
    os.kill(os.getpid(), signal.SIGSTOP)
    checkpoint()

def stepping(*args, **kwargs):
    if armed and WHEN == "before":
        stop()
    result = step(*args, **kwargs)
    if armed and WHEN == "after":
        stop()
    return result

def armed_while(write):
    def writing(*args, **kwargs):
        global armed
        armed = True
        try:
            return write(*args, **kwargs)
        finally:
            armed = False
    return writing

setattr(MODULE, NAME, stepping)
export.write_atomically = armed_while(export.write_atomically)
from blkg.cli import main
sys.exit(main(sys.argv[1:]))
"""
STEPS = {
    # name: (module, function, stop before or after it)
    "after creating the temporary file": ("tempfile", "mkstemp", "after"),
    "with every byte written, before flushing it to disk": ("os", "fsync", "before"),
    "before renaming it over FILE": ("os", "replace", "before"),
}


def stopping_at(step: str) -> str:
    module, name, when = STEPS[step]
    return STOPPING_AT.format(module=module, name=name, when=when)


def wait_until_stopped(process: subprocess.Popen) -> None:
    """Return once `process` has stopped itself; fail if it ends instead (or never stops)."""
    deadline = time.monotonic() + WAIT_GUARD_SECONDS
    while True:
        pid, status = os.waitpid(process.pid, os.WNOHANG | os.WUNTRACED)
        if pid and os.WIFSTOPPED(status):
            return
        if pid:  # it ended: keep its exit code where Popen looks for it
            process.returncode = os.waitstatus_to_exitcode(status)
            _, stderr = process.communicate()
            raise AssertionError(f"the export ended ({process.returncode}) before it stopped: "
                                 f"{stderr.decode()[-2000:]}")  # fmt: skip
        if time.monotonic() > deadline:
            raise AssertionError("the export never reached the step it stops at")
        time.sleep(0.02)  # poll interval


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize(
    ("signum", "exit_code"),
    [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)],
    ids=["SIGTERM", "SIGINT"],
)
def test_an_export_interrupted_mid_write_cleans_up(existing, signum, exit_code, step):
    with exporting(existing, code=stopping_at(step)) as process:
        wait_until_stopped(process)
        try:
            assert existing.read_bytes() == PRECIOUS  # mid-write, FILE is still the old one
            temporary = leftovers(existing.parent, existing)
            assert len(temporary) == 1 and temporary[0].startswith(f".{existing.name}.")
        finally:
            process.send_signal(signum)
            process.send_signal(signal.SIGCONT)
        _, stderr = process.communicate(timeout=WAIT_GUARD_SECONDS)
    assert process.returncode == exit_code, stderr.decode()[-2000:]
    assert existing.read_bytes() == PRECIOUS
    assert leftovers(existing.parent, existing) == []
