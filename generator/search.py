"""Index stage: everything that knows Pagefind exists.

Pagefind is given one small document per article (`document`): its filters,
sort key and metadata, its title, lead, body and tags, in the elements the
default article page has, so the records are exactly those of that page.
Made from the article alone, a document can be indexed before the page is
rendered (indexing.py runs the parts beside the other stages). The pinned
Pagefind binary (from the `pagefind-bin` wheel, no download) is run as a
command; the Python API is not used: its `add_html_file` managed 100 pages
in 10.4 s here, while the binary indexed 10,000 in 18-19 s. The article
layout still carries the same attributes (`article_head`).

The index is built in parts (`/pagefind/0/`, `/pagefind/1/`, ...) that the
search page merges (Pagefind's `mergeIndex`): each article belongs to the
part its address hashes to, parts are indexed side by side on every core,
and a rebuild re-indexes only the parts whose articles changed. Pagefind's
runtime (pagefind.js, its worker and WebAssembly) is loaded once, from part
0; the other parts hold only their index.

Vietnamese: Pagefind folds tone marks but not đ (it has no decomposition),
so `dang uy` would not find `Đảng ủy`. Every article therefore carries a
hidden, searchable metadata field `fold` holding the đ -> d forms of its
words that contain đ. Readers never see it: excerpts come from the body,
and the search page highlights matches in the original spelling itself.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from markupsafe import Markup, escape

from .cache import digest
from .errors import ContentError
from .model import Article
from .vietnamese import folded_words, format_date

BUNDLE = "pagefind"
BUNDLE_URL = f"/{BUNDLE}/"


def article_head(article: Article) -> Markup:
    """<meta> tags that give Pagefind an article's filters, sort key and metadata."""
    author = article.author or ""
    # the canonical unit's words first: the article may spell its unit otherwise
    folded = " ".join(dict.fromkeys(f"{folded_words(article.unit)} {article.fold}".split()))
    tags = [
        ("data-pagefind-filter", "unit[content]", article.unit),
        ("data-pagefind-filter", "term[content]", article.term),
        ("data-pagefind-filter", "year[content]", str(article.year)),
        ("data-pagefind-sort", "date[content]", article.date.isoformat()),
        ("data-pagefind-meta", "date[content]", format_date(article.date)),
        # the sort key again, readable by the search page: it orders results by
        # date across the index parts itself (Pagefind orders merged parts by score)
        ("data-pagefind-meta", "moment[content]", article.date.isoformat()),
        ("data-pagefind-meta", "unit[content]", article.unit),
        ("data-pagefind-meta", "fold[content]", folded),
    ]
    if author:
        tags.append(("data-pagefind-meta", "author[content]", author))
    return Markup(
        "\n".join(
            f'<meta {attr}="{escape(key)}" content="{escape(value)}">' for attr, key, value in tags
        )
    )


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


def part_url(part: int) -> str:
    return f"{BUNDLE_URL}{part}/"


_EMPTY = digest("")


def parts(articles: Sequence[Article], part_size: int) -> dict[int, list[Article]]:
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


def binary() -> str:
    """The pinned Pagefind binary from the pagefind-bin wheel; ContentError if missing."""
    try:
        from pagefind_bin import get_executable

        return str(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise ContentError(
            "pagefind", None, f"the search indexer is not installed ({error}); run pip install -e ."
        ) from None


def version() -> str:
    try:
        from importlib.metadata import version as installed

        return installed("pagefind-bin")
    except Exception:
        return "unknown"


# Files Pagefind writes that this site does not use (it has its own search
# page), and those only the first part needs (the others share its runtime).
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
_RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.")


def document(article: Article, body_html: str) -> str:
    """The page Pagefind indexes for an article: its filters, sort key and
    metadata, its title (Pagefind's `title`), and what the article page shows
    of it as text (lead, body, tags), in the page's own elements.

    It is made from the article alone, not from the rendered page, so the
    index of an article can be built before (and while) its page is rendered,
    and the layouts cannot change what is searchable. Indexed, it gives the
    records the default article page gives, byte for byte (tested).
    """
    lead = f'  <p class="lead">{escape(article.lead)}</p>\n' if article.lead else ""
    tags = ""
    if article.tags:
        items = "".join(f'<li class="tag">{escape(tag)}</li>' for tag in article.tags)
        tags = f'  <ul class="tags">{items}</ul>\n'
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"{article_head(article)}\n</head>\n<body>\n"
        '<article class="article" data-pagefind-body>\n'
        f'  <header class="article-header" data-pagefind-ignore><h1>{escape(article.title)}</h1>'
        "</header>\n"
        f'{lead}  <div class="article-body">\n{body_html}\n  </div>\n{tags}'
        "</article>\n</body>\n</html>\n"
    )


def document_key(article: Article) -> str:
    """What an article's search document is made from, hashed (its body by the
    hash of its HTML): equal keys, equal documents."""
    fields = (
        article.url,
        article.title,
        article.lead,
        article.tags,
        article.unit,
        article.term,
        article.date.isoformat(),
        article.author,
        article.fold,
        article.body.digest,
    )
    return digest(repr(fields))


def command(pages: Path, out: Path) -> list[str]:
    """The Pagefind run that indexes the documents under `pages` into `out`."""
    where = ["--site", str(pages), "--output-path", str(out)]
    return [binary(), *where, "--force-language", "vi", "--silent"]


def failure(output: str) -> ContentError:
    detail = output.strip().splitlines()
    return ContentError("pagefind", None, "search indexing failed: " + " ".join(detail[-3:]))


def trim(out: Path, primary: bool) -> None:
    """Remove what Pagefind wrote and the site does not use from a part's bundle."""
    for path in out.iterdir():
        unused = path.name.startswith(_UNUSED)
        if unused or (not primary and path.name.startswith(_RUNTIME)):
            path.unlink()


def index_part(pages: Path, out: Path, primary: bool) -> None:
    """Index the documents under `pages` into `out` (one part's bundle), in
    this process's time; raises ContentError when Pagefind fails."""
    result = subprocess.run(command(pages, out), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise failure(result.stderr or result.stdout)
    trim(out, primary)
