"""Write stage, files for machines: Atom feeds (the archive, a unit, a term),
sitemap.xml and robots.txt.

Pure: articles and routes in, text out. Entry ids are `urn:uuid:` names derived from
the article's address, so they survive rebuilds and a change of host.
https://www.rfc-editor.org/rfc/rfc4287
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from generator import urls
from generator.pages import figures
from generator.site.articles import Article

if TYPE_CHECKING:  # routes.py plans the feeds: only the type is needed here
    from generator.pages.routes import Route

ATOM_TYPE = "application/atom+xml"
_NAMESPACE = uuid.UUID("6f0b3c52-6a8e-5d1c-9a43-5f0c1b7d2e10")  # this archive's own space


def stable_id(url: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, url)}"


def _time(moment: datetime) -> str:
    return moment.isoformat()


def _link(links: urls.Links, url: str) -> str:
    """Absolute when the site's address is known; else rooted under the base path."""
    return links.absolute(url) or links.href(url)


def atom(
    title: str,
    feed_url: str,
    page_url: str,
    articles: Sequence[Article],
    links: urls.Links,
    site_title: str,
) -> str:
    """An Atom feed of `articles` (newest first, already cut to size)."""
    updated = max((a.modified for a in articles), default=None)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{stable_id(feed_url)}</id>",
        f'  <link rel="self" type="{ATOM_TYPE}" href={quoteattr(_link(links, feed_url))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(_link(links, page_url))}/>',
        # a feed with no entries still needs a date: the epoch keeps builds identical
        f"  <updated>{_time(updated) if updated else '1970-01-01T00:00:00+00:00'}</updated>",
        f"  <author><name>{escape(site_title)}</name></author>",
        "  <generator>archive</generator>",
    ]
    for article in articles:
        lines += _entry(article, links)
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _entry(article: Article, links: urls.Links) -> list[str]:
    entry = [
        "  <entry>",
        f"    <title>{escape(article.title)}</title>",
        f"    <id>{stable_id(article.url)}</id>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(_link(links, article.url))}/>',
        f"    <published>{_time(article.date)}</published>",
        f"    <updated>{_time(article.modified)}</updated>",
    ]
    if article.author:
        entry.append(f"    <author><name>{escape(article.author)}</name></author>")
    entry += [
        f"    <category term={quoteattr(article.unit)} label={quoteattr(article.unit)}/>",
        f"    <summary>{escape(article.summary)}</summary>",
    ]
    image = article.image
    if image is not None:  # the lead photo, for readers that show one per entry
        picture, file = image.picture, image.picture.fallback
        kind = "image/png" if file.name.endswith(".png") else "image/jpeg"
        href = quoteattr(_link(links, picture.url(file)))
        entry.append(f'    <link rel="enclosure" type="{kind}" length="{file.size}" href={href}/>')
    html = figures.lead_html(article, links) + figures.body_html(article, links)
    entry += [f'    <content type="html">{escape(str(html))}</content>', "  </entry>"]
    return entry


def sitemap(routes: Sequence[Route], links: urls.Links) -> str:
    """Every listed page at its absolute address, with the date its content last changed.

    https://www.sitemaps.org/protocol.html
    """
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for route in sorted((r for r in routes if r.listed), key=lambda r: r.url):
        lastmod = f"<lastmod>{route.modified}</lastmod>" if route.modified else ""
        location = escape(links.absolute(route.url) or links.href(route.url))
        lines.append(f"  <url><loc>{location}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(links: urls.Links) -> str:
    text = "User-agent: *\nAllow: /\n"
    address = links.absolute(urls.SITEMAP)
    return text + f"\nSitemap: {address}\n" if address else text
