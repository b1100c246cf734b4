"""Assets: the project's assets/ folder as the files the site will hold.

Stylesheets and scripts are published only under content-hashed names
(`css/site.3f2a1b9c0d.css`), minified first (the comments that explain the
search script are for its readers, not for a phone: 17.0 KB -> 10.1 KB, 3.6 KB
compressed), so a host may cache them
for ever and a change still reaches readers at once. Other files (images)
keep their names, because articles link to them by name, and also get a
hashed copy when a layout refers to them through `asset()`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import rcssmin
import rjsmin

HASHED_ONLY = (".css", ".js")


@dataclass(frozen=True, slots=True)
class Asset:
    source: Path
    name: str  # as layouts and articles name it: "css/site.css"
    hashed: str  # "css/site.3f2a1b9c0d.css"
    data: bytes | None  # what to write when it is not the file as is (minified CSS)

    @property
    def keeps_name(self) -> bool:
        return PurePosixPath(self.name).suffix not in HASHED_ONLY


def _hashed(name: str, data: bytes) -> str:
    path = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def collect(folder: Path) -> dict[str, Asset]:
    """Every asset by the name layouts use, in a stable order; hidden files skipped."""
    found: dict[str, Asset] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        name = relative.as_posix()
        raw = path.read_bytes()
        data = None
        if path.suffix == ".css":
            data = rcssmin.cssmin(raw.decode("utf-8")).encode("utf-8")
        elif path.suffix == ".js":
            data = rjsmin.jsmin(raw.decode("utf-8")).encode("utf-8")
        found[name] = Asset(path, name, _hashed(name, data if data is not None else raw), data)
    return found


def outputs(assets: Mapping[str, Asset], referenced: set[str]) -> dict[str, Asset]:
    """Relative output path (under assets/) -> asset, for the files to publish."""
    files: dict[str, Asset] = {}
    for asset in assets.values():
        if asset.keeps_name:
            files[asset.name] = asset
        if not asset.keeps_name or asset.name in referenced:
            files[asset.hashed] = asset
    return files
