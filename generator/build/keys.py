"""What the outputs are made from, hashed: equal keys make equal bytes.

A page's key is the design key (the generator's code, the settings, the
layouts and the assets: what every page is made from) with the page's own
inputs. The inputs key of a whole build adds the content files and the unit
registry to the design key: when it equals the last build's, nothing changed.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.content import registry
from generator.content.load import Files
from generator.infra.cache import code_version, digest
from generator.pages.assets import Asset
from generator.pages.routes import Route
from generator.search import pagefind
from generator.settings import Settings


def design_key(settings: Settings, layouts: Path, assets: Mapping[str, Asset]) -> str:
    """What every page is made from besides its own inputs."""
    return digest(
        code_version(),
        repr(settings),
        folder_key(layouts),
        repr(sorted((a.name, a.hashed) for a in assets.values())),
    )


def inputs_key(
    design: str,
    drafts: bool,
    strict: bool,
    files: Files | None,
    content: Path,
    others: Sequence[tuple[str, int, int]] = (),
    default_image: Path | None = None,
) -> str:
    """Everything a build reads: when it equals the last build's, nothing changed.
    `others`: the content folder's other files (photos), by size and mtime."""
    return digest(
        design,
        repr((drafts, strict)),
        repr(files),
        file_key(content / registry.FILE_NAME),
        pagefind.version(),
        repr(others),
        repr(_stat(default_image) if default_image else None),
    )


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def route_key(design: str, route: Route) -> str:
    """Everything a page is made from, hashed."""
    try:
        data = pickle.dumps((route.url, route.template, route.inputs), protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return digest(design, route.url, os.urandom(16))  # unhashable: always render
    return digest(design, data)


def folder_key(folder: Path) -> str:
    """A hash of every file's name and bytes under folder."""
    if not folder.is_dir():
        return ""
    parts: list[bytes | str] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def file_key(path: Path) -> str:
    try:
        return digest(path.read_bytes())
    except OSError:
        return ""
