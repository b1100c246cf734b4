"""Load stage: what a parsed article file is, as the build and its cache keep it.

A record is the JSON the cache stores for one file: its Source field by
field (made from the dataclass's own fields, so a new field is stored
without a list to keep in step), its warnings and problems, and the digest
of its rendered body, which is stored beside it. Rendered bodies are the
bulk of an archive's memory: a `Body` fetches its HTML when a page or feed
needs it (through the function it was given: this module knows no cache).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from generator.content import kinds
from generator.content.photos import PhotoRef
from generator.content.sources import Source
from generator.dates import ParsedDate
from generator.errors import ContentError
from generator.vietnamese import slugify


@dataclass(frozen=True, slots=True)
class Body:
    """An article's rendered HTML, fetched when a page or feed is made."""

    key: str
    digest: str  # of the HTML: a damaged cache entry is noticed
    fetch: Callable[[str, str], str] = field(compare=False, repr=False)  # (key, digest)

    @property
    def html(self) -> str:
        return self.fetch(self.key, self.digest)

    def __html__(self) -> str:  # Jinja and MarkupSafe: already safe HTML
        return self.html

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled only to fingerprint pages: the key stands for the HTML.
        return (str, (f"body:{self.key}",))


@dataclass(frozen=True, slots=True)
class Prepared:
    source: Source  # body left empty: the rendered HTML is in `body`
    body: Body
    text: str  # plain text of the first paragraph, for summaries
    fold: str  # đ -> d forms of the words with đ, for search
    names: str  # the names it spells in capitals, each joined into one word, for search
    title_slug: str  # the title as a slug (the article's address, unless taken)
    photos: tuple[PhotoRef, ...] = ()  # the body's own photos, by marker number
    # what the title and first paragraph report, for an article whose front
    # matter does not say (kinds.read_kind: an unsure reading is plain news)
    kind_read: str = kinds.NEWS
    number_read: str | None = None  # "lần thứ III" in the title or first paragraph


@dataclass(slots=True)
class Loaded:
    articles: list[Prepared]
    problems: list[ContentError]
    warnings: list[ContentError]
    keys: set[str]  # cache keys in use
    parsed: int = 0  # files parsed in this build (the rest came from the cache)
    inputs: list[tuple[str, str]] = field(default_factory=list)  # (path, content hash)


def _problem_row(problem: ContentError) -> list[Any]:
    return [problem.path, problem.line, problem.message]


def _date_row(date: ParsedDate | None) -> list[Any] | None:
    return None if date is None else [date.moment.isoformat(), date.has_time]


def _date(row: list[Any] | None) -> ParsedDate | None:
    return None if row is None else ParsedDate(datetime.fromisoformat(row[0]), bool(row[1]))


def _same(value: Any) -> Any:
    return value


# A Source is stored field by field (every field of the dataclass but its body,
# which is stored rendered); these fields are not JSON values as they are.
_STORED: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "date": (_date_row, _date),
    "updated": (_date_row, _date),
    "tags": (list, tuple),
}
_SOURCE_FIELDS = tuple(f.name for f in fields(Source) if f.name != "body")


def to_record(
    source: Source | None,
    text: str,
    fold: str,
    names: str,
    html_digest: str,
    warnings: list[ContentError],
    problems: list[ContentError],
    photos: tuple[PhotoRef, ...] = (),
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "warnings": [_problem_row(w) for w in warnings],
        "problems": [_problem_row(p) for p in problems],
    }
    if source is not None:
        record["source"] = {
            name: _STORED.get(name, (_same, _same))[0](getattr(source, name))
            for name in _SOURCE_FIELDS
        }
        record["text"] = text
        record["fold"] = fold
        record["names"] = names
        record["title_slug"] = slugify(source.title)
        reading = kinds.read_kind(source.title, text)
        record["kind_read"] = reading.kind if reading.sure else kinds.NEWS
        record["number_read"] = kinds.read_congress_number(source.title, text)
        record["html"] = html_digest
        record["photos"] = [[p.src, p.line, p.alt, p.caption, p.inline] for p in photos]
    return record


def from_record(record: dict[str, Any], body: Body) -> Prepared:
    row = record["source"]
    values = {name: _STORED.get(name, (_same, _same))[1](row[name]) for name in _SOURCE_FIELDS}
    if values["date"] is None:
        raise ValueError("a stored article without a date")  # damaged: parsed again
    source = Source(**values, body="")
    photos = tuple(
        PhotoRef(str(src), int(line), str(alt), str(caption), bool(inline))
        for src, line, alt, caption, inline in record["photos"]
    )
    return Prepared(
        source,
        body,
        str(record["text"]),
        str(record["fold"]),
        str(record["names"]),
        str(record["title_slug"]),
        photos,
        str(record["kind_read"]),
        None if record["number_read"] is None else str(record["number_read"]),
    )
