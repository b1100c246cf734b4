"""`archive import`: news texts (.txt, .docx) in, new article files out.

Reads every input (importread) and understands it (importtext: layout;
importfields: date and term; importunits: unit); checks that none was
imported before; only then writes one article per input, never over an
existing file. Nothing is printed here: the caller gets the articles written
and what the editor must check, or a BuildError listing every problem (and
nothing is written).

A field read with doubt, or not found at all, is written anyway (so the
article checks and previews) and named in the notes, and the article is a
draft until the editor has checked it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from generator.content import frontmatter, kinds, registry, scaffold
from generator.content.markdown import Markdown
from generator.content.sources import parse_term
from generator.dates import parse_date
from generator.errors import BuildError, ContentError
from generator.importing.fields import Found, Term, find_date, find_term, terms_in
from generator.importing.read import (
    FINGERPRINT,
    Known,
    Photo,
    fingerprint,
    known_articles,
    read_input,
)
from generator.importing.text import Layout, layout
from generator.importing.units import find_unit
from generator.infra.files import display_path
from generator.vietnamese import collapse_spaces, nfc, slugify

CAPTION_MARK = "[Chưa có ảnh]"  # in front of a caption whose photo is still to come
NO_UNIT = "Chưa rõ đơn vị"


@dataclass(frozen=True, slots=True)
class Given:
    """Fields given on the command line; they win over the text."""

    unit: str | None = None
    term: str | None = None  # "2025-2030"
    date: str | None = None  # as typed, already checked
    author: str | None = None

    @classmethod
    def from_flags(
        cls, unit: str | None, term: str | None, day: str | None, author: str | None, zone: tzinfo
    ) -> Given:
        """Check the flags' values; ValueError names the flag."""
        values = {"unit": unit, "term": term, "date": day, "author": author}
        clean = {name: collapse_spaces(nfc(v)) for name, v in values.items() if v is not None}
        for name, value in clean.items():
            if not value:
                raise ValueError(f"--{name} must not be empty")
        try:
            if "term" in clean:
                clean["term"] = parse_term(clean["term"])
        except ValueError as error:
            raise ValueError(f"--term: {error}") from None
        try:
            if "date" in clean:
                parse_date(clean["date"], zone)
        except ValueError as error:
            raise ValueError(f"--date: {error}") from None
        return cls(**clean)


@dataclass(frozen=True, slots=True)
class Draft:
    """One input, understood and ready to be written."""

    input: str  # the input as shown to the editor
    source: str  # its file name, for the `source` field
    fingerprint: str
    title: str
    unit: str
    term: str
    date: str
    year: int
    author: str | None
    body: str  # Markdown; its photos' folder written as PHOTO_FOLDER until the file is named
    checks: tuple[str, ...]  # what the editor must confirm; a draft until then
    notes: tuple[ContentError, ...]
    photos: tuple[tuple[str, bytes], ...] = ()  # (file name, bytes), for the photos' folder
    kind: str = kinds.NEWS  # what it reports (kinds.KINDS)
    congress_number: str | None = None  # "III", read from "Đại hội ... lần thứ III"


@dataclass(frozen=True, slots=True)
class Imported:
    draft: Draft
    path: Path
    draft_line: int | None  # line of `draft: true` in the article, when a draft


def import_files(
    files: Sequence[Path],
    content_dir: Path,
    given: Given,
    zone: tzinfo,
    warn: Callable[[ContentError], None],
    today: date | None = None,
) -> list[Imported]:
    """Read and understand every input, then write them; BuildError when any cannot be."""
    if not content_dir.is_dir():
        folder = display_path(content_dir)
        raise BuildError([ContentError(folder, None, "the content folder does not exist")])
    try:
        units = registry.load(content_dir, warn)
    except ContentError as error:
        raise BuildError([error]) from None
    known_units, known_terms = scaffold.in_use(content_dir)
    context = _Context(units, known_units, known_terms, today or datetime.now(zone).date(), zone)
    known = known_articles(content_dir)
    drafts: list[Draft] = []
    problems: list[ContentError] = []
    for path in files:
        try:
            shown, text, photos = read_input(path)
            draft = understand(text, shown, path.name, given, context, photos)
            drafts.append(_compare(draft, known, drafts))
        except ContentError as error:
            problems.append(error)
    if problems:
        raise BuildError(problems)
    done: list[Imported] = []
    for draft in drafts:
        done.append(write(draft, content_dir, [display_path(d.path) for d in done]))
    return done


@dataclass(frozen=True, slots=True)
class _Context:
    units: registry.Registry
    known_units: list[str]
    known_terms: list[str]
    today: date
    zone: tzinfo


class _Reading:
    """Collects the notes and the checks of one input while its fields are read."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.notes: list[ContentError] = []
        self.checks: list[str] = []

    def note(self, line: int | None, message: str) -> None:
        self.notes.append(ContentError(self.shown, line, message))

    def doubt(self, field: str, line: int | None, message: str) -> None:
        self.note(line, message)
        if field not in self.checks:
            self.checks.append(field)

    def take(self, field: str, found: Found) -> str:
        if not found.sure:
            self.doubt(field, found.line, found.note)
        return found.value


def understand(
    text: str,
    shown: str,
    name: str,
    given: Given,
    context: _Context,
    photos: Sequence[Photo] = (),
) -> Draft:
    """The article one text makes; raises ContentError when there is none."""
    page = layout(text, len(photos))
    if page.title is None:
        raise ContentError(shown, 1, "the file has only portal lines; there is nothing to import")
    if not page.blocks:
        raise ContentError(shown, page.title.number, "there is no text after the title")
    reading = _Reading(shown)
    for note in page.notes:
        if note.line == page.title.number:
            reading.doubt("title", note.line, note.message)
        else:
            reading.note(note.line, note.message)
    terms = terms_in(page)
    day, year, dated = _date(page, terms, given, context, reading)
    term = given.term or _term(terms, year, dated, context, reading)
    unit = _unit(page, given, context, reading)
    markdown, files = body(page, reading, photos)
    kind, number = _kind(page, reading)
    return Draft(
        input=shown,
        source=name,
        fingerprint=fingerprint(text),
        title=collapse_spaces(page.title.text),
        unit=unit,
        term=term,
        date=given.date or (day.value if day else _today(context)),
        year=year,
        author=given.author or page.author,
        body=markdown,
        checks=tuple(reading.checks),
        notes=tuple(reading.notes),
        photos=files,
        kind=kind,
        congress_number=number,
    )


def _kind(page: Layout, reading: _Reading) -> tuple[str, str | None]:
    """What the text reports, from its title and first paragraph; a doubt when
    the two disagree or the title names a congress only in passing."""
    title = page.title.text if page.title else ""
    first = page.paragraphs[0] if page.paragraphs else None
    read = kinds.read_kind(title, first.text if first else "")
    if not read.sure:
        line = page.title.number if page.title else None
        reading.doubt("kind", line, f"{read.note}; wrote kind: {read.kind}")
    number = None
    if read.kind == kinds.CONGRESS:
        number = kinds.read_congress_number(title, first.text if first else "")
    return read.kind, number


def _today(context: _Context) -> str:
    return f"{context.today.day}/{context.today.month}/{context.today.year}"


def _date(
    page: Layout, terms: list[Term], given: Given, context: _Context, reading: _Reading
) -> tuple[Found | None, int, bool]:
    """The date read (None: given or not found), its year, and whether the year is sure."""
    if given.date:
        return None, parse_date(given.date, context.zone).moment.year, True
    starts = sorted({t.start for t in terms}, reverse=True)
    found = find_date(page, [*starts, context.today.year])
    if found is None:
        reading.doubt(
            "date",
            1,
            "no date found (no dateline, no date in the opening sentence);"
            f" wrote today, {_today(context)}; give --date",
        )
        return None, context.today.year, False
    reading.take("date", found)
    return found, parse_date(found.value, context.zone).moment.year, found.sure


def _term(terms: list[Term], year: int, dated: bool, context: _Context, reading: _Reading) -> str:
    found = find_term(terms, year if dated else None)
    if found is not None:
        return reading.take("term", found)
    term = scaffold.default_term(context.known_terms, year) or f"{year}-{year + 5}"
    reading.doubt("term", 1, f"no term (nhiệm kỳ …) found; wrote {term}; give --term")
    return term


def _unit(page: Layout, given: Given, context: _Context, reading: _Reading) -> str:
    units = context.units
    if given.unit:
        unit, completed = scaffold.resolve_unit(given.unit, units, context.known_units)
        if completed:
            reading.note(None, f"unit: '{given.unit}' is written as '{unit}'")
        elif units and units.find(unit) is None:
            reading.note(None, f"unit '{unit}' is not in {units.path}")
        return unit
    found = find_unit(page, units)
    if found is None:
        reading.doubt(
            "unit", 1, f"no unit (Chi bộ …, Đảng bộ …) found; wrote '{NO_UNIT}'; give --unit"
        )
        return NO_UNIT
    return reading.take("unit", found)


_MARKDOWN = Markdown()
_ESCAPED = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#"})
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def caption_markdown(text: str) -> str:
    """An italic paragraph (the site's caption form), marked until the photo is added."""
    return f"*{CAPTION_MARK} {collapse_spaces(text).translate(_ESCAPED)}*"


PHOTO_FOLDER = "\ufffcfolder"  # the photos' folder, named once the article's file is
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp", ".heic")


def body(
    page: Layout, reading: _Reading, photos: Sequence[Photo] = ()
) -> tuple[str, tuple[tuple[str, bytes], ...]]:
    """The article's Markdown, and the photos it places (file name, bytes): each
    photo above its caption."""
    blocks: list[str] = []
    files: list[tuple[str, bytes]] = []
    captions: list[int] = []  # lines of captions that have no photo
    placed = False  # the block before was a photo put in place
    for block in page.blocks:
        text = block.line.text
        if block.photo is not None:
            photo = photos[block.photo]
            suffix = Path(photo.name).suffix.lower()
            placed = suffix in PICTURE_SUFFIXES
            if not placed:
                reading.note(
                    block.line.number,
                    f"the document's picture '{photo.name}' is a drawing the site cannot show;"
                    " save it as a photo (JPEG or PNG) and put it in place",
                )
                continue
            name = f"anh-{len(files) + 1}{'.jpg' if suffix == '.jpeg' else suffix}"
            files.append((name, photo.data))
            alt = collapse_spaces(photo.alt).translate(_ESCAPED)
            blocks.append(f"![{alt}]({PHOTO_FOLDER}/{name})")
            continue
        if block.caption:
            if placed:  # under its photo, in the same paragraph
                blocks[-1] += f"\n*{collapse_spaces(text).translate(_ESCAPED)}*"
            else:
                blocks.append(caption_markdown(text))
                captions.append(block.line.number)
            placed = False
            continue
        placed = False
        if _MARKDOWN.render(text).html != f"<p>{text.translate(_HTML)}</p>\n":
            reading.note(
                block.line.number,
                "Markdown reads part of this paragraph as formatting (list, heading, emphasis"
                " or link); check how it looks in 'archive serve'",
            )
        blocks.append(text)
    if captions:
        plural = "s" if len(captions) > 1 else ""
        where = ", ".join(map(str, captions))
        reading.note(
            captions[0],
            f"{len(captions)} photo caption{plural} without the photo (line{plural} {where}):"
            f" put each photo above its caption and delete '{CAPTION_MARK} '",
        )
    return "\n\n".join(blocks) + "\n", tuple(files)


def _compare(draft: Draft, known: list[Known], batch: list[Draft]) -> Draft:
    """Refuse a text imported before; ask to check an article that looks the same."""
    for other in batch:
        if other.fingerprint == draft.fingerprint:
            raise ContentError(draft.input, None, f"the same text as {other.input}, given twice")
    title = slugify(draft.title)
    for article in known:
        same_file = article.source == draft.source and article.title == title
        if article.fingerprint == draft.fingerprint or same_file:
            raise ContentError(draft.input, None, f"already imported, as {article.path}")
    zone_free = parse_date(draft.date, UTC).moment
    day = (zone_free.year, zone_free.month, zone_free.day)
    for article in known:
        if title and article.title == title and article.day == day:
            note = ContentError(
                draft.input,
                None,
                f"{article.path} has the same title and date; check that this is other news",
            )
            checks = (*draft.checks, f"that it is not {article.path} again")
            return replace(draft, checks=checks, notes=(*draft.notes, note))
    return draft


def article_text(draft: Draft) -> tuple[str, int | None]:
    """The file's text, and the line of `draft: true` when it is a draft."""
    new = scaffold.NewArticle(draft.title, draft.unit, draft.term, draft.date, draft.author)
    lines = scaffold.file_text(new).split("\n")
    close = len(lines) - 1 - lines[::-1].index(frontmatter.FENCE)
    extra = [f"kind: {draft.kind}"]
    if draft.congress_number:
        extra.append(f'congress_number: "{draft.congress_number}"')
    extra.append(f"source: {json.dumps(draft.source, ensure_ascii=False)}")
    draft_line = None
    if draft.checks:
        extra.append(f"draft: true  # check {'; '.join(draft.checks)}; then delete this line")
        draft_line = close + len(extra)
    extra.append(FINGERPRINT + draft.fingerprint)
    lines[close:close] = extra
    return "\n".join(lines) + draft.body, draft_line


def write(draft: Draft, content_dir: Path, before: list[str]) -> Imported:
    """Write the article under `content/<year>/`, never over an existing file.

    `before`: the articles this import wrote already, named if this one fails.
    """
    text, draft_line = article_text(draft)
    while True:
        path = scaffold.target(content_dir, draft.year, draft.title)
        folder = path.with_suffix("")  # the photos' folder, beside the article
        if draft.photos and folder.exists():
            path = path.with_name(f"{path.stem}-anh.md")  # never mixed with others' photos
            folder = path.with_suffix("")
            if path.exists() or folder.exists():
                raise ContentError(
                    display_path(folder), None, "already exists; move it, then import again"
                )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text.replace(PHOTO_FOLDER, folder.name))
            for name, data in draft.photos:
                folder.mkdir(exist_ok=True)
                with (folder / name).open("xb") as photo:
                    photo.write(data)
        except FileExistsError:  # written meanwhile by someone else: take the next name
            continue
        except OSError as error:
            done = f"; written before it: {', '.join(before)}" if before else ""
            message = f"cannot write the article: {error.strerror}{done}"
            raise ContentError(display_path(path), None, message) from None
        return Imported(draft, path, draft_line)
