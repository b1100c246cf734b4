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
from generator.importing.text import PHOTO
from generator.infra.files import display_path
from generator.vietnamese import collapse_spaces, nfc, slugify

FINGERPRINT = "# archive import: text fingerprint "  # a comment in an imported article
UNREADABLE = (".doc", ".pdf", ".odt", ".rtf", ".pages", ".wps")
_DOCX_LIMIT = 64 * 1024 * 1024  # bytes of document.xml (or of one photo): more is not news
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_V = "{urn:schemas-microsoft-com:vml}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True, slots=True)
class Photo:
    """A picture embedded in a Word document (`word/media/`)."""

    name: str  # as stored, e.g. image1.jpeg
    data: bytes
    alt: str  # the document's own description of it ("Alt Text"), if any


def read_input(path: Path) -> tuple[str, str, tuple[Photo, ...]]:
    """The input's name as shown, its text (NFC, LF line ends) and its photos
    (a .docx's; each stands on a line of its own in the text: PHOTO + number)."""
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
    photos: tuple[Photo, ...] = ()
    if suffix == ".docx":
        raw, photos = docx_text(data, shown)
        text = nfc(frontmatter.clean_text(raw))
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
    return shown, text, photos


def _utf16(data: bytes, shown: str) -> str:
    try:
        text = data.decode("utf-16")  # the byte-order mark says which end first
    except UnicodeDecodeError:
        raise ContentError(
            shown, None, "the file is not readable UTF-16 text; save it as UTF-8"
        ) from None
    return nfc(frontmatter.clean_text(text))


def docx_text(data: bytes, shown: str) -> tuple[str, tuple[Photo, ...]]:
    """The paragraphs of a Word document, one per line, and its photos, each on
    a line of its own before the text of its paragraph (the standard library is enough)."""
    unreadable = ContentError(shown, None, "this is not a readable .docx file; save it again")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as document:
            info = document.getinfo("word/document.xml")
            if info.file_size > _DOCX_LIMIT:
                raise unreadable
            root = ElementTree.fromstring(document.read(info))
            targets = _relations(document)
            lines: list[str] = []
            photos: list[Photo] = []
            seen: set[int] = set()
            for paragraph in root.iter(f"{_W}p"):
                before = len(photos)
                for rid, alt, element in _pictures(paragraph):
                    if id(element) in seen or rid not in targets:
                        continue  # a text box's photo is its own paragraph's
                    seen.add(id(element))
                    photo = _media(document, targets[rid], alt)
                    if photo is not None:
                        lines.append(f"{PHOTO}{len(photos)}")
                        photos.append(photo)
                text = _runs(paragraph)
                if text or len(photos) == before:  # a paragraph that is a photo has no line
                    lines.append(text)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        raise unreadable from None
    return "\n".join(lines), tuple(photos)


def _relations(document: zipfile.ZipFile) -> dict[str, str]:
    """Relationship id -> the part it names (`word/media/image1.jpeg`)."""
    try:
        root = ElementTree.fromstring(document.read("word/_rels/document.xml.rels"))
    except KeyError:
        return {}
    found = {}
    for relation in root.iter(f"{_RELS}Relationship"):
        target = relation.get("Target", "")
        if relation.get("TargetMode") != "External" and target.startswith("media/"):
            found[relation.get("Id", "")] = "word/" + target
    return found


def _pictures(paragraph: ElementTree.Element) -> list[tuple[str, str, ElementTree.Element]]:
    """(relationship id, alt text, element) of the pictures in a paragraph, in order."""
    found = []
    for drawing in paragraph.iter(f"{_W}drawing"):
        described = next(drawing.iter(f"{_WP}docPr"), None)
        alt = (described.get("descr") or "") if described is not None else ""
        for blip in drawing.iter(f"{_A}blip"):
            found.append((blip.get(f"{_R}embed", ""), alt, blip))
    for image in paragraph.iter(f"{_V}imagedata"):  # pictures of older Word versions
        found.append((image.get(f"{_R}id", ""), image.get("title", ""), image))
    return found


def _media(document: zipfile.ZipFile, part: str, alt: str) -> Photo | None:
    try:
        info = document.getinfo(part)
    except KeyError:
        return None
    if info.file_size > _DOCX_LIMIT:
        return None
    return Photo(part.rsplit("/", 1)[-1], document.read(info), collapse_spaces(alt))


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
