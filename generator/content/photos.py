"""Load stage: the photos an article names, as its Markdown says them.

The Markdown renderer leaves a marker (`<!--photo:3-->`) where each photo of
the article's own goes, and a PhotoRef for it: the address as written, its
line, its text. The marker cannot come from an editor (raw HTML is shown as
text), and the picture's sizes and files are known only after the image
stage, so the cached rendering stays a function of the file's bytes; the
page puts the figure in place of the marker (pages/figures.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True, slots=True)
class PhotoRef:
    src: str  # as written in the file, e.g. "dai-hoi/bieu-quyet.jpg"
    line: int  # in the file
    alt: str  # what describes it to someone who cannot see it: its own text, else the caption's
    caption: str  # the italic line under it, as HTML (escaped); may be empty
    inline: bool = False  # inside a paragraph of text: shown without a figure


def marker(number: int) -> str:
    return f"<!--photo:{number}-->"


MARKER = re.compile(r"<!--photo:(\d+)-->")


def is_own(src: str) -> bool:
    """Whether an image address names a file beside the article (processed as a
    photo), not one of the site's assets (`/assets/...`) or another site's."""
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc and not src.startswith(("/", "#"))


def file_name(src: str) -> str:
    """The path an address names (percent-escapes decoded)."""
    return unquote(urlsplit(src).path)
