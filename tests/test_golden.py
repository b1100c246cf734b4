"""Golden build: a small archive's whole output, compared file by file.

When a change to the output is intended, regenerate the expected files with
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff (git diff tests/fixtures/golden/expected) before committing.
Asset versions (?v=...) and the search bundle are left out: they change with
every CSS edit and every Pagefind run.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import build_project

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
VERSION = re.compile(r"\?v=[0-9a-f]{10}")


def output_of(site: Path) -> dict[str, str]:
    files = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site)
        if path.is_file() and relative.parts[0] not in ("assets", "pagefind"):
            files[relative.as_posix()] = VERSION.sub("?v=VERSION", path.read_text(encoding="utf-8"))
    return files


def test_golden_build(tmp_path: Path) -> None:
    (tmp_path / "archive.yaml").write_text("page_size: 2\n", encoding="utf-8")
    site = build_project(tmp_path, GOLDEN / "content", "--base-url", "https://example.org/")
    actual = output_of(site)
    expected_dir = GOLDEN / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for relative, text in actual.items():
            target = expected_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {
        path.relative_to(expected_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(expected_dir.rglob("*"))
        if path.is_file()
    }
    assert sorted(actual) == sorted(expected)
    for relative, text in expected.items():
        assert actual[relative] == text, f"{relative} differs from the golden copy"
