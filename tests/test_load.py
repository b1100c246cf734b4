"""The load stage on its own: a file is hashed once, and never stored under the
key of bytes it no longer has."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import article, write_tree

from generator.content import load
from generator.infra.cache import Cache

PARSING = load.Parsing("Asia/Ho_Chi_Minh", "/")


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path / "content", {"2025/a.md": article(title="Bài đầu")})
    return Path("content")


def test_a_file_changed_between_scan_and_parse_is_keyed_by_what_was_parsed(
    content: Path, tmp_path: Path
) -> None:
    store = Cache(tmp_path / "cache")
    hashed: dict[str, load.Stat] = {}
    files = load.scan(content, PARSING, store, hashed)
    assert files is not None and list(hashed) == [files[0][1]]
    # an editor saves the file while the build runs
    (content / "2025/a.md").write_text(article(title="Bài đã sửa"), encoding="utf-8")
    loaded = load.load(content, files, PARSING, load.Bodies(store), 1, hashed=hashed)
    (prepared,) = loaded.articles
    assert prepared.source.title == "Bài đã sửa"
    again = load.scan(content, PARSING, store)
    assert loaded.inputs == again  # the key of the bytes parsed, not the scan's


def test_a_file_unchanged_since_the_scan_keeps_its_key(content: Path, tmp_path: Path) -> None:
    store = Cache(tmp_path / "cache")
    hashed: dict[str, load.Stat] = {}
    files = load.scan(content, PARSING, store, hashed)
    assert files is not None
    # same bytes, same size, same mtime: the scan's key is right without hashing again
    loaded = load.load(content, files, PARSING, load.Bodies(store), 1, hashed=hashed)
    assert loaded.inputs == files
    stat = os.stat(content / "2025/a.md")
    assert hashed[files[0][1]] == (stat.st_size, stat.st_mtime_ns)
