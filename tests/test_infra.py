"""Infrastructure the build relies on when it is killed: no process outlives it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

KILLED_PARENT = """
import subprocess, os
from generator.infra import parallel
child = subprocess.Popen(["sleep", "30"], preexec_fn=parallel.die_with_parent)
print(child.pid, flush=True)
os._exit(9)  # killed outright: no cleanup runs
"""


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split()[2] == "Z"  # a zombie waiting for init: ended


def test_a_command_started_by_the_build_ends_when_the_build_is_killed() -> None:
    """Pagefind runs are started this way: a killed build left them indexing on."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_PARENT], capture_output=True, text=True, cwd=ROOT, timeout=30
    )
    pid = int(done.stdout)
    deadline = time.monotonic() + 5
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(pid)
