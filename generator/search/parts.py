"""Search stage: which index part each article is in, and what a part is made from.

The index is built in parts (`/pagefind/0/`, `/pagefind/1/`, ...) that the
search page merges (Pagefind's `mergeIndex`): each article belongs to the
part its address hashes to, parts are indexed side by side on every core,
and a rebuild re-indexes only the parts whose articles changed. Pagefind's
runtime (pagefind.js, its worker and WebAssembly) is loaded once, from the
first part; the other parts hold only their index.
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
    articles: tuple[Article, ...]
    key: str  # part_key: what its index is made from
    primary: bool  # carries Pagefind's runtime

    @property
    def folder(self) -> str:
        return urls.search_part_folder(self.number)


MAX_PARTS = 64  # each part is fetched by a reader's search: beyond, parts grow instead


def part_count(articles: int, part_size: int) -> int:
    """How many parts the index is built in: a power of two, so that parts
    split evenly as the archive grows and most of them survive a new article."""
    count = 1
    while count * part_size < articles and count < MAX_PARTS:
        count *= 2
    return count


def part_of(url: str, count: int) -> int:
    """The index part an article belongs to: fixed by its address alone."""
    return int(hashlib.blake2b(url.encode("utf-8"), digest_size=4).hexdigest(), 16) % count


_EMPTY = digest("")


def split(articles: Sequence[Article], part_size: int) -> dict[int, list[Article]]:
    """The articles of each index part; parts no article falls into are left out.

    An article without text is left out too: Pagefind records nothing for it
    (its header is not indexed), and refuses a part holding only such pages.
    """
    indexed = [article for article in articles if article.body.digest != _EMPTY]
    count = part_count(len(indexed), part_size)
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


def keyed(members: Mapping[int, Sequence[Article]]) -> list[Part]:
    """Every part with its key, in part order; the first one is the primary."""
    version = f"{pagefind.version()} {code_version()}"
    primary = min(members, default=0)
    made = []
    for number, articles in sorted(members.items()):
        documents = [(a.url, document_key(a)) for a in articles]
        key = part_key(version, number == primary, documents)
        made.append(Part(number, tuple(articles), key, number == primary))
    return made


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
