"""Check stage: every link, image and asset inside the site must point somewhere.

Runs on the staged site before it is swapped in (and on a built folder for
`archive check --links`). `check` is pure: pages (output path -> HTML) and
the list of output files in, broken links out; linkplaces.py turns them
into problems an editor can act on. Nothing here writes.

Links to other sites, mail and phone links are not ours to check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

from generator import urls

MISSING = "points to nothing in the site"
# A link attribute inside a tag. The pattern starts with the literal '=', which
# the regex engine scans for fast, then looks back at the name, last letter
# first (10,000 pages in about 0.3 s; a pattern starting with the names took
# 2 s). The lookahead reaches the tag's '>' before any '<', so escaped text
# that reads `src='x'` is not a link. Groups: srcset marker, then the value
# double-quoted, single-quoted or bare.
_ATTR = re.compile(
    r"=(?<=[fctn]=)(?:(?<=\shref=)|(?<=\ssrc=)|(?<=\s(srcset)=)|(?<=\saction=))"
    r"""(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))(?=[^<>]*>)"""
)
_ID = re.compile(r"""[\s"']id\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))(?=[^<>]*>)""")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class Target:
    url: str | None  # site-relative ("/2025/x/"); None when it leaves the site
    fragment: str  # "" when there is none


Match = tuple[str, str, str, str]  # a link attribute as _ATTR finds it


@dataclass(frozen=True, slots=True)
class PageLinks:
    """What the checker needs of a page: its link attributes and its ids."""

    matches: frozenset[Match]
    ids: frozenset[str]


def links_of(html: str) -> PageLinks:
    ids = frozenset(a or b or c for a, b, c in _ID.findall(html))
    return PageLinks(frozenset(_attributes(html)), ids)


def _attributes(html: str) -> Iterator[Match]:
    for found in _ATTR.finditer(html):
        if _outside_values(html, found.start()):
            srcset, double, single, bare = found.groups("")  # as findall gives them
            yield srcset, double, single, bare


def _outside_values(html: str, at: int) -> bool:
    """Whether `at`, inside a tag, is outside its double-quoted attribute values.

    Text that reads `src=x` in an escaped title or unit name (a <meta> content,
    an alt text) is not a link: every layout and Markdown attribute value is
    double-quoted and cannot hold a '"', so such text sits after an odd number
    of them since the tag began.
    """
    return html.count('"', html.rfind("<", 0, at), at) % 2 == 0


@dataclass(frozen=True, slots=True)
class Broken:
    page: str  # site-relative URL of the page the link is on
    target: str  # the href as written in the HTML
    reason: str  # e.g. "points to nothing in the site"


class Resolver:
    """Resolves an href on a page to a site URL, the way a browser would."""

    def __init__(self, base_path: str = "/", absolute_base: str | None = None) -> None:
        self.base_path = base_path
        self.host = urlsplit(absolute_base).netloc.lower() if absolute_base else None
        self.site_url = urls.Links(base_path).site_url

    def resolve(self, href: str, page: str) -> Target | None:
        """The link's target, or None when it is not inside this site to check."""
        href = unescape(href.strip()) if "&" in href else href.strip()
        if _SCHEME.match(href) or href.startswith("//"):
            parts = urlsplit(href)
            if parts.scheme not in ("", "http", "https") or parts.netloc.lower() != self.host:
                return None
            path = parts.path or "/"
            if not (path + "/").startswith(self.base_path):
                return None  # another site on the same host
            return Target(self.site_url(path), unquote(parts.fragment))
        path, _, fragment = href.partition("#")
        path = path.partition("?")[0]
        here = self.base_path + page[1:]
        if not path:
            path = here
        elif not path.startswith("/"):  # a host is needed for RFC 3986 '..' handling
            path = urlsplit(urljoin("http://h" + here, path)).path
        return Target(self.site_url(path), unquote(fragment))


def hrefs(html: str) -> Iterator[str]:
    """Every href, src, srcset candidate and form action of a page, in order."""
    for match in _attributes(html):
        yield from _values(match)


def _values(match: tuple[str, str, str, str]) -> list[str]:
    srcset, double, single, bare = match
    value = double or single or bare
    if srcset:  # "a.jpg 1x, b.jpg 2x"
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value]


def check(
    pages: Mapping[str, PageLinks],
    files: Collection[str],
    base_path: str = "/",
    absolute_base: str | None = None,
) -> list[Broken]:
    """Every link on the HTML pages that points nowhere in `files`.

    `pages`: output path -> its links (`links_of`); `files`: every output
    file (relative POSIX paths, pages and assets included). Queries are
    ignored; a fragment must be an id on its page, except on the search page,
    whose script reads it.
    """
    checker = Checker(files, base_path, absolute_base)

    def ids(name: str) -> frozenset[str] | None:
        found = pages.get(name)
        return found.ids if found is not None else frozenset()

    broken: list[Broken] = []
    for out_path in sorted((p for p in pages if p.endswith(".html")), key=urls.page_url):
        broken += checker.page(out_path, pages[out_path].matches, ids)
    return broken


_FAST_ID = re.compile(r'\sid="([^"]*)"')


def own_ids(html: str) -> frozenset[str]:
    """The ids of a page this site rendered (its attributes are always double-quoted)."""
    return frozenset(_FAST_ID.findall(html))


def matches_of(html: str) -> list[Match]:
    return list(_attributes(html))


@dataclass(frozen=True, slots=True)
class Deferred:
    """A link to an anchor on another page, judged once that page is written."""

    page: str
    href: str
    target: str  # the output file of the page it points into
    fragment: str


class Checker:
    """Judges the links of one page after another, remembering what it judged.

    Links that mean the same on every page (most of them: site-absolute) are
    judged once; a page's other links are what is left after a set difference.
    `ids(output path)` gives a page's ids, or None when that page is not
    known yet: such links are `deferred` for the caller to settle.
    """

    def __init__(
        self, files: Collection[str], base_path: str = "/", absolute_base: str | None = None
    ) -> None:
        self.files = files
        self.resolver = Resolver(base_path, absolute_base)
        self.good: set[Match] = set()
        self.bad: dict[str, str] = {}
        self.deferred: list[Deferred] = []

    def page(
        self,
        out_path: str,
        matches: Iterable[Match],
        ids: Callable[[str], frozenset[str] | None],
    ) -> list[Broken]:
        page = urls.page_url(out_path)
        broken: list[Broken] = []
        for match in sorted(set(matches) - self.good):
            fixed = True
            for href in _values(match):
                reason = self.bad.get(href)
                if reason is None:
                    same_page = not href.startswith("/") and not _SCHEME.match(href)
                    fixed = fixed and not same_page
                    reason = self._judge(href, page, ids)
                    if reason is _LATER:
                        fixed = False
                        continue
                    if reason and not same_page:
                        self.bad[href] = reason
                if reason:
                    broken.append(Broken(page, href, reason))
                    fixed = False
            if fixed:
                self.good.add(match)
        return broken

    def _judge(
        self, href: str, page: str, ids: Callable[[str], frozenset[str] | None]
    ) -> str | None:
        """What is wrong with a link on a page, or None (or _LATER)."""
        if href[:1] == "#":  # every page's skip link: no need for the whole resolver
            target: Target | None = Target(page, unquote(href[1:]))
        else:
            target = self.resolver.resolve(href, page)
        if target is None:
            return None
        if target.url is None:
            return f"points outside the site (its addresses start with {self.resolver.base_path})"
        if not _exists(target.url, self.files):
            return MISSING
        if not target.fragment or target.url == urls.SEARCH:
            return None
        name = urls.served_file(target.url)
        found = ids(name)
        if found is None:
            self.deferred.append(Deferred(page, href, name, target.fragment))
            return _LATER
        if target.fragment in found:
            return None
        return missing_anchor(target.url, page, target.fragment)


_LATER = "later"  # a sentinel: compared by identity


def missing_anchor(url: str, page: str, fragment: str) -> str:
    where = "this page" if url == page else url
    return f"points to a missing anchor: there is no id '{fragment}' on {where}"


def _exists(url: str, files: Collection[str]) -> bool:
    name = urls.served_file(url)
    # a folder linked without its slash: servers redirect to the slash
    return name in files or (not url.endswith("/") and f"{name}/index.html" in files)
