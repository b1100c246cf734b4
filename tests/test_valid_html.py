"""Every page is valid HTML for the Nu Html Checker (vnu), the W3C's validator.

vnu runs on Java; tests/setup-browser.sh installs both (Debian's
default-jre-headless, npm's vnu-jar into .venv/vnu) with the browser.
The pages checked are the bundled archive's (photos, search, every list) and
a fixture with every kind of photo figure.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import ROOT, BuildSite, article, build_project
from pictures import phone_jpeg, transparent_png

VNU = ROOT / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def problems(site: Path) -> list[str]:
    """vnu's errors on every HTML page of a site (the search index's are Pagefind's)."""
    java = shutil.which("java")
    assert java and VNU.is_file(), "the HTML checker is missing: run 'bash tests/setup-browser.sh'"
    pages = sorted(str(p) for p in site.rglob("*.html") if "pagefind" not in p.parts)
    assert pages
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [
        f"{m.get('url', '').rsplit(str(site), 1)[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
        for m in messages
    ]


def test_the_bundled_archive_is_valid_html(tmp_path: Path) -> None:
    site = build_project(tmp_path, ROOT / "content")
    assert problems(site) == []


def test_pages_with_every_kind_of_photo_are_valid_html(build_site: BuildSite) -> None:
    body = (
        "Mở đầu.\n\n![Quang cảnh](anh/quang-canh.jpg)\n\n*Quang cảnh đại hội.*\n\n"
        "Ảnh trong câu ![biểu trưng](anh/bieu-trung.png) giữa đoạn.\n\n"
        "![](anh/khong-chu.jpg)\n"
    )
    result = build_site(
        {
            "2025/anh.md": article(body=body),
            "2025/anh/quang-canh.jpg": phone_jpeg(1600, 1200),
            "2025/anh/bieu-trung.png": transparent_png(),
            "2025/anh/khong-chu.jpg": phone_jpeg(800, 600, seed=3),
        },
        "--base-url",
        "https://example.org/luu-tru/",
    )
    assert result.code == 0, result.err
    assert problems(result.site) == []


@pytest.mark.parametrize("broken", ["<p><div>nested</div></p>", "<img src=x>"])
def test_the_checker_finds_invalid_html(tmp_path: Path, broken: str) -> None:
    """The check itself: a page vnu must refuse."""
    (tmp_path / "index.html").write_text(
        f'<!DOCTYPE html><html lang="vi"><head><title>x</title></head><body>{broken}</body></html>'
    )
    assert problems(tmp_path)
