"""Model stage: the pictures of the site, as the pages show them.

A Picture is one photo made into its published files (images/); a Figure
is a picture where an article shows it, with the article's words for it.
"""

from __future__ import annotations

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
    key: str  # what its files are made from, hashed (images/stage.py)
    stem: str  # the editor's file name as a slug, for readable addresses
    width: int  # as shown, at its largest published size
    height: int
    alpha: bool
    files: tuple[PictureFile, ...]

    def url(self, file: PictureFile) -> str:
        return urls.picture(self.key, self.stem, file.name)

    @property
    def widths(self) -> tuple[PictureFile, ...]:
        """The WebP files for srcset, narrowest first."""
        found = [f for f in self.files if f.name.endswith(".webp") and f.name[0].isdigit()]
        return tuple(sorted(found, key=lambda f: f.width))

    @property
    def fallback(self) -> PictureFile:
        """The JPEG (PNG with transparency) for old browsers and link previews."""
        return next(f for f in self.files if f.name[0].isdigit() and not f.name.endswith(".webp"))

    @property
    def crops(self) -> tuple[PictureFile, ...]:
        """16:9, 4:3 and 1:1 (a lead photo's), for search engines."""
        return tuple(f for f in self.files if "x" in f.name.split(".")[0])

    @property
    def thumb(self) -> PictureFile | None:
        return next((f for f in self.files if f.name == "thumb.webp"), None)


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
