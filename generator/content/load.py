"""Load stage: every article file read, validated and its Markdown rendered.

The work per file is a pure function of its bytes, its path and two settings
(time zone, base path), so its result is cached under a hash of exactly
those (plus the generator's own code): an unchanged file is neither parsed
nor rendered again. Files that must be parsed are shared out to worker
processes when there are many.

Rendered bodies are the bulk of an archive's memory. They stay in the cache
and a `Body` fetches one when a page or feed needs it, so memory holds only
what lists and indexes need.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.content import files as content_files
from generator.content import sources
from generator.content.markdown import Markdown, plain_text
from generator.content.sources import Source
from generator.dates import ParsedDate
from generator.errors import BuildError, ContentError
from generator.infra import parallel
from generator.infra.cache import Cache, CacheDamaged, code_version, digest
from generator.infra.files import display_path
from generator.vietnamese import folded_words, slugify

# At least this many files to parse before starting worker processes.
PARALLEL_FROM = 200


class Bodies:
    """Rendered article bodies: in the cache, or in memory when it is off."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.memory: dict[str, str] = {}

    def html(self, key: str, expected: str) -> str:
        found = self.memory.get(key)
        if found is None:
            found = self.cache.html(key)
        if found is None or digest(found) != expected:
            raise CacheDamaged(key)
        return found


@dataclass(frozen=True, slots=True)
class Body:
    """An article's rendered HTML, fetched when a page or feed is made."""

    key: str
    digest: str  # of the HTML: a damaged cache entry is noticed
    store: Bodies = field(compare=False, repr=False)

    @property
    def html(self) -> str:
        return self.store.html(self.key, self.digest)

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
    title_slug: str  # the title as a slug (the article's address, unless taken)


@dataclass(slots=True)
class Loaded:
    articles: list[Prepared]
    problems: list[ContentError]
    warnings: list[ContentError]
    keys: set[str]  # cache keys in use
    parsed: int = 0  # files parsed in this build (the rest came from the cache)
    inputs: list[tuple[str, str]] = field(default_factory=list)  # (path, content hash)


Files = list[tuple[str, str]]  # (path as shown, cache key of its parsed form)


def scan(
    content_dir: Path,
    zone_name: str,
    base_path: str,
    cache: Cache,
    read: dict[str, bytes] | None = None,
) -> Files | None:
    """Every article file and the key of what it parses to; None without a folder.

    A file whose size and modification time are those the cache knows is
    not read again. The bytes of a file that was read and whose parsed form
    the cache does not hold go into `read`, so that `load` parses them
    without reading and hashing the file a second time. Symbolic links that
    may not be read (content_files.article_files) raise BuildError.
    """
    if not content_dir.is_dir():
        return None
    version = code_version()
    known = cache.file_digests()
    files: Files = []
    fresh: list[tuple[str, int, int, str]] = []
    data: dict[str, bytes] = {}  # by key: the files read
    links: list[ContentError] = []  # symbolic links that are not read
    root, prefix = os.fspath(content_dir), display_path(content_dir)
    below = os.path.relpath(os.getcwd(), content_dir)  # the working folder, from content_dir
    if below != "." and not below.startswith(".."):
        prefix = ""  # working inside the content folder: every path shown on its own
    for path in content_files.article_files(content_dir, links):
        shown = _shown_under(root, prefix, path)
        try:
            stat = path.stat()
            size, mtime = stat.st_size, stat.st_mtime_ns
            hit = known.get(shown)
            raw: bytes | None = None
            if hit and hit[0] == size and hit[1] == mtime:
                data_hash = hit[2]
            else:
                raw = path.read_bytes()
                data_hash = digest(raw)
                fresh.append((shown, size, mtime, data_hash))
        except OSError as error:
            data_hash = f"unreadable:{error.strerror}"
            raw = None
        key = digest(version, shown, data_hash, zone_name, base_path)
        files.append((shown, key))
        if raw is not None and read is not None:
            data[key] = raw
    if links:  # before anything is taken from the cache: an unchanged site would hide them
        raise BuildError(links)
    cache.remember_files(fresh)
    if read is not None and data:
        parsed = cache.parsed_keys(data)
        read.update({key: raw for key, raw in data.items() if key not in parsed})
    return files


def _shown_under(root: str, prefix: str, path: Path) -> str:
    """display_path(path) for a path under `root` (shown as `prefix`),
    without a relpath per file: 10,000 of them cost a tenth of a second."""
    name = os.fspath(path)
    if not prefix or not name.startswith(root + "/"):
        return display_path(path)
    tail = name[len(root) + 1 :]
    return tail if prefix == "." else f"{prefix}/{tail}"


def load(
    content_dir: Path,
    files: Files | None,
    zone_name: str,
    base_path: str,
    cache: Cache,
    bodies: Bodies,
    jobs: int,
    progress: Callable[[int, int], None] = lambda done, total: None,
    read: Mapping[str, bytes] | None = None,
) -> Loaded:
    """Every scanned article file, parsed or taken from the cache; `read`
    holds the bytes the scan read, by key (those files are not read again)."""
    if files is None:
        problem = ContentError(display_path(content_dir), None, "the content folder does not exist")
        return Loaded([], [problem], [], set())
    records = cache.records(key for _, key in files)
    ready: dict[str, Prepared] = {}
    for key, record in records.items():
        with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
            ready[key] = _prepared(
                record, Body(key, record["html"], bodies)
            )  # else damaged: parsed again
    missing = [shown for shown, key in files if key not in ready]
    done = len(files) - len(missing)
    progress(done, len(files))
    global _READ
    keyed = dict(files)
    work = [(shown, keyed[shown], zone_name, base_path) for shown in missing]
    batch: list[tuple[str, dict[str, Any], str]] = []
    rekeyed: dict[str, str] = {}
    _READ = read or {}  # before the workers fork: shared, not pickled
    parsed = parallel.map_unordered(_parse_one, work, jobs if len(work) >= PARALLEL_FROM else 1)
    for shown, key, record, html in parsed:
        rekeyed[shown] = key  # keyed by the bytes the worker parsed
        records[key] = record
        batch.append((key, record, html))
        if not cache.enabled:
            bodies.memory[key] = html
        done += 1
        if len(batch) >= 500:
            cache.store_parsed(batch)
            batch = []
            progress(done, len(files))
    cache.store_parsed(batch)
    _READ = {}
    files = [(shown, rekeyed.get(shown, key)) for shown, key in files]
    loaded = Loaded([], [], [], {key for _, key in files}, parsed=len(missing), inputs=files)
    for _shown, key in files:
        record = records[key]
        loaded.warnings += [ContentError(*w) for w in record["warnings"]]
        if record["problems"]:
            loaded.problems += [ContentError(*p) for p in record["problems"]]
        else:
            loaded.articles.append(
                ready.get(key) or _prepared(record, Body(key, record["html"], bodies))
            )
    return loaded


# The bytes the scan read, by key; set before parse workers fork (see load).
_READ: Mapping[str, bytes] = {}


def _parse_one(item: tuple[str, str, str, str]) -> tuple[str, str, dict[str, Any], str]:
    """Validate and render one file (in a worker): (path, key, record, html).

    A file the scan did not read (its size and mtime were known, but not its
    parsed form) is read here, and keyed by the bytes read: a file changed
    since the scan is never stored under its old key.
    """
    shown, key, zone_name, base_path = item
    warnings: list[ContentError] = []
    data = _READ.get(key)
    if data is None:
        try:
            data = Path(shown).read_bytes()
        except OSError as error:
            data_hash = f"unreadable:{error.strerror}"
            key = digest(code_version(), shown, data_hash, zone_name, base_path)
            problem = ContentError(shown, None, f"cannot be read: {error.strerror}")
            return shown, key, _record(None, "", "", "", [], [problem]), ""
        key = digest(code_version(), shown, digest(data), zone_name, base_path)
    try:
        source = sources.parse_source(shown, data, _zone(zone_name), warnings.append)
    except ContentError as error:
        return shown, key, _record(None, "", "", "", warnings, [error]), ""
    except BuildError as error:
        return shown, key, _record(None, "", "", "", warnings, list(error.problems)), ""
    rendered = _markdown(base_path).render(source.body)
    warnings += [_refused(source, url) for url in rendered.refused]
    fold = folded_words(source.title, source.unit, source.author or "", plain_text(rendered.html))
    record = _record(source, rendered.text, fold, digest(rendered.html), warnings, [])
    return shown, key, record, rendered.html


def _refused(source: Source, url: str) -> ContentError:
    """The warning for a link or image address the Markdown renderer refused."""
    shown = unquote(url)
    line = source.body_line
    scheme = shown.split(":", 1)[0].lower()
    for number, text in enumerate(source.body.splitlines()):
        if shown in text or (scheme and f"({scheme}:" in text.lower().replace(" ", "")):
            line = source.body_line + number
            break
    return ContentError(
        source.path,
        line,
        f"link '{shown[:80]}' is shown as text: only http, https, mailto and tel addresses"
        " and addresses on this site are kept",
    )


_MARKDOWN: dict[str, Markdown] = {}


def _markdown(base_path: str) -> Markdown:
    if base_path not in _MARKDOWN:
        _MARKDOWN[base_path] = Markdown(base_path)
    return _MARKDOWN[base_path]


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


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


def _record(
    source: Source | None,
    text: str,
    fold: str,
    html_digest: str,
    warnings: list[ContentError],
    problems: list[ContentError],
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
        record["title_slug"] = slugify(source.title)
        record["html"] = html_digest
    return record


def _prepared(record: dict[str, Any], body: Body) -> Prepared:
    row = record["source"]
    values = {name: _STORED.get(name, (_same, _same))[1](row[name]) for name in _SOURCE_FIELDS}
    if values["date"] is None:
        raise ValueError("a stored article without a date")  # damaged: parsed again
    source = Source(**values, body="")
    return Prepared(
        source, body, str(record["text"]), str(record["fold"]), str(record["title_slug"])
    )
