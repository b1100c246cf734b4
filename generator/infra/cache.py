"""The persistent build cache: one SQLite file, safe to keep between CI runs.

What it holds, all keyed by content hashes so that a stale entry can never be
found by a later build:

- `files`: a content file's (size, mtime) -> the hash of its bytes, so an
  unchanged file is not even read again;
- `parsed`: the hash of a file's bytes and of everything its parsing depends
  on -> the parsed article (JSON) and its rendered body (HTML);
- `outputs`: for each output folder, the manifest of the site last published
  there (file -> hash, size, mtime and the key of the page it was made from)
  and the key of the inputs it was built from;
- beside the file, `parts/<key>/`: each search index part, under a hash of
  what it is made from, so that a CI run with a restored cache does not index
  unchanged parts (kept by search/stored.py: only the search knows of them).

A cache that cannot be read (missing, corrupt, truncated, from another
version) is thrown away and rebuilt; a build never fails because of it. An
entry that does not decode is treated as missing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import StaleInput

FORMAT = 4  # bump when the tables or the meaning of a stored value change
DEFAULT_DIR = ".archive-cache"
_FILE = "build.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL, digest TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS parsed (
    key TEXT PRIMARY KEY, record TEXT NOT NULL, html TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outputs (
    out TEXT PRIMARY KEY, inputs TEXT NOT NULL, manifest TEXT NOT NULL
);
"""


def digest(*parts: bytes | str) -> str:
    """A short, stable content hash (BLAKE2b, 128 bits, hex)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.cache
def code_version() -> str:
    """A hash of the generator's own code (every module, by its path in the
    package): a new version never reuses old results."""
    package = Path(__file__).parents[1]
    parts: list[bytes | str] = []
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)


class CacheDamaged(StaleInput):
    """A cache entry does not hold what was stored: the build starts again without it."""


@dataclass(frozen=True, slots=True)
class OutputFile:
    digest: str
    size: int
    mtime: int  # st_mtime_ns when it was written: a changed file is noticed
    key: str  # the key of the page or search part it was made from; "" for others


Manifest = dict[str, OutputFile]  # relative POSIX path -> what was written there


class Cache:
    """A connection to the cache file, opened per process (never across a fork)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._owner = os.getpid()  # the build's own process: only it checks or resets the file
        self._pid = -1
        self._db: sqlite3.Connection | None = None

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _connect(self) -> sqlite3.Connection | None:
        if self.folder is None:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._pid = os.getpid()
        self._db = None
        if self._pid != self._owner:
            # a worker process reads what the build's process checked and wrote;
            # it must never reset the file under it (a failure is a cache miss)
            try:
                uri = f"{(self.folder / _FILE).resolve().as_uri()}?mode=rw"
                self._db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
            except (sqlite3.Error, OSError):
                self._db = None
            return self._db
        try:
            self._db = self._open(self.folder / _FILE)
        except (sqlite3.Error, OSError):
            with contextlib.suppress(OSError):  # corrupt: start again from nothing
                (self.folder / _FILE).unlink()
            try:
                self._db = self._open(self.folder / _FILE)
            except (sqlite3.Error, OSError):
                self.folder = None  # unusable (read-only disk?): build without a cache
        return self._db

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        row = db.execute("SELECT value FROM meta WHERE name='format'").fetchone()
        if row is None:
            db.execute("INSERT INTO meta VALUES ('format', ?)", (str(FORMAT),))
        elif row[0] != str(FORMAT):
            db.close()
            raise sqlite3.DatabaseError("cache from another version")
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            db.close()
            raise sqlite3.DatabaseError("cache is damaged")
        return db

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        db = self._connect()
        if db is None:
            return []
        try:
            return db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error:
            return []

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
        db = self._connect()
        if db is None:
            return
        try:
            with db:  # one transaction
                db.execute("BEGIN")
                db.executemany(sql, rows)
        except sqlite3.Error:
            pass  # a cache that cannot be written only makes the next build slower

    # content files -------------------------------------------------------

    def file_digests(self) -> dict[str, tuple[int, int, str]]:
        rows = self._query("SELECT path, size, mtime, digest FROM files")
        return {path: (size, mtime, found) for path, size, mtime, found in rows}

    def remember_files(self, rows: Iterable[tuple[str, int, int, str]]) -> None:
        self._write("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", rows)

    # parsed articles -----------------------------------------------------

    def records(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Parsed records by key (without the HTML); undecodable ones are left out."""
        found: dict[str, dict[str, Any]] = {}
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, text in self._query(
                f"SELECT key, record FROM parsed WHERE key IN ({marks})", chunk
            ):
                with contextlib.suppress(ValueError):
                    record = json.loads(text)
                    if isinstance(record, dict):
                        found[key] = record
        return found

    def html(self, key: str) -> str | None:
        rows = self._query("SELECT html FROM parsed WHERE key = ?", (key,))
        return rows[0][0] if rows and isinstance(rows[0][0], str) else None

    def store_parsed(self, rows: Iterable[tuple[str, dict[str, Any], str]]) -> None:
        self._write(
            "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)",
            ((key, json.dumps(record, ensure_ascii=False), html) for key, record, html in rows),
        )

    # output folders --------------------------------------------------------

    def output(self, out: Path) -> tuple[str, Manifest]:
        """(inputs key, manifest) of what was last published in `out`; ("", {}) if unknown."""
        rows = self._query(
            "SELECT inputs, manifest FROM outputs WHERE out = ?", (str(out.resolve()),)
        )
        if not rows:
            return "", {}
        try:
            data = json.loads(rows[0][1])
            manifest = {name: OutputFile(*value) for name, value in data.items()}
        except (ValueError, TypeError):
            return "", {}
        return str(rows[0][0]), manifest

    def remember_output(self, out: Path, inputs: str, manifest: Mapping[str, OutputFile]) -> None:
        data = {name: [f.digest, f.size, f.mtime, f.key] for name, f in manifest.items()}
        self._write(
            "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?)",
            [(str(out.resolve()), inputs, json.dumps(data, separators=(",", ":")))],
        )

    def forget_output(self, out: Path) -> None:
        self._write("DELETE FROM outputs WHERE out = ?", [(str(out.resolve()),)])

    def move_output(self, old: Path, new: Path) -> None:
        """The folder published at `old` is now at `new`: its manifest follows it."""
        rows = [(str(new.resolve()),), (str(new.resolve()), str(old.resolve()))]
        self._write("DELETE FROM outputs WHERE out = ?", rows[:1])
        self._write("UPDATE outputs SET out = ? WHERE out = ?", rows[1:])

    def prune(self, live: set[str]) -> None:
        """Drop parsed entries no content file has any more, once they are many."""
        rows = self._query("SELECT COUNT(*) FROM parsed")
        if not rows or rows[0][0] <= len(live) * 1.25 + 100:
            return
        keys = {row[0] for row in self._query("SELECT key FROM parsed")}
        self._write("DELETE FROM parsed WHERE key = ?", ((key,) for key in keys - live))

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None


@contextlib.contextmanager
def opened(folder: Path | None) -> Iterator[Cache]:
    cache = Cache(folder)
    try:
        yield cache
    finally:
        cache.close()
