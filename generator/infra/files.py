"""File helpers shared by the stages: paths as shown to people, folder listings."""

from __future__ import annotations

import os
import shutil
from collections.abc import Container
from pathlib import Path


def display_path(path: Path) -> str:
    """Path relative to the working directory when inside it, with '/' separators."""
    relative = os.path.relpath(path)
    shown = Path(path) if relative.startswith("..") else Path(relative)
    return shown.as_posix()


def files_in(folder: Path, whole: Container[str] = frozenset()) -> set[str]:
    """Every file under folder, as relative POSIX paths (os.scandir: faster than
    os.walk). A folder named in `whole` (as 'a/b/') is listed as itself, not walked."""
    found: set[str] = set()

    def scan(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir():
                    name = f"{prefix}{entry.name}/"
                    if name in whole:
                        found.add(name)
                    else:
                        scan(entry.path, name)
                else:
                    found.add(prefix + entry.name)

    scan(str(folder), "")
    return found


def remove(folder: Path) -> None:
    """Remove a folder and what it holds; a folder already gone is no error."""
    shutil.rmtree(folder, ignore_errors=True)
