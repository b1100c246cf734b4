"""Plan stage: every page of the site as a Route (URL, template, context).

Templates get plain read-only views (dicts of strings) built here, never the
domain objects. Two routes with one output path is a bug and stops the build.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup

from . import search, urls
from .model import Article
from .paginate import Page, paginate
from .settings import Settings
from .taxonomy import Group, Site, congress
from .vietnamese import collation_key, format_date, format_datetime

View = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Route:
    url: str  # site-relative
    template: str
    context: View

    @property
    def out_path(self) -> str:
        return urls.out_path(self.url)


def card(article: Article, links: urls.Links) -> View:
    """What lists and the article page show about an article."""
    return {
        "title": article.title,
        "href": links.href(article.url),
        "url": article.url,
        "date_iso": article.date.isoformat(),
        "date_short": format_date(article.date),
        "date_full": format_datetime(article.date, article.has_time),
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
    }


def json_ld(article: Article, links: urls.Links) -> Markup:
    """schema.org NewsArticle, safe inside <script> (no '<', '>' or '&' left)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "inLanguage": "vi",
        "description": article.summary,
    }
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    absolute = links.absolute(article.url)
    if absolute:
        data["url"] = absolute
        data["mainEntityOfPage"] = absolute
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return Markup(text)


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
            {"number": n, "href": links.href(url_of(n)), "current": n == page.number}
            for n in range(1, page.total + 1)
        ],
    }


def _listing(
    group: Group,
    kind: str,
    url_of: Callable[[int], str],
    settings: Settings,
    cards: dict[str, View],
    links: urls.Links,
    about: View | None = None,
) -> list[Route]:
    routes = []
    for page in paginate(group.articles, settings.page_size):
        context = {
            "kind": kind,
            "name": group.name,
            "count": len(group.articles),
            "articles": [cards[a.url] for a in page.items],
            "pager": pager(page, url_of, links),
            "canonical": links.absolute(url_of(page.number)),
            "about": about,
        }
        routes.append(Route(url_of(page.number), "list.html", context))
    return routes


def unit_about(group: Group, site: Site, cards: dict[str, View], links: urls.Links) -> View:
    """What a unit page says about the unit: registry facts and its congresses."""
    unit = site.registry.find(group.name)
    parent = site.unit_group(unit.parent) if unit and unit.parent else None
    children = [site.unit_group(child.name) for child in site.registry.children(group.name)]
    history = []
    for term in sorted({a.term for a in group.articles}, reverse=True):
        members = [a for a in group.articles if a.term == term]
        found = congress(members, term)
        history.append(
            {
                "term": term,
                "term_href": links.href(urls.term(term)),
                "count": len(members),
                "congress": cards[found.url] if found else None,
            }
        )
    return {
        "short_name": unit.short_name if unit else None,
        "description": unit.description if unit else None,
        "former_names": unit.former_names if unit else (),
        "parent": _index([parent], urls.unit, links)[0] if parent else None,
        "children": _index(_by_name(c for c in children if c), urls.unit, links),
        "history": history,
    }


def unit_tree(site: Site, links: urls.Links) -> list[View]:
    """Units as a tree by parent organisation (flat without a registry)."""
    nested: dict[str | None, list[Group]] = {}
    for group in site.units:
        unit = site.registry.find(group.name)
        parent = unit.parent if unit and site.unit_group(unit.parent or "") else None
        nested.setdefault(parent, []).append(group)

    def branch(parent: str | None) -> list[View]:
        views = _index(_by_name(nested.get(parent, ())), urls.unit, links)
        for view in views:
            view["children"] = branch(view["name"])
        return views

    return branch(None)


def _by_name(groups: Iterable[Group]) -> list[Group]:
    return sorted(groups, key=lambda g: collation_key(g.name))


def _index(groups: Sequence[Group], url_of: Callable[[str], str], links: urls.Links) -> list[View]:
    return [
        {"name": g.name, "href": links.href(url_of(g.slug)), "count": len(g.articles)}
        for g in groups
    ]


def plan(site: Site, settings: Settings, links: urls.Links) -> tuple[Route, ...]:
    cards = {a.url: card(a, links) for a in site.articles}
    same_unit = neighbours(site.units)
    routes: list[Route] = []
    for article in site.articles:
        older, newer = same_unit[article.url]
        context = {
            "article": cards[article.url],
            "body": Markup(article.html),
            "tags": article.tags,
            "older": cards[older.url] if older else None,
            "newer": cards[newer.url] if newer else None,
            "json_ld": json_ld(article, links),
            "search_head": search.article_head(article),
            "canonical": links.absolute(article.url),
        }
        routes.append(Route(article.url, "article.html", context))
    for group in site.units:
        about = unit_about(group, site, cards, links)
        url_of = partial(urls.unit, group.slug)
        routes += _listing(group, "unit", url_of, settings, cards, links, about)
    for group in site.terms:
        routes += _listing(group, "term", partial(urls.term, group.slug), settings, cards, links)
    for group in site.years:
        routes += _listing(
            group, "year", partial(urls.year, int(group.slug)), settings, cards, links
        )
    unit_index = _index([g for g in site.units if g.articles], urls.unit, links)
    term_index = _index(site.terms, urls.term, links)
    year_index = _index(site.years, lambda s: urls.year(int(s)), links)
    routes += [
        Route(
            urls.UNITS,
            "units.html",
            {
                "units": unit_tree(site, links),
                "count": len(site.units),
                "canonical": links.absolute(urls.UNITS),
            },
        ),
        Route(
            urls.TERMS, "terms.html", {"terms": term_index, "canonical": links.absolute(urls.TERMS)}
        ),
        Route(
            urls.YEARS, "years.html", {"years": year_index, "canonical": links.absolute(urls.YEARS)}
        ),
        Route(
            urls.HOME,
            "home.html",
            {
                "articles": [cards[a.url] for a in site.articles[: settings.page_size]],
                "total": len(site.articles),
                "units": unit_index,
                "terms": term_index,
                "years": year_index,
                "canonical": links.absolute(urls.HOME),
            },
        ),
        Route(urls.NOT_FOUND, "404.html", {"canonical": None}),
        Route(
            urls.SEARCH,
            "search.html",
            {
                "units": unit_index,
                "terms": term_index,
                "years": year_index,
                "canonical": links.absolute(urls.SEARCH),
                "bundle": links.href(search.BUNDLE_URL),
            },
        ),
    ]
    _check_unique(routes)
    return tuple(routes)


def _check_unique(routes: Sequence[Route]) -> None:
    seen: dict[str, str] = {}
    for route in routes:
        if route.out_path in seen:
            raise RuntimeError(f"two pages would be written to {route.out_path}: {route.url}")
        seen[route.out_path] = route.url
