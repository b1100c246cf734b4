"""Load stage: which files under content/ are articles, in a stable order.

Symbolic links are followed only to files inside the content folder: a build
must not publish /etc/passwd because a link said so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from generator.errors import ContentError
from generator.infra.files import display_path

MARKDOWN_SUFFIXES = (".md", ".markdown")


Stat = tuple[str, int, int]  # (path, size, st_mtime_ns)


def article_files(
    content_dir: Path,
    problems: list[ContentError] | None = None,
    others: list[Stat] | None = None,
) -> Iterator[Path]:
    """Markdown files under content_dir in a stable order, skipping hidden ones.

    A symbolic link is read only when it leads to a file inside content_dir.
    One leading outside (a build must not publish /etc/passwd because a link
    said so; this holds for units.yaml too) or to a folder (its articles would
    be read twice) is not read, and is added to `problems` when the caller
    collects them. Every other file (photos) goes into `others` with its size
    and mtime, when the caller collects them.
    """

    def walk(folder: str) -> Iterator[Path]:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError:
            return
        dirs = [e for e in entries if _is_dir(e) and not e.name.startswith(".")]
        linked = [e for e in dirs if e.is_symlink()]  # not walked: reported below
        files = [e for e in entries if not _is_dir(e) and not e.name.startswith((".", "~"))]
        for entry in linked + files:
            path = Path(entry.path)
            # the directory entry knows a link without another system call
            problem = link_problem(path, content_dir) if entry.is_symlink() else None
            if problem is not None:
                if problems is not None:
                    problems.append(problem)
            elif entry.name.endswith(MARKDOWN_SUFFIXES):
                yield path
            elif others is not None:
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                others.append((entry.path, stat.st_size, stat.st_mtime_ns))
        for entry in dirs:
            if not entry.is_symlink():
                yield from walk(entry.path)

    yield from walk(os.fspath(content_dir))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def link_problem(path: Path, content_dir: Path) -> ContentError | None:
    """Why the symbolic link at path may not be read, or None (a file inside content_dir)."""
    shown = display_path(path)
    root = Path(os.path.realpath(content_dir))
    target = Path(os.path.realpath(path))
    if target != root and root not in target.parents:
        kind = "folder" if target.is_dir() else "file"
        return ContentError(
            shown,
            None,
            f"is a link to {target.as_posix()}, outside {display_path(content_dir)}/;"
            f" copy the {kind} instead",
        )
    if target.is_dir():
        return ContentError(
            shown,
            None,
            f"is a link to the folder {display_path(target)}; links to folders are not"
            " followed: move the folder here instead",
        )
    return None
