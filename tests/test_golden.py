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

from helpers import build_project, files_of, write_tree

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
VERSION = re.compile(r"\?v=[0-9a-f]{10}")


def output_of(site: Path) -> dict[str, str]:
    """The pages, their asset versions masked; assets/ and the search bundle left out."""
    files = files_of(site, search_bundle="skip", assets=False, text=True)
    return {relative: VERSION.sub("?v=VERSION", text) for relative, text in files.items()}


def test_golden_build(tmp_path: Path) -> None:
    (tmp_path / "archive.yaml").write_text("page_size: 2\n", encoding="utf-8")
    site = build_project(tmp_path, GOLDEN / "content", "--base-url", "https://example.org/")
    actual = output_of(site)
    expected_dir = GOLDEN / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        write_tree(expected_dir, actual)
    expected = files_of(expected_dir, text=True)
    assert sorted(actual) == sorted(expected)
    for relative, text in expected.items():
        assert actual[relative] == text, f"{relative} differs from the golden copy"
