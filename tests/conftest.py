"""Shared helpers: fixture archives written into tmp_path and built for real."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser
from webtools import chromium

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def write_tree(base: Path, files: dict[str, str | bytes]) -> None:
    for relative, data in files.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def article(
    title: str = "Đại hội Chi bộ Tân Hòa",
    unit: str = "Chi bộ Tân Hòa",
    term: str = "2025-2030",
    date: str = "2025-05-20",
    body: str = "Sáng 20/5/2025, Chi bộ Tân Hòa tổ chức Đại hội.",
    **extra: str,
) -> str:
    lines = ["---", f'title: "{title}"', f'unit: "{unit}"', f'term: "{term}"', f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join([*lines, "---", "", body, ""])


@dataclass
class Result:
    code: int
    out: str
    err: str
    site: Path

    def page(self, url: str) -> str:
        relative = url.strip("/")
        path = self.site / relative
        if url.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def exists(self, url: str) -> bool:
        path = self.site / url.strip("/")
        return (path / "index.html").is_file() if url.endswith("/") else path.is_file()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An editor's project folder: content/ to fill, the real layouts and assets."""
    (tmp_path / "content").mkdir()
    (tmp_path / "layouts").symlink_to(ROOT / "layouts")
    (tmp_path / "assets").symlink_to(ROOT / "assets")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


BuildSite = Callable[..., Result]


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


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def build_project(project: Path, content: Path, *args: str) -> Path:
    """Make a project folder around `content` (real layouts and assets), build it
    with the real command line, and return the site folder."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copytree(content, project / "content")
    for name in ("layouts", "assets"):
        (project / name).symlink_to(ROOT / name)
    result = run_cli("build", *args, cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def structured_data(html: str) -> dict[str, Any]:
    """The page's JSON-LD blocks, by their @type."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return {data["@type"]: data for data in map(json.loads, blocks)}


def links_in(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def article_links(html: str) -> list[str]:
    """Article URLs listed on an index page, in page order."""
    return re.findall(r'<h3 class="card-title"><a href="([^"]+)"', html)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run (Debian's, not a downloaded one)."""
    with chromium() as instance:
        yield instance
