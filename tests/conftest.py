"""Shared pytest fixtures: an editor's project folder, builds in it, one browser.

Plain helpers (write_tree, article, Result, files_of, ...) are in helpers.py;
tests import them from there, never from this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT, BuildSite, Result, write_tree
from playwright.sync_api import Browser
from webtools import chromium

from generator.cli import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An editor's project folder: content/ to fill, the real layouts and assets."""
    (tmp_path / "content").mkdir()
    (tmp_path / "layouts").symlink_to(ROOT / "layouts")
    (tmp_path / "assets").symlink_to(ROOT / "assets")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture
def build_site(project: Path, capsys: pytest.CaptureFixture[str]) -> BuildSite:
    """Write articles into content/ and run `archive build` in-process."""

    def run(files: dict[str, str | bytes] | None = None, *args: str) -> Result:
        write_tree(project / "content", files or {})
        code = main(["build", *args])
        captured = capsys.readouterr()
        out_dir = project / "site"
        if "--out" in args:
            out_dir = project / args[args.index("--out") + 1]
        return Result(code, captured.out, captured.err, out_dir)

    return run


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run (Debian's, not a downloaded one)."""
    with chromium() as instance:
        yield instance
