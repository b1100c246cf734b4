"""Image stage: the published files of every picture, kept between builds.

Each picture is a folder `images/<key>/` beside the cache file, named by
the key of what its files are made from (the photo's bytes, the size
settings, the encoding code), with a listing of its files. A build copies
nothing: the output hard-links the files. CI keeps the folder like the rest
of the cache, so an unchanged photo is never encoded twice. Without a cache
the files live in a temporary folder for the build's lifetime.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.images.encode import Encoded
from generator.infra.cache import digest

_LIST = "files.json"


class Store:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def of(cls, cache_folder: Path | None) -> Store:
        """The store of a build cache; a temporary one without a cache."""
        if cache_folder is not None:
            return cls(cache_folder / "images")
        made = Path(tempfile.mkdtemp(prefix="archive-images-"))
        atexit.register(shutil.rmtree, made, True)
        return cls(made)

    def folder_of(self, key: str) -> str:
        """A picture's folder (a string: this runs for every picture)."""
        return os.path.join(self.folder, key)

    def find(self, key: str) -> dict[str, Any] | None:
        """The listing of a picture made before, if its files are all there."""
        folder = os.path.join(self.folder, key)  # strings: this runs for every photo
        try:
            with open(os.path.join(folder, _LIST), "rb") as file:
                listed: dict[str, Any] = json.loads(file.read())
            for name, _w, _h, _digest, size in listed["files"]:
                if os.stat(os.path.join(folder, name)).st_size != size:
                    return None
            os.utime(folder)  # used: kept by prune
        except (OSError, ValueError, TypeError, KeyError):
            return None
        return listed

    def save(self, key: str, encoded: Encoded) -> dict[str, Any]:
        """Keep a picture's files (written whole, then renamed into place). Two
        workers may make the same picture at once (one photo saved under two
        names): the second finds the first's folder whole and drops its own."""
        listing = {
            "width": encoded.width,
            "height": encoded.height,
            "alpha": encoded.alpha,
            "files": [
                [o.name, o.width, o.height, digest(o.data), len(o.data)] for o in encoded.outputs
            ],
        }
        temporary = self.folder / f".{key}-{os.getpid()}"
        try:
            shutil.rmtree(temporary, ignore_errors=True)
            temporary.mkdir(parents=True)
            for output in encoded.outputs:
                (temporary / output.name).write_bytes(output.data)
            (temporary / _LIST).write_text(json.dumps(listing), encoding="utf-8")
            for _ in range(2):
                try:
                    temporary.rename(self.folder / key)
                    break
                except OSError:  # there already: made by another worker, or damaged
                    if self.find(key) is not None:
                        break
                    shutil.rmtree(self.folder / key, ignore_errors=True)
            else:
                temporary.rename(self.folder / key)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
        return listing

    def prune(self, used: set[str], keep_days: float = 2) -> None:
        """Drop pictures no build used for a while (another output may use recent ones)."""
        if not self.folder.is_dir():
            return
        limit = time.time() - keep_days * 86400
        for path in self.folder.iterdir():
            with contextlib.suppress(OSError):
                if path.name not in used and path.stat().st_mtime < limit:
                    shutil.rmtree(path, ignore_errors=True)
