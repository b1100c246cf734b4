"""Every URL and every output path is made here and nowhere else.

URLs are site-relative (`/don-vi/chi-bo-tan-hoa/trang/2/`); `Links` adds the
base path for href values, `out_path` maps a URL to its file in the output.
"""

from __future__ import annotations

import functools
from posixpath import normpath

PAGE_SEGMENT = "trang"
UNITS = "/don-vi/"
TERMS = "/nhiem-ky/"
YEARS = "/nam/"
HOME = "/"
NOT_FOUND = "/404.html"
SEARCH = "/tim-kiem/"
ASSETS = "/assets/"
FEED = "/feed.xml"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
FEED_NAME = "feed.xml"


# The fixed pages templates link to by name: {{ pages.units }} and so on.
NAMED = {
    "home": HOME,
    "units": UNITS,
    "terms": TERMS,
    "years": YEARS,
    "search": SEARCH,
    "feed": FEED,
}


def _paged(root: str, page: int) -> str:
    return root if page <= 1 else f"{root}{PAGE_SEGMENT}/{page}/"


def article(year: int, slug: str) -> str:
    return f"/{year}/{slug}/"


def unit(slug: str, page: int = 1) -> str:
    return _paged(f"{UNITS}{slug}/", page)


def term(label: str, page: int = 1) -> str:
    return _paged(f"{TERMS}{label}/", page)


def year(number: int, page: int = 1) -> str:
    return _paged(f"/{number}/", page)


def unit_feed(slug: str) -> str:
    return f"{UNITS}{slug}/{FEED_NAME}"


def term_feed(label: str) -> str:
    return f"{TERMS}{label}/{FEED_NAME}"


def asset(path: str) -> str:
    return ASSETS + path.lstrip("/")


@functools.lru_cache(maxsize=1 << 18)  # every page's path is asked for several times
def out_path(url: str) -> str:
    """Relative output file for a site URL; refuses anything that would escape."""
    if not url.startswith("/") or "\\" in url or "\x00" in url:
        raise ValueError(f"not a site URL: {url!r}")
    relative = url.lstrip("/")
    if url.endswith("/"):
        relative += "index.html"
    clean = normpath(relative)
    if clean.startswith("..") or clean.startswith("/") or clean != relative.rstrip("/"):
        raise ValueError(f"URL {url!r} would write outside the output folder")
    return clean


class Links:
    """Turns site URLs into hrefs under the base path (and absolute URLs)."""

    def __init__(self, base_path: str = "/", absolute_base: str | None = None) -> None:
        self.base_path = base_path
        self.absolute_base = absolute_base

    def href(self, url: str) -> str:
        return self.base_path + url.lstrip("/")

    def absolute(self, url: str) -> str | None:
        if self.absolute_base is None:
            return None
        return self.absolute_base + url.lstrip("/")
