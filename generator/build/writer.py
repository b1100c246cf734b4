"""Write stage: putting files into the staged folder, each written at most once.

A file whose bytes the staged folder already has (from the previous
generation) is left alone; one whose bytes the published site has is
hard-linked from there; only a file with new bytes is written. Render
workers write through their own copy of the writer (after a fork), so it
holds nothing they would have to send back but the manifest entries.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.infra.cache import Manifest, OutputFile, digest


@dataclass(slots=True)
class Writer:
    out: Path
    staging: Path
    manifest: Manifest  # of the published site
    intact: set[str]  # its files that are as the manifest says
    present: Manifest  # the staging folder's files known to be good
    made: set[str] = field(default_factory=set)

    def _parent(self, target: Path) -> None:
        folder = str(target.parent)
        if folder not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)

    def keep(self, name: str) -> OutputFile | None:
        """Make the staged file the published one: its manifest entry (the size
        and mtime of the file now staged), or None when that is not possible."""
        published = self.manifest[name]
        have = self.present.get(name)
        if have is not None and have.digest == published.digest:
            # already there from an older generation: another file, its own mtime
            return OutputFile(published.digest, have.size, have.mtime, published.key)
        target = self._clear(name)
        try:
            os.link(self.out / name, target)
        except OSError:
            try:
                shutil.copy2(self.out / name, target)
            except OSError:
                return None
            return OutputFile(published.digest, published.size, 0, published.key)  # stamped later
        return published

    def published(self) -> tuple[Manifest, set[str], Callable[[str], OutputFile | None]]:
        """The published site's manifest, its intact files, and `keep`."""
        return self.manifest, self.intact, self.keep

    def kept(self, name: str, key: str) -> OutputFile | None:
        """The published file, when it was made from the same key and is intact."""
        old = self.manifest.get(name)
        if old is None or old.key != key or name not in self.intact:
            return None
        return self.keep(name)

    def put(self, name: str, data: bytes, key: str = "") -> tuple[OutputFile, bool]:
        """(its manifest entry, whether its bytes differ from the published file's)."""
        found = digest(data)
        old = self.manifest.get(name)
        same = old is not None and old.digest == found
        have = self.present.get(name)
        if have is not None and have.digest == found:
            return OutputFile(found, have.size, have.mtime, key), not same
        if same and old and name in self.intact:
            kept = self.keep(name)
            if kept is not None:
                return replace(kept, key=key), False
        self._clear(name).write_bytes(data)
        return OutputFile(found, len(data), 0, key), not same

    def link_folder(
        self, name: str, source: str, files: Iterable[tuple[str, str]], found: str
    ) -> tuple[OutputFile, bool]:
        """A folder of files made elsewhere, hard-linked into the staged folder
        and kept as one (a picture's: ~7 files, 140,000 at 10,000 articles, so
        one manifest entry and one stat each, not seven). `name` ends with '/';
        `source` is the folder they come from, `files` (name there, name here),
        `found` a hash of what they are made from. (Its manifest entry, whether
        it changed.)"""
        old = self.manifest.get(name)
        same = old is not None and old.digest == found
        have = self.present.get(name)
        if have is not None and have.digest == found:  # from an older generation, intact
            return OutputFile(found, have.size, have.mtime, ""), not same
        target = self.staging / name
        self._parent(target)
        shutil.rmtree(target, ignore_errors=True)  # never add to a folder that is not whole
        target.mkdir()
        for stored, shown in files:
            try:
                os.link(os.path.join(source, stored), target / shown)
            except OSError:
                shutil.copyfile(os.path.join(source, stored), target / shown)
        return OutputFile(found, 0, 0, ""), not same  # stamped once written

    def _clear(self, name: str) -> Path:
        """The staged path, ready for a new file (never writing into a shared one)."""
        target = self.staging / name
        self._parent(target)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        return target
