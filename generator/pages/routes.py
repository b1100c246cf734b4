"""Plan stage: every output of the site as a Route, planned in one place.

Pages are rendered through a layout from a context; files (the Atom feeds,
sitemap.xml, robots.txt, _headers) are text made by a function. Both are
planned here, so one rule decides which groups have a feed (the page links
it, the feed is written) and the check that no two routes share an output
path covers every file. Templates get plain read-only views (views.py),
never the domain objects. Every page gets the same page-level facts:
canonical address, breadcrumbs and their structured data, feeds.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

from generator import urls
from generator.errors import BuildFailure
from generator.pages import feeds, figures, security
from generator.pages.paginate import paginate
from generator.pages.views import (
    Crumb,
    View,
    board_view,
    card,
    index,
    json_ld,
    neighbours,
    page_facts,
    pager,
    unit_about,
    unit_trail,
    unit_tree,
)
from generator.search import documents
from generator.search.parts import Layout
from generator.settings import Settings
from generator.site.articles import Article
from generator.site.board import board, congresses
from generator.site.groups import Group, Site
from generator.site.photos import Picture
from generator.site.related import related

HOME: Crumb = ("Trang chủ", urls.HOME)
KINDS = {
    "unit": ("Đơn vị", urls.UNITS),
    "term": ("Nhiệm kỳ", urls.TERMS),
    "year": ("Năm", urls.YEARS),
}


@dataclass(frozen=True, slots=True)
class Route:
    """A page. Its context is made when the page is rendered (in a render
    worker, and only if its key changed): `inputs` holds everything it is
    made from besides settings and code, so that the key is known without
    making it."""

    url: str  # site-relative
    template: str
    context: Callable[[], View]
    inputs: Any  # what the context is made from (besides settings and code)
    modified: str | None = None  # newest change of what the page shows (ISO 8601)
    listed: bool = True  # in the sitemap

    @property
    def out_path(self) -> str:
        return urls.out_path(self.url)


@dataclass(frozen=True, slots=True)
class FileRoute:
    """A file of the site that is not a page: its text is made by `text` when
    it is written (it is written every build; unchanged bytes stay as they are)."""

    url: str
    text: Callable[[], str]

    @property
    def out_path(self) -> str:
        return urls.out_path(self.url)


@dataclass(frozen=True, slots=True)
class Plan:
    pages: tuple[Route, ...]  # in the order they were planned
    files: tuple[FileRoute, ...]
    pictures: tuple[Picture, ...] = ()

    @property
    def out_paths(self) -> OutPaths:
        named = frozenset([*(r.out_path for r in self.pages), *(r.out_path for r in self.files)])
        return OutPaths(named, self.pictures)


class OutPaths(Collection[str]):
    """Every output path of a plan, as a set the link check asks; the
    pictures' files are found through their picture's folder rather than
    held as 140,000 strings in every render worker."""

    def __init__(self, files: frozenset[str], pictures: Sequence[Picture]) -> None:
        self._files = files
        self._pictures = pictures
        self._folders = {p.folder: p for p in pictures}

    def including(self, names: Iterable[str]) -> OutPaths:
        """These paths and `names` (files planned elsewhere: the assets)."""
        return OutPaths(self._files | frozenset(names), self._pictures)

    def __contains__(self, name: object) -> bool:
        if name in self._files:
            return True
        if not isinstance(name, str):
            return False
        picture = self._folders.get(name.rpartition("/")[0] + "/")
        return picture is not None and any(
            urls.out_path(picture.url(file)) == name for file in picture.files
        )

    def __iter__(self) -> Iterator[str]:
        yield from self._files
        for picture in self._folders.values():
            yield from (urls.out_path(picture.url(file)) for file in picture.files)

    def __len__(self) -> int:
        return len(self._files) + sum(len(p.files) for p in self._folders.values())


class _Planner:
    """Adds what every page has to the context of each route it makes."""

    def __init__(self, site: Site, settings: Settings, links: urls.Links) -> None:
        self.site = site
        self.settings = settings
        self.links = links
        self.cards = {a.url: card(a, links) for a in site.articles}
        self.held = congresses(site.articles)  # each unit's congress of each term
        # what link previews of a page without a photo show
        self.share = figures.share(site.image, settings.title, links)
        self.routes: list[Route] = []
        self.files: list[FileRoute] = []

    def feed(self, title: str, url: str, page_url: str, articles: Sequence[Article]) -> None:
        """An Atom feed of the newest of `articles` (newest first)."""
        settings = self.settings
        newest = tuple(articles[: settings.feed_size])
        make = partial(feeds.atom, title, url, page_url, newest, self.links, settings.title)
        self.files.append(FileRoute(url, make))

    def add(
        self,
        url: str,
        template: str,
        context: View,
        trail: Sequence[Crumb] | None,
        title: str = "",
        modified: str | None = None,
        feed: tuple[str, str] | None = None,  # (title, site URL) of the page's own feed
        listed: bool = True,
    ) -> None:
        # the page facts (breadcrumbs and their JSON-LD) are made when rendered
        facts = partial(page_facts, self.links, url, trail, title, feed)
        context = {"share": self.share, **context}
        made = partial(_made, partial(dict, context), facts)
        inputs = (tuple(trail) if trail else None, title, feed, context)
        self.routes.append(Route(url, template, made, inputs, modified, listed))

    def add_later(
        self,
        url: str,
        template: str,
        make: Callable[[], View],
        inputs: Any,
        trail: Sequence[Crumb],
        title: str,
        modified: str | None,
    ) -> None:
        """A page whose context `make` makes when it is rendered; `inputs` is
        everything `make` reads (besides settings)."""
        facts = partial(page_facts, self.links, url, trail, title, None)
        context = partial(_made, make, facts)
        self.routes.append(Route(url, template, context, (tuple(trail), inputs), modified))

    def listing(
        self,
        group: Group,
        kind: str,
        url_of: Callable[[int], str],
        about: View | None = None,
        feed: tuple[str, str] | None = None,
        trail: Sequence[Crumb] | None = None,
        articles: Sequence[Article] | None = None,
        scope: View | None = None,
        first: View | None = None,
    ) -> None:
        """The pages of a group's list; `articles`: the group's own by default
        (a unit's page gathers its sub-units' too: `scope` says which it shows);
        `first`: what only the first page shows besides (a term's board)."""
        label, index_url = KINDS[kind]
        heading = group.name if kind == "unit" else f"{label} {group.name}"
        shown = group.articles if articles is None else articles
        if scope and scope["own"]:
            heading = f"{heading} (riêng đơn vị)"
        newest = last_change(shown)
        for page in paginate(shown, self.settings.page_size):
            context = {
                "kind": kind,
                "name": group.name,
                "count": len(shown),
                "articles": [self.cards[a.url] for a in page.items],
                "pager": pager(page, url_of, self.links),
                "about": about,
                "scope": scope,
                # a list gathering several units names each card's unit
                "show_unit": kind != "unit" or bool(scope and not scope["own"]),
                "board": None,
            }
            if first and page.number == 1:
                context.update(first)
            title = heading if page.number == 1 else f"{heading} – Trang {page.number}"
            crumbs = trail or [HOME, (label, index_url)]
            url = url_of(page.number)
            self.add(url, "list.html", context, crumbs, title, newest, feed)


def plan(
    site: Site,
    settings: Settings,
    links: urls.Links,
    search_index: Layout | None = None,
) -> Plan:
    """Every page and file; `search_index`: the search index's parts (the first one
    carries Pagefind's runtime), the records the search page drops and how
    many each part holds (search.parts.Layout); by default one part."""
    planner = _Planner(site, settings, links)
    _articles(planner)
    title = settings.title
    for group in site.units:
        _unit_pages(planner, group)
    for group in site.terms:
        feed = (f"Tin bài nhiệm kỳ {group.name}", urls.term_feed(group.slug))
        planner.feed(
            f"Nhiệm kỳ {group.name} – {title}", feed[1], urls.term(group.slug), group.articles
        )
        # the newest term is the congress season: its board lists every unit
        everyone = group is site.terms[0]
        shown = board(site, group.name, planner.held, everyone)
        first = {"board": board_view(shown, planner.cards, links)} if shown.entries else None
        planner.listing(group, "term", partial(urls.term, group.slug), feed=feed, first=first)
    for group in site.years:
        planner.listing(group, "year", partial(urls.year, int(group.slug)))
    _fixed_pages(planner, search_index)
    _site_files(planner)
    made = Plan(tuple(planner.routes), tuple(planner.files), tuple(site.pictures))
    _check_unique(made)
    return made


def _unit_pages(planner: _Planner, group: Group) -> None:
    """A unit's pages: its articles and those of every unit below it, newest
    first, with their feed; a unit with sub-units also gets the pages of its
    own articles alone (`/don-vi/<unit>/rieng/`)."""
    site, links, title = planner.site, planner.links, planner.settings.title
    about = unit_about(group, site, planner.cards, links, planner.held)
    feed = None
    if group.rollup:  # a unit with no article in it or below it has no feed
        feed = (f"Tin bài của {group.name}", urls.unit_feed(group.slug))
        planner.feed(f"{group.name} – {title}", feed[1], urls.unit(group.slug), group.rollup)
    trail = unit_trail(group, site)
    scope = None
    if group.gathers:
        scope = {
            "own": False,
            "own_count": len(group.articles),
            "total": len(group.rollup),
            "all_href": links.href(urls.unit(group.slug)),
            "own_href": links.href(urls.unit_own(group.slug)) if group.articles else None,
        }
    url_of = partial(urls.unit, group.slug)
    planner.listing(group, "unit", url_of, about, feed, trail, group.rollup, scope)
    if scope and group.articles:
        own_trail = [*trail, (group.name, urls.unit(group.slug))]
        own_url = partial(urls.unit_own, group.slug)
        own = {**scope, "own": True}
        planner.listing(group, "unit", own_url, None, feed, own_trail, group.articles, own)


def _site_files(planner: _Planner) -> None:
    """The home feed, robots.txt, _headers, and sitemap.xml when the site's
    absolute address is known (a sitemap must give absolute addresses)."""
    links, site = planner.links, planner.site
    planner.feed(planner.settings.title, urls.FEED, urls.HOME, site.articles)
    planner.files.append(FileRoute(urls.ROBOTS, partial(feeds.robots, links)))
    planner.files.append(FileRoute(urls.HEADERS, partial(security.headers_file, links.base_path)))
    if planner.settings.absolute_base:
        pages = tuple(planner.routes)
        planner.files.append(FileRoute(urls.SITEMAP, partial(feeds.sitemap, pages, links)))


def _articles(planner: _Planner) -> None:
    site = planner.site
    same_unit = neighbours(site.units)
    near = related(site)
    trails: dict[tuple[str, str], list[Crumb]] = {}
    cards = planner.cards
    for article in site.articles:
        older, newer = same_unit[article.url]
        unit = (article.unit, article.unit_slug)
        trail = trails.get(unit)
        if trail is None:
            group = site.by_slug[article.unit_slug]
            trail = trails[unit] = [*unit_trail(group, site), (unit[0], urls.unit(unit[1]))]
        planner.add_later(
            article.url,
            "article.html",
            partial(_article_view, planner, article, older, newer, near[article.url]),
            # what the page shows of its neighbours and related news is their cards
            (
                _fields(article),
                older and cards[older.url],
                newer and cards[newer.url],
                tuple(cards[other.url] for other in near[article.url]),
                planner.share,
            ),
            trail,
            article.title,
            article.modified_iso,
        )


def _article_view(
    planner: _Planner,
    article: Article,
    older: Article | None,
    newer: Article | None,
    near: Sequence[Article] = (),
) -> View:
    cards, links = planner.cards, planner.links
    image = article.image
    share = figures.share(image.picture, image.alt, links) if image else planner.share
    return {
        "article": cards[article.url],
        "lead_figure": figures.lead_html(article, links),
        "body": figures.body_html(article, links),
        "tags": article.tags,
        "older": cards[older.url] if older else None,
        "newer": cards[newer.url] if newer else None,
        "related": [cards[other.url] for other in near],
        "json_ld": json_ld(article, links, planner.settings.title, planner.site.image),
        "search_head": documents.article_head(article),
        "share": share,
    }


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article) if f.name != "body")


def _fields(article: Article) -> tuple[Any, ...]:
    """Every field of the article, its body by its cache key (a plain tuple:
    many times faster to pickle than the dataclass)."""
    return (*(getattr(article, name) for name in _ARTICLE_FIELDS), article.body.key)


def _made(make: Callable[[], View], facts: Callable[[], View]) -> View:
    view = make()
    view.update(facts())
    return view


def _fixed_pages(planner: _Planner, search_index: Layout | None) -> None:
    parts = [0] if search_index is None else search_index.numbers
    replaced = search_index.replaced if search_index else ()
    sizes = search_index.sizes if search_index else ()
    site, links = planner.site, planner.links
    newest = last_change(site.articles)
    unit_index = index([g for g in site.units if g.articles], urls.unit, links)
    term_index = index(site.terms, urls.term, links)
    year_index = index(site.years, lambda s: urls.year(int(s)), links)
    units = {"units": unit_tree(site, links), "count": len(site.units)}
    planner.add(urls.UNITS, "units.html", units, [HOME], "Đơn vị", newest)
    planner.add(urls.TERMS, "terms.html", {"terms": term_index}, [HOME], "Nhiệm kỳ", newest)
    planner.add(urls.YEARS, "years.html", {"years": year_index}, [HOME], "Năm", newest)
    home = {
        "articles": [planner.cards[a.url] for a in site.articles[: planner.settings.page_size]],
        "total": len(site.articles),
        "units": unit_index,
        "terms": term_index,
        "years": year_index,
    }
    planner.add(urls.HOME, "home.html", home, None, modified=newest)
    planner.add(urls.NOT_FOUND, "404.html", {}, None, listed=False)
    search_page = {
        "units": unit_index,
        "terms": term_index,
        "years": year_index,
        "bundle": links.href(urls.search_part(parts[0])) if parts else "",
        "parts": " ".join(links.href(urls.search_part(part)) for part in parts[1:]),
        "replaced": " ".join(replaced),
        "sizes": " ".join(map(str, sizes)),
    }
    planner.add(urls.SEARCH, "search.html", search_page, [HOME], "Tìm kiếm", listed=False)


def last_change(articles: Iterable[Article]) -> str | None:
    """When the newest change among these articles was made (ISO 8601, a
    day alone when the editor gave no time), or None."""
    latest = max(articles, key=lambda a: (a.modified, a.url), default=None)
    return latest.modified_iso if latest else None


def _check_unique(made: Plan) -> None:
    """Two outputs planned at one path is a bug in the plan, not in the content.
    A picture's files share a folder of their own (its key): the folders and
    the names in each are checked, not 140,000 paths one by one."""
    seen: set[str] = set()
    every: list[Route | FileRoute] = [*made.pages, *made.files]
    for route in every:
        if route.out_path in seen:
            raise BuildFailure(
                "plan", f"two files would be written to {route.out_path}: {route.url}"
            )
        seen.add(route.out_path)
    folders: set[str] = set()
    for picture in made.pictures:
        names = {file.name for file in picture.files}
        if picture.folder in folders or len(names) < len(picture.files):
            raise BuildFailure("plan", f"two pictures would be written to {picture.folder}")
        folders.add(picture.folder)
    for path in seen:
        if path.rpartition("/")[0] + "/" in folders:
            raise BuildFailure("plan", f"{path} would be written into a picture's folder")
