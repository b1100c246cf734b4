"""Model stage: the pictures of the site, as the pages show them.

A Picture is one photo made into its published files (images/); a Figure
is a picture where an article shows it, with the article's words for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator import urls


@dataclass(frozen=True, slots=True)
class PictureFile:
    name: str  # e.g. "960.webp", "1200.jpg", "16x9.jpg", "thumb.webp"
    width: int
    height: int
    digest: str  # of its bytes
    size: int


@dataclass(frozen=True, slots=True)
class Picture:
    key: str  # what its files are made from, hashed (images/stage.py): its store folder
    stem: str  # the editor's file name as a slug, for readable addresses
    address: str  # its folder on the site: key and stem, hashed (urls.picture)
    width: int  # as shown, at its largest published size
    height: int
    alpha: bool
    files: tuple[PictureFile, ...]

    def url(self, file: PictureFile) -> str:
        return urls.picture(self.address, self.stem, file.name)

    @property
    def folder(self) -> str:
        """Its output folder, as the manifest names it."""
        return urls.picture_folder(self.address)

    def _named(self, pattern: re.Pattern[str]) -> tuple[PictureFile, ...]:
        return tuple(f for f in self.files if pattern.fullmatch(f.name))

    @property
    def widths(self) -> tuple[PictureFile, ...]:
        """The WebP files for srcset, narrowest first."""
        return tuple(sorted(self._named(_WIDTH), key=lambda f: f.width))

    @property
    def fallback(self) -> PictureFile:
        """The JPEG (PNG with transparency) for old browsers and link previews."""
        return self._named(_FALLBACK)[0]

    @property
    def crops(self) -> tuple[PictureFile, ...]:
        """16:9, 4:3 and 1:1 (a lead photo's), for search engines."""
        return self._named(_CROP)

    @property
    def thumb(self) -> PictureFile | None:
        return next(iter(self._named(_THUMB)), None)


# The files of a picture, by name (images/encode.py names them)
_WIDTH = re.compile(r"\d+\.webp")
_FALLBACK = re.compile(r"\d+\.(?:jpg|png)")
_CROP = re.compile(r"\d+x\d+\.(?:jpg|png)")
_THUMB = re.compile(r"thumb\.webp")


@dataclass(frozen=True, slots=True)
class Figure:
    picture: Picture
    alt: str  # plain text
    caption: str  # HTML (escaped when the Markdown was rendered); may be empty
    inline: bool = False  # in a paragraph of text: no figure, no caption


@dataclass(frozen=True, slots=True)
class Shown:
    """An article's photos: its figures by marker number, and its lead photo."""

    figures: tuple[Figure, ...] = ()
    lead: Figure | None = None
    lead_number: int | None = None  # the figure the lead is, if it is in the body
