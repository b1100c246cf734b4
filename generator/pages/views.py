"""Plan stage, part one: the read-only views templates get.

Plain dicts of strings and lists, built from the domain objects here so that
templates never see an Article or a Group. Structured data (JSON-LD) is made
here too, escaped for a <script> element.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from generator import urls
from generator.pages import figures
from generator.pages.paginate import Page
from generator.site.articles import Article
from generator.site.board import Board, Entry
from generator.site.groups import Group, Site
from generator.site.photos import Picture
from generator.vietnamese import format_date, format_datetime

View = dict[str, Any]
Crumb = tuple[str, str]  # (name, site URL)


def script_json(data: Any) -> Markup:
    """JSON safe inside <script> (no '<', '>' or '&' left to end the element)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return Markup(text)


def breadcrumbs(trail: Sequence[Crumb], current: Crumb, links: urls.Links) -> View:
    """The visible trail (ancestors) and its schema.org BreadcrumbList (with the page)."""
    items = [
        {
            "@type": "ListItem",
            "position": number,
            "name": name,
            "item": links.absolute(url) or links.href(url),
        }
        for number, (name, url) in enumerate([*trail, current], start=1)
    ]
    return {
        "trail": [{"name": name, "href": links.href(url)} for name, url in trail],
        "json_ld": script_json(
            {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
        ),
    }


def page_facts(
    links: urls.Links,
    url: str,
    trail: Sequence[Crumb] | None,
    title: str,
    feed: tuple[str, str] | None,
) -> View:
    """What every page has: canonical address, breadcrumbs, its feed."""
    return {
        # the 404 page is served at every missing address: it has no canonical one;
        # a relative one is ignored by search engines: none without the full address
        "canonical": None if url == urls.NOT_FOUND else links.absolute(url),
        "absolute_url": links.absolute(url),
        "crumbs": breadcrumbs(trail, (title, url), links) if trail else None,
        "feed": {"title": feed[0], "href": links.href(feed[1])} if feed else None,
    }


def unit_trail(group: Group, site: Site) -> list[Crumb]:
    """Home, the units index, then the unit's registered parents (outermost first)."""
    trail: list[Crumb] = [("Trang chủ", urls.HOME), ("Đơn vị", urls.UNITS)]
    parents = [site.by_slug[slug] for slug in reversed(group.ancestors)]
    trail += [(g.name, urls.unit(g.slug)) for g in parents]
    return trail


def card(article: Article, links: urls.Links) -> View:
    """What lists and the article page show about an article."""
    return {
        "title": article.title,
        "href": links.href(article.url),
        "url": article.url,
        "date_iso": article.published_iso,
        "date_short": format_date(article.date),
        "date_full": format_datetime(article.date, article.has_time),
        "updated_iso": article.updated_iso,
        "updated_short": format_date(article.updated) if article.updated else None,
        "unit": article.unit,
        "unit_href": links.href(urls.unit(article.unit_slug)),
        "term": article.term,
        "term_href": links.href(urls.term(article.term)),
        "year": article.year,
        "year_href": links.href(urls.year(article.year)),
        "author": article.author,
        "summary": article.summary,
        "lead": article.lead,
        "draft": article.draft,
        "sample": article.sample,
        "thumb": figures.thumb(article, links),
    }


def json_ld(
    article: Article, links: urls.Links, site_title: str, default: Picture | None = None
) -> Markup:
    """schema.org NewsArticle (its image: the lead photo's crops, or the site's image)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published_iso,
        "inLanguage": "vi",
        "description": article.summary,
    }
    if article.updated:
        data["dateModified"] = article.updated_iso
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    publisher: dict[str, Any] = {"@type": "Organization", "name": site_title}
    home = links.absolute(urls.HOME)
    if home:
        publisher["url"] = home
    data["publisher"] = publisher
    data["sourceOrganization"] = {"@type": "Organization", "name": article.unit}
    absolute = links.absolute(article.url)
    if absolute:
        data["url"] = absolute
        data["mainEntityOfPage"] = absolute
    images = figures.structured(article.image.picture if article.image else default, links)
    if images:
        data["image"] = images
    return script_json(data)


def neighbours(groups: Sequence[Group]) -> dict[str, tuple[Article | None, Article | None]]:
    """URL -> (older, newer) article of the same group."""
    result: dict[str, tuple[Article | None, Article | None]] = {}
    for group in groups:
        members = group.articles
        for index, article in enumerate(members):
            newer = members[index - 1] if index > 0 else None
            older = members[index + 1] if index + 1 < len(members) else None
            result[article.url] = (older, newer)
    return result


def pager(page: Page[Any], url_of: Callable[[int], str], links: urls.Links) -> View:
    return {
        "number": page.number,
        "total": page.total,
        "prev_href": links.href(url_of(page.previous)) if page.previous else None,
        "next_href": links.href(url_of(page.next)) if page.next else None,
        "pages": [
            {"gap": True}
            if n is None
            else {
                "gap": False,
                "number": n,
                "href": links.href(url_of(n)),
                "current": n == page.number,
            }
            for n in page_numbers(page.number, page.total)
        ],
    }


def page_numbers(current: int, total: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: first, last and a few around the
    current one; None where numbers are left out (1 … 4 5 6 7 8 … 40)."""
    shown = {1, total, *range(current - around, current + around + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= total)
    result: list[int | None] = []
    for n in numbers:
        if result and n - (result[-1] or 0) == 2:
            result.append(n - 1)  # a gap of one page: show it rather than "…"
        elif result and n - (result[-1] or 0) > 2:
            result.append(None)
        result.append(n)
    return result


def unit_about(
    group: Group,
    site: Site,
    cards: dict[str, View],
    links: urls.Links,
    held: Mapping[tuple[str, str], Article],
) -> View:
    """What a unit page says about the unit: registry facts and its congresses
    (`held`: board.congresses)."""
    unit = group.unit
    chain = [site.by_slug[slug] for slug in group.ancestors]  # the parent first
    children = [site.by_slug[child] for child in group.children]
    history = []
    for term in sorted({a.term for a in group.articles}, reverse=True):
        members = [a for a in group.articles if a.term == term]
        found = held.get((group.name, term))
        history.append(
            {
                "term": term,
                "term_href": links.href(urls.term(term)),
                "count": len(members),
                "congress": congress_view(found, cards) if found else None,
            }
        )
    return {
        "short_name": unit.short_name if unit else None,
        "description": unit.description if unit else None,
        "former_names": unit.former_names if unit else (),
        "chain": index(chain, urls.unit, links),
        "children": index(children, urls.unit, links),
        "history": history,
        # oldest first, as the unit's congresses are counted
        "congresses": [h["congress"] for h in reversed(history) if h["congress"]],
    }


def congress_view(article: Article, cards: dict[str, View]) -> View:
    """A congress as the board and a unit's history name it."""
    number = article.congress_number
    return {
        **cards[article.url],
        "label": f"Đại hội lần thứ {number}" if number else "Đại hội",
        "number": number,
    }


def board_view(made: Board, cards: dict[str, View], links: urls.Links) -> View:
    """A term's congress board: each unit, its congress or none yet, each
    parent's progress, and the whole count."""

    def entry(item: Entry) -> View:
        return {
            "name": item.name,
            "href": links.href(urls.unit(item.slug)) if item.slug else None,
            "congress": congress_view(item.congress, cards) if item.congress else None,
            "held": item.held,
            "total": len(item.children),
            "children": [entry(child) for child in item.children],
        }

    return {
        "term": made.term,
        "held": made.held,
        "total": made.total,
        "entries": [entry(item) for item in made.entries],
    }


def unit_tree(site: Site, links: urls.Links) -> list[View]:
    """Units as a tree by parent organisation (flat without a registry), each
    level in Vietnamese order."""

    def branch(groups: list[Group]) -> list[View]:
        views = index(groups, urls.unit, links)
        for view, group in zip(views, groups, strict=True):
            view["children"] = branch([site.by_slug[child] for child in group.children])
        return views

    return branch([g for g in site.units if g.parent is None])


def index(groups: Sequence[Group], url_of: Callable[[str], str], links: urls.Links) -> list[View]:
    """Name, address and counts of each group: `count` its own articles,
    `total` those of a unit and every unit below it (`count` for others)."""
    return [
        {
            "name": g.name,
            "href": links.href(url_of(g.slug)),
            "count": len(g.articles),
            "total": max(len(g.rollup), len(g.articles)),
        }
        for g in groups
    ]
