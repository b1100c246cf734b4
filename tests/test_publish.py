"""Publishing on its own: the swap, recovery after a killed build, and what a
failed build leaves behind (publish.py, without building a site)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, write_tree

from generator.build import lock, publish
from generator.errors import BuildFailure
from generator.infra.cache import Cache, OutputFile, digest


def site(folder: Path, text: str) -> None:
    write_tree(folder, {"index.html": text, "2025/a/index.html": f"<p>{text}</p>"})


def test_swap_puts_the_new_site_in_place_and_keeps_the_old_one_as_previous(
    tmp_path: Path,
) -> None:
    out, staging = tmp_path / "site", tmp_path / ".site-new-1"
    site(out, "old")
    site(staging, "new")
    previous = publish.swap(staging, out)
    assert previous == publish.previous_of(out) == tmp_path / ".site-prev"
    assert (out / "index.html").read_text(encoding="utf-8") == "new"
    assert (previous / "index.html").read_text(encoding="utf-8") == "old"
    assert not staging.exists()


def test_a_first_swap_has_no_previous_site(tmp_path: Path) -> None:
    staging = tmp_path / ".site-new-1"
    site(staging, "new")
    assert publish.swap(staging, tmp_path / "site") is None
    assert (tmp_path / "site/index.html").is_file()


def test_recovery_after_a_kill_between_two_renames(tmp_path: Path) -> None:
    """Where the system has no atomic exchange, a kill can leave the site as .prev."""
    out = tmp_path / "site"
    site(publish.previous_of(out), "published")
    site(tmp_path / ".site-new-abc", "half written")
    publish.recover(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "published"
    assert not (tmp_path / ".site-new-abc").exists()


def test_a_failed_build_keeps_its_folder_as_the_previous_generation(tmp_path: Path) -> None:
    out = tmp_path / "site"
    site(out, "published")
    with pytest.raises(RuntimeError), publish.Generation(out, Cache(None), clean=False) as gen:
        write_tree(gen.staging, {"index.html": "unfinished"})
        raise RuntimeError("the build failed")
    assert (out / "index.html").read_text(encoding="utf-8") == "published"
    assert (publish.previous_of(out) / "index.html").is_file()
    assert list(tmp_path.glob(".site-new-*")) == []


def test_publishing_removes_what_the_new_site_no_longer_has(tmp_path: Path) -> None:
    out = tmp_path / "site"
    site(out, "published")
    with publish.Generation(out, Cache(None), clean=False) as gen:
        write_tree(gen.staging, {"index.html": "new", "old/gone.html": "x"})
        data = b"new"
        new = {"index.html": OutputFile(digest(data), len(data), 0, "")}
        gen.publish(new, unchanged=False, record="{}")
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (publish.previous_of(out) / "index.html").read_text(encoding="utf-8") == "published"


def test_intact_files_are_those_with_the_size_and_mtime_recorded(tmp_path: Path) -> None:
    site(tmp_path, "x")
    stat = (tmp_path / "index.html").stat()
    manifest = {
        "index.html": OutputFile("d", stat.st_size, stat.st_mtime_ns, ""),
        "2025/a/index.html": OutputFile("d", 1, 1, ""),  # changed since
        "missing.html": OutputFile("d", 1, 1, ""),
    }
    assert publish.intact(tmp_path, manifest) == {"index.html"}


@pytest.mark.parametrize("out", [".", "content", "layouts"])
def test_an_output_folder_that_holds_sources_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("content", "layouts"):
        (tmp_path / name).mkdir()
    protected = [tmp_path / "content", tmp_path / "layouts"]
    with pytest.raises(BuildFailure, match="the output folder must not contain"):
        lock.check_out(Path(out), protected)


def test_a_folder_of_other_files_is_not_an_output_folder(tmp_path: Path) -> None:
    write_tree(tmp_path / "photos", {"a.jpg": b"\xff\xd8"})
    with pytest.raises(BuildFailure, match="not empty and holds no site"):
        lock.check_out(tmp_path / "photos", [])


KILLED_BUILD = """
import os, sys, time
from pathlib import Path
from generator.build import lock, publish
with lock.output_lock(Path(sys.argv[1])):
    if os.fork() == 0:  # a worker, busy for a while (not holding the test's pipes)
        os.close(1)
        os.close(2)
        time.sleep(10)
        os._exit(0)
    print("locked", flush=True)
    os._exit(9)  # the build is killed; its worker lives on
"""


def test_a_killed_builds_workers_do_not_keep_the_next_build_out(tmp_path: Path) -> None:
    """Workers are forked while the build holds the output lock; one still alive
    after its build was killed must not hold the lock ("another build is
    writing this folder" for as long as it lives)."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(tmp_path / "site")],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.stdout == "locked\n", done.stderr
    with lock.output_lock(tmp_path / "site"):  # at once, the worker still sleeping
        pass
