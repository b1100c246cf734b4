"""Import, the reading: the inputs (plain text or .docx) and, so that a text
is not imported twice, what the articles already in the content folder say.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from xml.etree import ElementTree

import yaml

from generator.content import frontmatter
from generator.content.files import article_files
from generator.content.sources import decode
from generator.dates import parse_date
from generator.errors import BuildError, ContentError
from generator.infra.files import display_path
from generator.vietnamese import collapse_spaces, nfc, slugify

FINGERPRINT = "# archive import: text fingerprint "  # a comment in an imported article
UNREADABLE = (".doc", ".pdf", ".odt", ".rtf", ".pages", ".wps")
_DOCX_LIMIT = 64 * 1024 * 1024  # bytes of document.xml: more is not a news article
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_input(path: Path) -> tuple[str, str]:
    """The input's name as shown and its text (NFC, LF line ends)."""
    shown = display_path(path)
    suffix = path.suffix.lower()
    if suffix in UNREADABLE:
        raise ContentError(
            shown, None, f"{suffix} files cannot be read; save it as .docx or as plain text"
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(shown, None, "there is no such file") from None
    except IsADirectoryError:
        raise ContentError(shown, None, "this is a folder; give the text files in it") from None
    except OSError as error:
        raise ContentError(shown, None, f"cannot read the file: {error.strerror}") from None
    if suffix == ".docx":
        text = nfc(frontmatter.clean_text(docx_text(data, shown)))
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _utf16(data, shown)  # Notepad's "Unicode"
    else:
        text = decode(data, shown)
    if "\x00" in text:
        raise ContentError(shown, None, "this is not a text file; save the article as plain text")
    if not text.strip():
        raise ContentError(shown, 1, "the file is empty; there is nothing to import")
    if text.startswith(frontmatter.FENCE + "\n"):
        raise ContentError(shown, 1, "this is already an article (it starts with '---')")
    return shown, text


def _utf16(data: bytes, shown: str) -> str:
    try:
        text = data.decode("utf-16")  # the byte-order mark says which end first
    except UnicodeDecodeError:
        raise ContentError(
            shown, None, "the file is not readable UTF-16 text; save it as UTF-8"
        ) from None
    return nfc(frontmatter.clean_text(text))


def docx_text(data: bytes, shown: str) -> str:
    """The paragraphs of a Word document, one per line (the standard library is enough)."""
    unreadable = ContentError(shown, None, "this is not a readable .docx file; save it again")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as document:
            info = document.getinfo("word/document.xml")
            if info.file_size > _DOCX_LIMIT:
                raise unreadable
            root = ElementTree.fromstring(document.read(info))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        raise unreadable from None
    return "\n".join(_runs(paragraph) for paragraph in root.iter(f"{_W}p"))


def _runs(node: ElementTree.Element) -> str:
    parts = []
    for child in node:
        if child.tag == f"{_W}t":
            parts.append(child.text or "")
        elif child.tag == f"{_W}tab":
            parts.append("\t")
        elif child.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif child.tag not in (f"{_W}p", f"{_W}txbxContent"):  # nested: a paragraph of its own
            parts.append(_runs(child))
    return "".join(parts)


def fingerprint(text: str) -> str:
    """Same words line by line, same fingerprint: white space and blank lines do not count."""
    lines = (collapse_spaces(line) for line in text.split("\n"))
    return hashlib.sha256("\n".join(line for line in lines if line).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Known:
    """An article already in the content folder, as far as re-imports go."""

    path: str
    fingerprint: str | None
    source: str | None
    title: str  # as a slug: accents, case and dashes do not count
    day: tuple[int, int, int] | None


def known_articles(content_dir: Path) -> list[Known]:
    """Every article that reads well enough to compare (broken ones are skipped)."""
    known = []
    for path in article_files(content_dir):
        shown = display_path(path)
        try:
            text = decode(path.read_bytes(), shown)
            document = frontmatter.split(text, shown)
        except (ContentError, BuildError, OSError):
            continue  # a broken article is `archive check`'s business, not a re-import
        fields = {
            name: str(field.node.value)
            for name, field in document.fields.items()
            if isinstance(field.node, yaml.ScalarNode)
        }
        head = text[: len(text) - len(document.body)].split("\n")
        mark = next((line for line in head if line.startswith(FINGERPRINT)), None)
        stamp = mark[len(FINGERPRINT) :].strip() if mark else None
        title = slugify(fields.get("title", ""))
        known.append(Known(shown, stamp, fields.get("source"), title, _day(fields.get("date"))))
    return known


def _day(raw: str | None) -> tuple[int, int, int] | None:
    try:
        moment = parse_date(raw or "", UTC).moment
    except ValueError:
        return None  # a wrong date is `archive check`'s business
    return (moment.year, moment.month, moment.day)
