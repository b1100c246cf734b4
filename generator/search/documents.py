"""Search stage: the page Pagefind is given for each article.

Pagefind is given one small document per article (`document`): its filters,
sort key and metadata, its title, lead, body and tags, in the elements the
default article page has, so the records are exactly those of that page.
Made from the article alone, a document can be indexed before the page is
rendered (indexing.py runs the parts beside the other stages). The article
layout still carries the same attributes (`article_head`).

Vietnamese: Pagefind folds tone marks but not đ (it has no decomposition),
so `dang uy` would not find `Đảng ủy`. Every article therefore carries a
hidden, searchable metadata field `fold` holding the đ -> d forms of its
words that contain đ. Readers never see it: excerpts come from the body,
and the search page highlights matches in the original spelling itself.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.infra.cache import digest
from generator.site.articles import Article
from generator.vietnamese import folded_words, format_date


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
    if article.names:
        tags.append(("data-pagefind-meta", "names[content]", article.names))
    if author:
        tags.append(("data-pagefind-meta", "author[content]", author))
    return Markup(
        "\n".join(
            # the name only makes the element valid HTML (a <meta> needs one); Pagefind
            # reads the data- attribute
            f'<meta name="{_name(attr, key)}" {attr}="{escape(key)}" content="{escape(value)}">'
            for attr, key, value in tags
        )
    )


def _name(attr: str, key: str) -> str:
    """`data-pagefind-filter`, `unit[content]` -> `pagefind-filter-unit`."""
    return f"{attr.removeprefix('data-')}-{key.split('[', 1)[0]}"


def document(article: Article, body_html: str, lead_html: str = "") -> str:
    """The page Pagefind indexes for an article: its filters, sort key and
    metadata, its title (Pagefind's `title`), and what the article page shows
    of it as text (lead, body, tags), in the page's own elements.

    It is made from the article alone, not from the rendered page, so the
    index of an article can be built before (and while) its page is rendered,
    and the layouts cannot change what is searchable. Indexed, it gives the
    records the default article page gives, byte for byte (tested).
    """
    lead = f"  {lead_html}\n" if lead_html else ""
    if article.lead:
        lead += f'  <p class="lead">{escape(article.lead)}</p>\n'
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
        article.names,
        article.body.digest,
        article.figures,
        article.image,
        article.image_number,
    )
    return digest(repr(fields))
