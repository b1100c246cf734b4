"""Load stage: every article file read, validated and its Markdown rendered.

The work per file is a pure function of its bytes, its path and two settings
(time zone, base path), so its result is cached under a hash of exactly
those (plus the generator's own code): an unchanged file is neither parsed
nor rendered again. Files that must be parsed are shared out to worker
processes when there are many.

Rendered bodies are the bulk of an archive's memory. They stay in the cache
(`Bodies`) and a `Body` (records.py) fetches one when a page or feed needs
it, so memory holds only what lists and indexes need.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.content import files as content_files
from generator.content import sources
from generator.content.markdown import Markdown, plain_text
from generator.content.records import Body, Loaded, Prepared, from_record, to_record
from generator.content.sources import Source
from generator.errors import BuildError, ContentError
from generator.infra import parallel
from generator.infra.cache import Cache, CacheDamaged, code_version, digest
from generator.infra.files import display_path
from generator.vietnamese import folded_words, name_tokens

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


Files = list[tuple[str, str]]  # (path as shown, cache key of its parsed form)
Stat = tuple[int, int]  # (size, st_mtime_ns) of a file


@dataclass(frozen=True, slots=True)
class Parsing:
    """What parsing a file depends on besides its bytes and its path."""

    zone_name: str
    base_path: str

    def key(self, shown: str, data_hash: str) -> str:
        """The cache key of a file's parsed form."""
        return digest(code_version(), shown, data_hash, self.zone_name, self.base_path)


def scan(
    content_dir: Path,
    parsing: Parsing,
    cache: Cache,
    hashed: dict[str, Stat] | None = None,
    others: list[content_files.Stat] | None = None,
) -> Files | None:
    """Every article file and the key of what it parses to; None without a folder.

    A file whose size and modification time are those the cache knows is
    not read again. The size and mtime of each file read and hashed here go
    into `hashed` (by key): `load` then trusts the key of a file it finds
    unchanged since, and does not hash it again. Symbolic links that may not
    be read (content_files.article_files) raise BuildError. The other files
    found (photos) go into `others`, with their size and mtime.
    """
    if not content_dir.is_dir():
        return None
    known = cache.file_digests()
    files: Files = []
    fresh: list[tuple[str, int, int, str]] = []
    links: list[ContentError] = []  # symbolic links that are not read
    for path, shown in _shown_paths(content_dir, links, others):
        stat_now: Stat | None = None
        try:
            stat = path.stat()
            hit = known.get(shown)
            if hit and hit[0] == stat.st_size and hit[1] == stat.st_mtime_ns:
                data_hash = hit[2]
            else:
                data_hash = digest(path.read_bytes())
                fresh.append((shown, stat.st_size, stat.st_mtime_ns, data_hash))
                stat_now = (stat.st_size, stat.st_mtime_ns)
        except OSError as error:
            data_hash = f"unreadable:{error.strerror}"
        files.append((shown, parsing.key(shown, data_hash)))
        if stat_now is not None and hashed is not None:
            hashed[files[-1][1]] = stat_now
    if links:  # before anything is taken from the cache: an unchanged site would hide them
        raise BuildError(links)
    cache.remember_files(fresh)
    return files


def _shown_paths(
    content_dir: Path, links: list[ContentError], others: list[content_files.Stat] | None
) -> Iterator[tuple[Path, str]]:
    """Every article file with its path as shown (display_path, without a
    relpath per file: 10,000 of them cost a tenth of a second)."""
    root, prefix = os.fspath(content_dir), display_path(content_dir)
    below = os.path.relpath(os.getcwd(), content_dir)  # the working folder, from content_dir
    if below != "." and not below.startswith(".."):
        prefix = ""  # working inside the content folder: every path shown on its own
    for path in content_files.article_files(content_dir, links, others):
        name = os.fspath(path)
        if not prefix or not name.startswith(root + "/"):
            yield path, display_path(path)
        else:
            tail = name[len(root) + 1 :]
            yield path, tail if prefix == "." else f"{prefix}/{tail}"


def load(
    content_dir: Path,
    files: Files | None,
    parsing: Parsing,
    bodies: Bodies,
    jobs: int,
    progress: Callable[[int, int], None] = lambda done, total: None,
    hashed: Mapping[str, Stat] | None = None,
) -> Loaded:
    """Every scanned article file, parsed or taken from the cache; `hashed`:
    the size and mtime of the files the scan hashed, by key (see scan)."""
    if files is None:
        problem = ContentError(display_path(content_dir), None, "the content folder does not exist")
        return Loaded([], [problem], [], set())
    records = bodies.cache.records(key for _, key in files)
    ready: dict[str, Prepared] = {}
    for key, record in records.items():
        with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
            ready[key] = from_record(record, Body(key, record["html"], bodies.html))
        # else damaged: parsed again
    missing = [(shown, key) for shown, key in files if key not in ready]
    progress(len(files) - len(missing), len(files))
    rekeyed = _parse(missing, parsing, bodies, jobs, hashed or {}, records, progress, len(files))
    files = [(shown, rekeyed.get(shown, key)) for shown, key in files]
    loaded = Loaded([], [], [], {key for _, key in files}, parsed=len(missing), inputs=files)
    for _shown, key in files:
        record = records[key]
        loaded.warnings += [ContentError(*w) for w in record["warnings"]]
        if record["problems"]:
            loaded.problems += [ContentError(*p) for p in record["problems"]]
        else:
            loaded.articles.append(
                ready.get(key) or from_record(record, Body(key, record["html"], bodies.html))
            )
    return loaded


def _parse(
    missing: list[tuple[str, str]],
    parsing: Parsing,
    bodies: Bodies,
    jobs: int,
    hashed: Mapping[str, Stat],
    records: dict[str, dict[str, Any]],
    progress: Callable[[int, int], None],
    total: int,
) -> dict[str, str]:
    """Parse the files the cache does not hold (in workers when there are many),
    store them, add their records; the key of each, by the bytes parsed."""
    cache = bodies.cache
    work = [(shown, key, parsing, hashed.get(key)) for shown, key in missing]
    batch: list[tuple[str, dict[str, Any], str]] = []
    rekeyed: dict[str, str] = {}
    done = total - len(missing)
    jobs = jobs if len(work) >= PARALLEL_FROM else 1
    for shown, key, record, html in parallel.map_unordered(_parse_one, work, jobs):
        rekeyed[shown] = key
        records[key] = record
        batch.append((key, record, html))
        if not cache.enabled:
            bodies.memory[key] = html
        done += 1
        if len(batch) >= 500:
            cache.store_parsed(batch)
            batch = []
            progress(done, total)
    cache.store_parsed(batch)
    return rekeyed


def _parse_one(
    item: tuple[str, str, Parsing, Stat | None],
) -> tuple[str, str, dict[str, Any], str]:
    """Read, validate and render one file (in a worker): (path, key, record, html).

    The key is the scan's when the file is as the scan hashed it (`stat`);
    otherwise the file is keyed by the bytes read here, so that a file
    changed since the scan is never stored under its old key. Keeping the
    bytes the scan read instead of reading them again (from the page cache)
    cost 190 MB of summed memory at 10,000 articles and no measurable time.
    """
    shown, key, parsing, stat = item
    warnings: list[ContentError] = []
    try:
        with open(shown, "rb") as file:
            found = os.fstat(file.fileno())
            data = file.read()
    except OSError as error:
        key = parsing.key(shown, f"unreadable:{error.strerror}")
        problem = ContentError(shown, None, f"cannot be read: {error.strerror}")
        return shown, key, to_record(None, "", "", "", "", [], [problem]), ""
    if stat != (found.st_size, found.st_mtime_ns):
        key = parsing.key(shown, digest(data))
    try:
        source = sources.parse_source(shown, data, _zone(parsing.zone_name), warnings.append)
    except ContentError as error:
        return shown, key, to_record(None, "", "", "", "", warnings, [error]), ""
    except BuildError as error:
        return shown, key, to_record(None, "", "", "", "", warnings, list(error.problems)), ""
    rendered = _markdown(parsing.base_path).render(source.body)
    warnings += [_refused(source, url) for url in rendered.refused]
    warnings += [
        ContentError(
            shown,
            source.body_line + line,
            f"photo '{name}' has no caption or description: write what it shows in"
            " italics on the line under it, or between its brackets ![…]",
        )
        for name, line in rendered.textless
    ]
    photos = tuple(replace(p, line=source.body_line + p.line) for p in rendered.photos)
    text = " ".join(p.alt for p in photos)
    body_text = plain_text(rendered.html)
    fold = folded_words(source.title, source.unit, source.author or "", body_text, text)
    names = name_tokens(source.title, source.summary or "", body_text, source.author or "")
    html_digest = digest(rendered.html)
    record = to_record(source, rendered.text, fold, names, html_digest, warnings, [], photos)
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
