"""Image stage: every photo the articles name, found, checked and made into
its published files (encode.py), in worker processes, through the store.

A photo is keyed by its bytes, the size settings and the encoding code:
an unchanged photo costs a `stat` on a rebuild (its hash is remembered by
size and mtime, like an article file's), a new one is encoded once, and the
files are the same bytes whichever build made them. A problem with a photo
is the article's, at the line that names it; every problem is reported.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import PIL
import pillow_heif
from markupsafe import escape

from generator.content.photos import PhotoRef, file_name
from generator.content.records import Prepared
from generator.errors import ContentError
from generator.images import encode
from generator.images.encode import PictureError, Sizes
from generator.images.store import Store
from generator.infra import parallel
from generator.infra.cache import Cache, digest
from generator.infra.files import display_path
from generator.site.photos import Figure, Picture, PictureFile, Shown
from generator.vietnamese import slugify

# What a picture's files are made by: the encoding code and the libraries, not
# this module (a change here must not make 20,000 photos again).
_CODE = digest(Path(encode.__file__).read_bytes(), PIL.__version__, pillow_heif.__version__)


@dataclass(slots=True)
class Pictured:
    """The image stage's result."""

    shown: dict[str, Shown] = field(default_factory=dict)  # by article file
    pictures: dict[str, Picture] = field(default_factory=dict)  # by key
    problems: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    default: Picture | None = None  # the site's image for pages without a photo
    encoded: int = 0  # pictures encoded in this build (the rest came from the store)
    store: Store | None = None

    @property
    def detail(self) -> str:
        total = len(self.pictures)
        return f"{total:,} pictures: {self.encoded:,} made, {total - self.encoded:,} kept"


# (file as shown, size, mtime, hash known for that size and mtime, lead)
_Work = tuple[str, int, int, str | None, bool]


def process(
    articles: Sequence[Prepared],
    content: Path,
    cache: Cache,
    sizes: Sizes,
    jobs: int,
    default_image: Path | None = None,
) -> Pictured:
    """Every photo of `articles` (and the site's default image) made ready."""
    result = Pictured(store=Store.of(cache.folder))
    wanted: dict[tuple[str, bool], list[tuple[str, PhotoRef]]] = {}
    located: dict[tuple[str, str], str] = {}  # (article, src) -> file as shown
    folders: dict[str, str] = {}  # real paths, for _locate
    named = {prepared.source.path: _photos_of(prepared) for prepared in articles}
    for article, photos in named.items():
        for ref, lead in photos:
            try:
                place = _locate(article, ref.src, content, folders)
            except PictureError as error:
                name = file_name(ref.src)
                result.problems.append(ContentError(article, ref.line, f"photo '{name}' {error}"))
                continue
            located[(article, ref.src)] = place
            wanted.setdefault((place, lead), []).append((article, ref))
    default_key: tuple[str, bool] | None = None
    if default_image is not None:
        default_key = (display_path(default_image), True)
        wanted.setdefault(default_key, [])
    made = _make(wanted, cache, sizes, jobs, result)
    for prepared in articles:
        path = prepared.source.path
        result.shown[path] = _shown(prepared, named[path], located, made)
    if default_key is not None:
        result.default = made.get(default_key)
    return result


def _refs(prepared: Prepared) -> list[PhotoRef]:
    """The body's photos, and the lead photo when the front matter names one
    that is not in the body."""
    refs = list(prepared.photos)
    source = prepared.source
    if source.image and all(file_name(r.src) != file_name(source.image) for r in refs):
        caption = source.image_caption or ""
        refs.append(PhotoRef(source.image, source.image_line, caption, str(escape(caption))))
    return refs


def _photos_of(prepared: Prepared) -> list[tuple[PhotoRef, bool]]:
    """Every photo the article names, and whether it is its lead photo (the one
    the front matter names, else the first that is not inside a paragraph)."""
    refs = _refs(prepared)
    wanted = prepared.source.image
    lead: PhotoRef | None
    if wanted:
        lead = next(r for r in refs if file_name(r.src) == file_name(wanted))
    else:
        lead = next((r for r in refs if not r.inline), refs[0] if refs else None)
    return [(ref, lead is not None and ref.src == lead.src) for ref in refs]


def _shown(
    prepared: Prepared,
    photos: list[tuple[PhotoRef, bool]],
    located: dict[tuple[str, str], str],
    made: dict[tuple[str, bool], Picture],
) -> Shown:
    figures: list[Figure] = []
    lead: Figure | None = None
    lead_number: int | None = None
    in_body = len(prepared.photos)
    for number, (ref, is_lead) in enumerate(photos):
        place = located.get((prepared.source.path, ref.src))
        picture = made.get((place, is_lead)) if place else None
        if picture is None:
            return Shown()  # a problem was reported: this build stops
        figure = Figure(picture, ref.alt, ref.caption, ref.inline)
        if is_lead and lead is None:
            lead = figure
            lead_number = number if number < in_body else None
        if number < in_body:
            figures.append(figure)
    return Shown(tuple(figures), lead, lead_number)


@functools.lru_cache(maxsize=8)
def _root(content: str, working: str) -> tuple[str, str, str]:
    """The content folder: absolute, with links resolved, and as shown (from `working`)."""
    return os.path.abspath(content), os.path.realpath(content), display_path(Path(content))


def _locate(article: str, src: str, content: Path, folders: dict[str, str]) -> str:
    """The photo's file, as shown, when it may be published; else PictureError.
    (Strings, not Path objects, and one lstat: this runs for every photo of the
    archive; `folders` remembers each folder's real path.)"""
    root, real_root, shown_root = _root(os.fspath(content), os.getcwd())
    shown = os.path.normpath(os.path.join(os.path.dirname(article), file_name(src)))
    absolute = os.path.abspath(shown)
    if not absolute.startswith(root + os.sep):
        raise PictureError(f"is outside {shown_root}/; put the photo beside the article")
    try:
        mode = os.lstat(shown).st_mode
    except OSError:
        for form in ("NFC", "NFD"):  # macOS writes names decomposed
            other = unicodedata.normalize(form, shown)
            with contextlib.suppress(OSError):
                mode, shown = os.lstat(other).st_mode, other
                absolute = os.path.abspath(shown)
                break
        else:
            raise PictureError(
                f"does not exist (looked for {Path(shown).as_posix()});"
                " check the file name, or copy the photo there"
            ) from None
    folder, name = os.path.split(absolute)
    real = os.path.join(_real_folder(folder, folders), name)
    if stat.S_ISLNK(mode):
        real = os.path.realpath(real)
    if not real.startswith(real_root + os.sep):
        raise PictureError(
            f"is a link to {Path(real).as_posix()}, outside {shown_root}/; copy the file instead"
        )
    regular = os.path.isfile(real) if stat.S_ISLNK(mode) else stat.S_ISREG(mode)
    if not regular:
        raise PictureError("is a folder, not a photo")
    return shown if os.sep == "/" else Path(shown).as_posix()


def _real_folder(folder: str, known: dict[str, str]) -> str:
    """os.path.realpath(folder), with one lstat per folder not seen before."""
    found = known.get(folder)
    if found is None:
        parent, name = os.path.split(folder)
        if not name:
            return folder
        found = os.path.join(_real_folder(parent, known), name)
        if os.path.islink(found):
            found = os.path.realpath(found)
        known[folder] = found
    return found


def _make(
    wanted: dict[tuple[str, bool], list[tuple[str, PhotoRef]]],
    cache: Cache,
    sizes: Sizes,
    jobs: int,
    result: Pictured,
) -> dict[tuple[str, bool], Picture]:
    known = cache.file_digests()
    work: list[_Work] = []
    for shown, lead in sorted(wanted):
        try:
            info = os.stat(shown)
        except OSError as error:
            _report(result, wanted[(shown, lead)], shown, f"cannot be read: {error.strerror}")
            continue
        hit = known.get(shown)
        same = hit is not None and hit[0] == info.st_size and hit[1] == info.st_mtime_ns
        work.append((shown, info.st_size, info.st_mtime_ns, hit[2] if same and hit else None, lead))
    store = result.store
    assert store is not None
    made: dict[tuple[str, bool], Picture] = {}
    todo: list[_Work] = []
    for item in work:  # unchanged photos made before: found here, no worker needed
        shown, _size, _mtime, hashed, lead = item
        key = picture_key(hashed, sizes, lead) if hashed else ""
        listing = store.find(key) if key else None
        if listing is None:
            todo.append(item)
        else:
            made[(shown, lead)] = result.pictures[key] = _picture(key, shown, listing)
    items = [(item, sizes, str(store.folder)) for item in todo]
    fresh: list[tuple[str, int, int, str]] = []
    for shown, lead, pair, hashed, key, listing, problem, encoded in parallel.map_unordered(
        _one, items, jobs, 1
    ):
        if hashed is not None:
            fresh.append((shown, pair[0], pair[1], hashed))
        if problem is not None:
            _report(result, wanted[(shown, lead)], shown, problem)
            continue
        assert listing is not None
        picture = _picture(key, shown, listing)
        result.pictures[key] = picture
        result.encoded += encoded
        made[(shown, lead)] = picture
    cache.remember_files(fresh)
    return made


def _report(
    result: Pictured, users: Iterable[tuple[str, PhotoRef]], shown: str, error: str
) -> None:
    users = list(users)
    if not users:  # the site's default image
        result.problems.append(ContentError("archive.yaml", None, f"image '{shown}' {error}"))
    for article, ref in users:
        name = file_name(ref.src)
        result.problems.append(ContentError(article, ref.line, f"photo '{name}' {error}"))


def _picture(key: str, shown: str, listing: dict[str, Any]) -> Picture:
    """The model's picture. An archive holds ~7 files per photo, 140,000 at
    10,000 articles, in every build process: names and sizes that repeat are
    shared (sys.intern, one int per value), 32 MB -> 20 MB there."""
    same = _SHARED.setdefault
    files = tuple(
        PictureFile(
            sys.intern(str(name)), same(int(w), int(w)), same(int(h), int(h)), str(d), int(size)
        )
        for name, w, h, d, size in listing["files"]
    )
    stem = slugify(Path(shown).stem) or "anh"
    width, height = int(listing["width"]), int(listing["height"])
    address = digest(key, stem)[:16]
    return Picture(
        key, stem, address, same(width, width), same(height, height), bool(listing["alpha"]), files
    )


_SHARED: dict[int, int] = {}


def picture_key(data_hash: str, sizes: Sizes, lead: bool) -> str:
    return digest(_CODE, repr(sizes), str(lead), data_hash)


def _one(
    item: tuple[_Work, Sizes, str],
) -> tuple[str, bool, tuple[int, int], str | None, str, dict[str, Any] | None, str | None, int]:
    """One picture (in a worker): (file, lead, stat, hash if computed here, key,
    listing, problem, 1 if encoded now)."""
    (shown, size, mtime, known, lead), sizes, folder = item
    store = Store(Path(folder))
    if known is not None:
        key = picture_key(known, sizes, lead)
        found = store.find(key)
        if found is not None:
            return shown, lead, (size, mtime), None, key, found, None, 0
    try:
        with open(shown, "rb") as file:
            info = os.fstat(file.fileno())
            data = file.read()
    except OSError as error:
        return shown, lead, (size, mtime), None, "", None, f"cannot be read: {error.strerror}", 0
    hashed = digest(data)
    key = picture_key(hashed, sizes, lead)
    stat_pair = (info.st_size, info.st_mtime_ns)
    found = store.find(key)
    if found is not None:
        return shown, lead, stat_pair, hashed, key, found, None, 0
    try:
        encoded = encode.encode(data, sizes, lead)
    except PictureError as error:
        return shown, lead, stat_pair, hashed, key, None, str(error), 0
    return shown, lead, stat_pair, hashed, key, store.save(key, encoded), None, 1
