"""Faults during a build: kills at any moment, Ctrl-C, SIGTERM, a full disk,
two builds at once. The published site stays complete and unchanged, and the
next build succeeds and makes what a clean build makes."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT, article, files_of, write_tree

from generator.build.publish import await_copy
from generator.cli import main

ARTICLES = {
    f"content/{2010 + i % 15}/bai-{i}.md": article(
        title=f"Đại hội Chi bộ số {i} nhiệm kỳ mới",
        unit=f"Chi bộ {['Tân Hòa', 'Đồng Tâm', 'An Phú', 'Dương Nội'][i % 4]}",
        date=f"{2010 + i % 15}-0{1 + i % 9}-1{i % 10}",
        term="2025-2030",
        body="\n\n".join(f"Đoạn {k} của bài {i}: chi bộ họp bàn công tác." * 8 for k in range(6)),
    )
    for i in range(240)
}


def start_build(project: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--quiet", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def published(project: Path) -> dict[str, bytes]:
    write_tree(project, ARTICLES)
    assert main(["build", "--quiet"]) == 0
    # the next build has work to do: every article page and index changes
    for name in ARTICLES:
        path = project / name
        path.write_text(path.read_text(encoding="utf-8") + "\nThêm một đoạn.\n", "utf-8")
    return files_of(project / "site")


def finished_cleanly(project: Path) -> None:
    """The next build succeeds and equals a clean build of the same content."""
    assert main(["build", "--quiet"]) == 0
    assert main(["build", "--clean", "--quiet", "--out", "clean", "--cache", "c2"]) == 0
    # Pagefind 1.5.2 names some files differently per run: compared without the hash
    assert files_of(project / "site", search_bundle="mask") == files_of(
        project / "clean", search_bundle="mask"
    )


@pytest.mark.parametrize("after", [0.05, 0.3, 0.7, 1.2, 2.0, 3.0])
def test_killed_build_leaves_the_published_site_whole(
    after: float, project: Path, published: dict[str, bytes]
) -> None:
    process = start_build(project)
    time.sleep(after)
    process.kill()
    process.wait()
    if files_of(project / "site") != published:
        # killed after its swap: then the site is the new one, whole
        killed = files_of(project / "site", search_bundle="mask")
        assert main(["build", "--clean", "--quiet", "--out", "new", "--cache", "c3"]) == 0
        assert killed == files_of(project / "new", search_bundle="mask")
    finished_cleanly(project)


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_stops_cleanly(
    sent: signal.Signals, project: Path, published: dict[str, bytes]
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # the build is under way: its first stage is done
        if line.startswith("  load"):
            break
    process.send_signal(sent)
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err
    assert process.returncode == 130, err
    assert "Build interrupted; site/ was not changed." in err
    assert files_of(project / "site") == published
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site-new")]
    assert leftovers == []
    finished_cleanly(project)


def test_second_build_at_once_is_refused(
    project: Path, published: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    with open(project / ".site.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("process 4242")
        lock.flush()
        assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "site: another build is writing this folder (process 4242);" in err
    assert files_of(project / "site") == published
    finished_cleanly(project)


def test_full_disk_is_a_clean_error(
    project: Path,
    published: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    written = 0
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:  # type: ignore[override]
        nonlocal written
        written += 1
        if written > 20:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    assert main(["build", "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "No space left on device" in err.splitlines()[0]
    assert files_of(project / "site") == published
    monkeypatch.setattr(Path, "write_bytes", real)  # space again (undo() would leave project/)
    finished_cleanly(project)


def test_killed_swap_is_recovered(project: Path, published: dict[str, bytes]) -> None:
    # a kill between the two renames of a swap without an atomic exchange
    await_copy(project / "site")  # the first build's background copy
    shutil.rmtree(project / ".site-prev", ignore_errors=True)
    (project / "site").rename(project / ".site-prev")
    finished_cleanly(project)
