"""Search stage: index parts kept in the build cache for later builds and CI runs.

Each part is a folder `parts/<key>/` beside the cache file, under the key of
what it is made from (parts.part_key), with a listing of its files and their
sizes, and what it holds: each article's document key and Pagefind id
(`indexed`, what a later build needs to keep it as a base part and replace
its out-of-date records). A part whose files do not match its listing is not
used. Parts no
build used for two days are removed (another output folder may still use a
recent one).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

from generator.infra.cache import Cache
from generator.search.parts import Indexed

_PART_LIST = "files.json"
_PAGES = "pages.json"


class StoredParts:
    """The search index parts of one build cache."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def _parts(self) -> Path | None:
        # asked each time: a cache found unusable during the build turns itself off
        folder = self.cache.folder
        return None if folder is None else folder / "parts"

    def find(self, key: str) -> dict[str, tuple[str, int]] | None:
        """A search index part built before from the same pages: file -> (hash, size)."""
        parts = self._parts()
        if parts is None or not key.isalnum():
            return None
        try:
            listed = json.loads((parts / key / _PART_LIST).read_text(encoding="utf-8"))
            files = {str(name): (str(d), int(size)) for name, (d, size) in listed.items()}
            for name, (_, size) in files.items():
                if (parts / key / name).stat().st_size != size:
                    return None
            os.utime(parts / key)  # used: kept by prune
        except (OSError, ValueError, TypeError, AttributeError):
            return None
        return files

    def indexed(self, key: str) -> Indexed | None:
        """What the part of this key holds, when the cache has it whole."""
        parts = self._parts()
        if parts is None or self.find(key) is None:
            return None
        try:
            record = json.loads((parts / key / _PAGES).read_text(encoding="utf-8"))
            pages = {str(url): (str(doc), str(pid)) for url, (doc, pid) in record["pages"].items()}
            return Indexed(key, bool(record["primary"]), pages)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def folder(self, key: str) -> Path:
        parts = self._parts()
        assert parts is not None
        return parts / key

    def save(
        self,
        key: str,
        folder: Path,
        files: Mapping[str, str],
        primary: bool,
        pages: Mapping[str, tuple[str, str]],
    ) -> None:
        """Keep a part's files (hard links, no copy) and what it holds (address ->
        (document key, Pagefind id)) for later builds and CI runs."""
        parts = self._parts()
        if parts is None or not key.isalnum():
            return
        temporary = parts / f".{key}-{os.getpid()}"
        try:
            shutil.rmtree(temporary, ignore_errors=True)
            for name in files:
                target = temporary / name
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(folder / name, target)
                except OSError:
                    shutil.copyfile(folder / name, target)
            listing = {
                name: [found, (folder / name).stat().st_size] for name, found in files.items()
            }
            (temporary / _PART_LIST).write_text(json.dumps(listing), encoding="utf-8")
            record = {"primary": primary, "pages": dict(sorted(pages.items()))}
            (temporary / _PAGES).write_text(json.dumps(record), encoding="utf-8")
            if (parts / key).exists():
                shutil.rmtree(parts / key, ignore_errors=True)
            temporary.rename(parts / key)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)

    def prune(self, used: set[str], keep_days: float = 2) -> None:
        """Drop parts no build used for a while (another output may still use recent ones)."""
        parts = self._parts()
        if parts is None or not parts.is_dir():
            return
        limit = time.time() - keep_days * 86400
        for path in parts.iterdir():
            with contextlib.suppress(OSError):
                if path.name not in used and path.stat().st_mtime < limit:
                    shutil.rmtree(path, ignore_errors=True)
