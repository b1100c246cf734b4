"""Index stage: everything that knows Pagefind exists.

The layouts mark article pages for Pagefind with the attributes made here;
after the site is written, the pinned Pagefind binary (from the
`pagefind-bin` wheel, no download) indexes the staged folder in one run.
The Python API is not used: its `add_html_file` managed 100 pages in 10.4 s
here, while the binary indexed 10,000 article pages in 18-19 s.

Vietnamese: Pagefind folds tone marks but not đ (it has no decomposition),
so `dang uy` would not find `Đảng ủy`. Every article therefore carries a
hidden, searchable metadata field `fold` holding the đ -> d forms of its
words that contain đ. Readers never see it: excerpts come from the body,
and the search page highlights matches in the original spelling itself.
"""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

from markupsafe import Markup, escape

from .errors import ContentError
from .model import Article
from .vietnamese import fold, format_date

BUNDLE = "pagefind"
BUNDLE_URL = f"/{BUNDLE}/"
# Article pages only: /<yyyy>/<slug>/index.html (year listing pages match the
# pattern too but carry no data-pagefind-body, so Pagefind skips them).
ARTICLE_GLOB = "[0-9][0-9][0-9][0-9]/*/index.html"
_D_WORD = re.compile(r"\w*đ\w*")
_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    return unescape(_TAG.sub(" ", html))


def folded_words(*texts: str) -> str:
    """Distinct đ -> d forms of the words that contain đ, in first-seen order."""
    # split() first: much faster than a regex over the whole text
    words = dict.fromkeys(
        word
        for text in texts
        for chunk in text.lower().split()
        if "đ" in chunk
        for word in _D_WORD.findall(chunk)
    )
    return " ".join(dict.fromkeys(fold(word) for word in words))


def article_head(article: Article) -> Markup:
    """<meta> tags that give Pagefind an article's filters, sort key and metadata."""
    author = article.author or ""
    folded = folded_words(article.title, article.unit, author, plain_text(article.html))
    tags = [
        ("data-pagefind-filter", "unit[content]", article.unit),
        ("data-pagefind-filter", "term[content]", article.term),
        ("data-pagefind-filter", "year[content]", str(article.year)),
        ("data-pagefind-sort", "date[content]", article.date.isoformat()),
        ("data-pagefind-meta", "date[content]", format_date(article.date)),
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


def index(site: Path, articles: int) -> None:
    """Index the written site into site/pagefind/; raise ContentError on failure.

    An archive with no articles gets no index (Pagefind refuses an empty site);
    the search page then says that nothing can be found.
    """
    if articles == 0:
        return
    try:
        from pagefind_bin import get_executable

        binary = str(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise ContentError(
            "pagefind", None, f"the search indexer is not installed ({error}); run pip install -e ."
        ) from None
    command = [
        binary,
        "--site",
        str(site),
        "--glob",
        ARTICLE_GLOB,
        "--output-subdir",
        BUNDLE,
        "--force-language",
        "vi",
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise ContentError("pagefind", None, "search indexing failed: " + " ".join(detail[-3:]))
