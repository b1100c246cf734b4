"""Load stage, one file at a time: validate an article file's fields into a Source.

Every problem of a file is collected and raised together. load.py reads
all the files (through the build cache, in worker processes); this module
knows what one article file must hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

import yaml

from generator.content import frontmatter, kinds
from generator.content.photos import is_own
from generator.dates import ParsedDate, parse_date
from generator.errors import BuildError, ContentError
from generator.infra.files import display_path
from generator.vietnamese import collapse_spaces, nfc, slugify

REQUIRED = ("title", "unit", "term", "date")
OPTIONAL = (
    "author",
    "summary",
    "tags",
    "slug",
    "draft",
    "updated",
    "source",
    "image",
    "image_caption",
    "kind",
    "congress_number",
    "sample",
)
_TERM = re.compile(r"(\d{4})\s*[-‐‑‒–—―]\s*(\d{4})")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_BOOL = "tag:yaml.org,2002:bool"


@dataclass(frozen=True, slots=True)
class Source:
    """One article file, validated and normalised; nothing rendered yet."""

    path: str  # as shown to editors, e.g. content/2025/x.md
    title: str
    unit: str
    unit_line: int
    term: str  # always "YYYY-YYYY"
    date: ParsedDate
    updated: ParsedDate | None  # when the article was last corrected, if said
    author: str | None
    summary: str | None
    tags: tuple[str, ...]
    slug: str | None  # set by the editor, already checked
    draft: bool
    body: str
    body_line: int
    image: str | None = None  # the lead photo, as written (relative to the file)
    image_line: int = 1
    image_caption: str | None = None  # its text, when it is not a photo of the body
    kind: str | None = None  # what it reports (kinds.KINDS), when the editor said
    congress_number: str | None = None  # "III": which congress, when the editor said
    sample: bool = False  # sample text, not news: the page says so


def parse_term(raw: str) -> str:
    """`2025 - 2030`, `2025–2030` ... -> `2025-2030`; ValueError says what is wrong."""
    match = _TERM.fullmatch(collapse_spaces(raw))
    if match is None:
        raise ValueError(f"term '{raw}' is not a term such as 2025-2030")
    start, end = int(match.group(1)), int(match.group(2))
    if end <= start:
        raise ValueError(f"term '{raw}' ends before it starts; write it as {end}-{start}")
    return f"{start}-{end}"


def decode(data: bytes, shown: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise ContentError(
            shown, line, f"the file is not UTF-8 text (byte 0x{byte:02X}); save it as UTF-8"
        ) from None
    return nfc(frontmatter.clean_text(text))


def read_source(path: Path, zone: tzinfo, warn: Callable[[ContentError], None]) -> Source:
    return parse_source(display_path(path), path.read_bytes(), zone, warn)


def parse_source(
    shown: str, data: bytes, zone: tzinfo, warn: Callable[[ContentError], None]
) -> Source:
    """Validate one article file's bytes into a Source; raise with every problem."""
    document = frontmatter.split(decode(data, shown), shown)
    fields = _Fields(shown, document.fields)
    for name in REQUIRED:
        if name not in document.fields:
            fields.problems.append(
                ContentError(
                    shown,
                    1,
                    f"required field '{name}' is missing;"
                    f" add a line '{name}: …' above the second '---'",
                )
            )
    for name, field in document.fields.items():
        if name not in REQUIRED and name not in OPTIONAL:
            known = ", ".join(REQUIRED + OPTIONAL)
            warn(
                ContentError(
                    shown, field.line, f"unknown field '{name}' is ignored (fields: {known})"
                )
            )
    source = Source(
        path=shown,
        title=fields.text("title") or "",
        unit=fields.text("unit") or "",
        unit_line=document.fields["unit"].line if "unit" in document.fields else 1,
        term=fields.term(),
        date=fields.date(zone),
        updated=fields.updated(zone),
        author=fields.text("author", required=False),
        summary=fields.text("summary", required=False),
        tags=fields.tags(),
        slug=fields.slug(),
        draft=fields.draft(),
        body=document.body,
        body_line=document.body_line,
        image=fields.image(),
        image_line=document.fields["image"].line if "image" in document.fields else 1,
        image_caption=fields.text("image_caption", required=False),
        kind=fields.kind(),
        congress_number=fields.congress_number(),
        sample=fields.flag("sample"),
    )
    if fields.problems:
        raise BuildError(fields.problems)
    if not document.body.strip():
        warn(
            ContentError(
                shown,
                document.body_line - 1,
                "the article has no text yet; write it below this '---' line",
            )
        )
    return source


class _Fields:
    """Typed readers over one file's fields; problems are collected, not raised."""

    def __init__(self, path: str, fields: dict[str, frontmatter.Field]) -> None:
        self.path = path
        self.fields = fields
        self.problems: list[ContentError] = []
        self.published: ParsedDate | None = None  # set by date()

    def _problem(self, field: frontmatter.Field, message: str) -> None:
        self.problems.append(ContentError(self.path, field.line, message))

    def _scalar(self, name: str) -> tuple[frontmatter.Field, str] | None:
        field = self.fields.get(name)
        if field is None:
            return None
        node = field.node
        if isinstance(node, yaml.SequenceNode):
            self._problem(field, f'{name} must be text, not a list; put it in quotes: {name}: "…"')
            return None
        if isinstance(node, yaml.MappingNode):
            self._problem(field, f"{name} must be text, not a group of fields")
            return None
        if node.tag == "tag:yaml.org,2002:null":
            return field, ""
        return field, str(node.value)

    def text(self, name: str, required: bool = True) -> str | None:
        found = self._scalar(name)
        if found is None:
            return None
        field, raw = found
        value = collapse_spaces(raw)
        if not value:
            if required:
                self._problem(field, f"{name} is empty; write it after '{name}:'")
            return None
        return value

    def term(self) -> str:
        found = self._scalar("term")
        if found is None:
            return ""
        field, raw = found
        try:
            return parse_term(raw)
        except ValueError as error:
            self._problem(field, str(error))
            return ""

    def date(self, zone: tzinfo) -> ParsedDate:
        found = self._scalar("date")
        placeholder = ParsedDate(parse_date("2000-01-01", zone).moment, False)
        if found is None:
            return placeholder
        field, raw = found
        try:
            self.published = parse_date(raw, zone)
        except ValueError as error:
            self._problem(field, str(error) if raw.strip() else "date is empty")
            return placeholder
        return self.published

    def updated(self, zone: tzinfo) -> ParsedDate | None:
        found = self._scalar("updated")
        if found is None or not found[1].strip():
            return None
        field, raw = found
        try:
            updated = parse_date(raw, zone)
        except ValueError as error:
            self._problem(field, str(error).replace("date '", "updated '", 1))
            return None
        if self.published and updated.moment < self.published.moment:
            self._problem(
                field, f"updated '{raw}' is before the article's date; correct one of them"
            )
            return None
        return updated

    def tags(self) -> tuple[str, ...]:
        field = self.fields.get("tags")
        if field is None:
            return ()
        node = field.node
        if isinstance(node, yaml.ScalarNode):
            items = [] if node.tag.endswith(":null") else str(node.value).split(",")
        elif isinstance(node, yaml.SequenceNode) and all(
            isinstance(item, yaml.ScalarNode) for item in node.value
        ):
            items = [str(item.value) for item in node.value]
        else:
            self._problem(field, "tags must be a list of words, e.g. [đại hội, đối ngoại]")
            return ()
        tags = (collapse_spaces(item) for item in items)
        return tuple(dict.fromkeys(tag for tag in tags if tag))

    def slug(self) -> str | None:
        found = self._scalar("slug")
        if found is None:
            return None
        field, raw = found
        if not _SLUG.fullmatch(raw):
            hint = slugify(raw)
            suggestion = f", e.g. '{hint}'" if hint else ""
            self._problem(
                field,
                f"slug '{raw}' is not a plain URL segment:"
                f" use only a-z, 0-9 and hyphens{suggestion}",
            )
            return None
        return raw

    def image(self) -> str | None:
        found = self._scalar("image")
        if found is None:
            return None
        field, raw = found
        value = raw.strip()
        if not value:
            return None
        if not is_own(value):
            self._problem(
                field,
                f"image '{value}' must name a photo beside the article, written as in the"
                " text: e.g. image: dai-hoi/quang-canh.jpg",
            )
            return None
        return value

    def draft(self) -> bool:
        return self.flag("draft")

    def flag(self, name: str) -> bool:
        field = self.fields.get(name)
        if field is None:
            return False
        node = field.node
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            return str(node.value).lower() in ("true", "yes", "on")
        self._problem(field, f"{name} must be true or false")
        return False

    def kind(self) -> str | None:
        found = self._scalar("kind")
        if found is None or not found[1].strip():
            return None
        field, raw = found
        try:
            return kinds.parse_kind(raw)
        except ValueError as error:
            self._problem(field, str(error))
            return None

    def congress_number(self) -> str | None:
        found = self._scalar("congress_number")
        if found is None or not found[1].strip():
            return None
        field, raw = found
        try:
            return kinds.parse_congress_number(raw)
        except ValueError as error:
            self._problem(field, str(error))
            return None
