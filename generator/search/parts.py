"""Search stage: which index part each article is in, and what a part is made from.

The index is built in a few large base parts (`/pagefind/0/`, `/pagefind/1/`,
...), each article in the part its address hashes to, plus one small part of
what changed since (the delta, numbered after them), all merged by the search
page (Pagefind's `mergeIndex`). Readers pay for every part a query touches,
so the base parts are few and large; a build does not re-index one after an
edit: the edited or new article goes into the delta, and the base part's old
record of it is dropped by the search page, which gets the Pagefind ids of
the records replaced (`Layout.replaced`). A base part is indexed again when
the share of its records that are out of date passes `STALE_SHARE`, or when
it has no record of what it holds (a clean build, an emptied cache).

Pagefind's runtime (pagefind.js, its worker and WebAssembly) is loaded once,
from the first part; the other parts hold only their index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator import urls
from generator.infra.cache import Manifest, OutputFile, code_version, digest
from generator.search import pagefind
from generator.search.documents import document_key
from generator.site.articles import Article


@dataclass(frozen=True, slots=True)
class Part:
    number: int
    articles: tuple[Article, ...]  # what it is indexed from (none for a base part kept)
    key: str  # part_key: what its index is made from
    primary: bool  # carries Pagefind's runtime
    kept: bool = False  # a base part indexed before and kept, out-of-date records and all

    @property
    def folder(self) -> str:
        return urls.search_part_folder(self.number)


@dataclass(frozen=True, slots=True)
class Indexed:
    """What a part indexed before holds: its key, and for each article's
    address the document key it was indexed from and its Pagefind id."""

    key: str
    primary: bool
    pages: Mapping[str, tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Layout:
    parts: tuple[Part, ...]  # the base parts, then the delta when there is one
    replaced: tuple[str, ...]  # Pagefind ids of base records out of date (sorted)
    sizes: tuple[int, ...]  # records in each part (replaced ones too): what it scores over

    @property
    def numbers(self) -> list[int]:
        return [part.number for part in self.parts]


MAX_PARTS = 64  # each part is fetched by a reader's search: beyond, parts grow instead
# Below this many articles the index is one part (one Pagefind run takes a few
# seconds); above, at least `min_parts` (settings.search_min_parts, 1 by
# default: a reader's query pays for each part; 2 indexes on two cores, a
# faster full build for more requests per search).
SPLIT_FROM = 2000
# A base part is indexed again when more of its records than this share (or
# STALE_MIN, whichever is more) are out of date: the delta stays small.
STALE_SHARE = 0.05
STALE_MIN = 25


def part_count(articles: int, part_size: int, min_parts: int = 1) -> int:
    """How many base parts the index is built in: a power of two, so that parts
    split evenly as the archive grows."""
    least = min_parts if articles > SPLIT_FROM else 1
    count = 1
    while (count * part_size < articles or count < least) and count < MAX_PARTS:
        count *= 2
    return count


def part_of(url: str, count: int) -> int:
    """The index part an article belongs to: fixed by its address alone."""
    return int(hashlib.blake2b(url.encode("utf-8"), digest_size=4).hexdigest(), 16) % count


_EMPTY = digest("")


def split(
    articles: Sequence[Article], part_size: int, min_parts: int = 1
) -> dict[int, list[Article]]:
    """The articles of each index part; parts no article falls into are left out.

    An article without text is left out too: Pagefind records nothing for it
    (its header is not indexed), and refuses a part holding only such pages.
    """
    indexed = [article for article in articles if article.body.digest != _EMPTY]
    count = part_count(len(indexed), part_size, min_parts)
    found: dict[int, list[Article]] = {}
    for article in indexed:
        found.setdefault(part_of(article.url, count), []).append(article)
    return found


def part_key(version: str, primary: bool, pages: Iterable[tuple[str, str]]) -> str:
    """What a part's index is made from: Pagefind's version and (URL, document
    key) of each of its articles."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{version}\n{primary}\n".encode())
    for url, page_digest in sorted(pages):
        hasher.update(f"{url} {page_digest}\n".encode())
    return hasher.hexdigest()


def _part(number: int, articles: Sequence[Article], primary: bool, keys: Mapping[str, str]) -> Part:
    """A part indexed from these articles; `keys`: their document keys by address."""
    version = f"{pagefind.version()} {code_version()}"
    key = part_key(version, primary, [(a.url, keys[a.url]) for a in articles])
    return Part(number, tuple(articles), key, primary)


def layout(
    members: Mapping[int, Sequence[Article]], before: Callable[[int], Indexed | None]
) -> Layout:
    """The base parts (kept, or indexed again) and the delta.

    `members`: the articles of each base part (`split`); `before(n)`: what
    base part n held when it was indexed, if it is still at hand. A part
    whose records are all current is kept as it is; one with a few out of
    date is kept too, and its articles that are new or changed go into the
    delta while their old records are replaced; one with more is indexed again.
    """
    primary = min(members, default=0)
    made: list[Part] = []
    sizes: list[int] = []
    delta: list[Article] = []
    replaced: list[str] = []
    current: dict[str, str] = {}  # every article's document key, computed once
    for number, articles in sorted(members.items()):
        current.update((article.url, document_key(article)) for article in articles)
        old = before(number)
        if old is None or old.primary != (number == primary):
            made.append(_part(number, articles, number == primary, current))
            sizes.append(len(articles))
            continue
        here = {article.url: current[article.url] for article in articles}
        stale = sorted(
            url
            for url in here.keys() | old.pages.keys()
            if url not in old.pages or here.get(url) != old.pages[url][0]
        )
        if len(stale) > max(STALE_MIN, STALE_SHARE * len(old.pages)):
            made.append(_part(number, articles, number == primary, current))
            sizes.append(len(articles))
            continue
        made.append(Part(number, (), old.key, number == primary, kept=True))
        sizes.append(len(old.pages))
        changed = set(stale)
        delta += [article for article in articles if article.url in changed]
        replaced += [old.pages[url][1] for url in stale if url in old.pages]
    if delta:
        made.append(_part(max(members) + 1, delta, False, current))
        sizes.append(len(delta))
    return Layout(tuple(made), tuple(sorted(replaced)), tuple(sizes))


def reusable(
    planned: Sequence[Part],
    published: Manifest,
    intact: set[str],
    keep: Callable[[str], OutputFile | None],
) -> tuple[Manifest, list[Part]]:
    """The parts published before and still right (their files kept as they
    were, by `keep`), and the parts to index."""
    old_parts: dict[str, Manifest] = {}
    for name, entry in published.items():
        if urls.in_search_bundle(name):
            old_parts.setdefault(urls.search_part_of(name), {})[name] = entry
    kept: Manifest = {}
    todo: list[Part] = []
    for part in planned:
        old = old_parts.get(str(part.number), {})
        same = old and all(e.key == part.key and n in intact for n, e in old.items())
        staged = {n: keep(n) for n in old} if same else {}
        if staged and all(staged.values()):
            kept.update({n: e for n, e in staged.items() if e is not None})
        else:
            todo.append(part)
    return kept, todo
