"""Plain helpers shared by the tests: fixture archives written into tmp_path and
built for real, and what the built pages and folders hold.

The pytest fixtures that use them are in conftest.py (which is not imported).
Tests import these with `from helpers import ...`: pytest puts tests/ on
sys.path, as it does for conftest.py (rootdir-relative "prepend" import mode).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

ROOT = Path(__file__).resolve().parent.parent


def write_tree(base: Path, files: Mapping[str, str | bytes]) -> None:
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


# The `build_site` fixture: write articles into content/, run `archive build`.
BuildSite = Callable[..., Result]


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


# --- the files of a built site ------------------------------------------------

# Pagefind 1.5.2 names its filter and metadata files differently on each run
# (fixed upstream after 1.5.2): with search_bundle="mask" their names are
# compared without the hash.
_VARYING = re.compile(r"(pagefind/\d+/(?:filter/|pagefind\.))[^/]*?(\.pf_\w+)$")

SearchBundle = Literal["keep", "mask", "skip"]


@overload
def files_of(
    site: Path,
    *,
    search_bundle: SearchBundle = ...,
    assets: bool = ...,
    text: Literal[False] = ...,
) -> dict[str, bytes]: ...


@overload
def files_of(
    site: Path,
    *,
    search_bundle: SearchBundle = ...,
    assets: bool = ...,
    text: Literal[True],
) -> dict[str, str]: ...


def files_of(
    site: Path,
    *,
    search_bundle: SearchBundle = "keep",
    assets: bool = True,
    text: bool = False,
) -> dict[str, bytes] | dict[str, str]:
    """Every file under site, by its POSIX path relative to site, in path order.

    search_bundle: the Pagefind bundle (pagefind/) is
      "keep": listed like any other folder;
      "mask": listed, but the files whose names or bytes Pagefind 1.5.2 varies
        from run to run (its filter and metadata files, pagefind-entry.json) are
        keyed by name without the hash plus their place in the list, with empty
        contents: present, compared by place, not by bytes;
      "skip": left out.
    assets: False leaves out assets/ (its file names change with every CSS edit).
    text: the contents as UTF-8 text instead of bytes.
    """
    files: dict[str, Any] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        top = name.split("/", 1)[0]
        if (top == "pagefind" and search_bundle == "skip") or (top == "assets" and not assets):
            continue
        if search_bundle == "mask":
            masked = _VARYING.sub(r"\1*\2", name)
            if masked != name or name.endswith("pagefind-entry.json"):
                files[masked + f"#{len(files)}"] = "" if text else b""  # bytes vary per run
                continue
        files[name] = path.read_text(encoding="utf-8") if text else path.read_bytes()
    return files


# --- what a page holds ---------------------------------------------------------


def structured_data(html: str) -> dict[str, Any]:
    """The page's JSON-LD blocks, by their @type."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return {data["@type"]: data for data in map(json.loads, blocks)}


def links_in(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def article_links(html: str) -> list[str]:
    """Article URLs listed on an index page, in page order."""
    return re.findall(r'<h3 class="card-title"><a href="([^"]+)"', html)


# --- what the search index holds -------------------------------------------------

SEARCH_PAGE = "tim-kiem/index.html"
_INDEX_ATTRIBUTES = re.compile(r' data-(?:parts|replaced|sizes)="[^"]*"')


def search_records(site: Path) -> dict[str, Any]:
    """What a reader's search can find: every record of every index part
    (Pagefind's fragment: address, text, filters, metadata) but those the
    search page drops as replaced, by address. Fails on an address found twice."""
    import gzip

    page = (site / SEARCH_PAGE).read_text(encoding="utf-8")
    found = re.search(r'data-replaced="([^"]*)"', page)
    replaced = set(found[1].split()) if found else set()
    records: dict[str, Any] = {}
    for path in sorted((site / "pagefind").glob("*/fragment/*.pf_fragment")):
        if path.name.split(".")[0] in replaced:
            continue
        data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd") :])
        assert data["url"] not in records, f"{data['url']} is found twice"
        records[data["url"]] = data
    return records


def without_index_layout(html: str) -> str:
    """The search page without the index parts it names (which differ between
    an incremental and a clean build of the same articles)."""
    return _INDEX_ATTRIBUTES.sub("", html)
