"""Every URL and every output path is made here and nowhere else.

URLs are site-relative (`/don-vi/chi-bo-tan-hoa/trang/2/`); `Links` adds the
base path for href values (and takes it away again: `site_url`), `out_path`
maps a URL to its file in the output and `page_url` back. The search index's
parts live here too (`/pagefind/0/`, ...): the search page loads them by URL,
the build writes them by folder.
"""

from __future__ import annotations

import functools
from posixpath import normpath
from urllib.parse import unquote

PAGE_SEGMENT = "trang"
OWN_SEGMENT = "rieng"  # /don-vi/<unit>/rieng/: a unit's own articles, not its sub-units'
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
HEADERS = "/_headers"  # response headers for hosts that read the file (Netlify, Cloudflare)
SEARCH_BUNDLE = "pagefind"  # the folder of the search index, one sub-folder per part
PICTURES = "/anh/"  # the published photos, one folder per picture


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


def unit_own(slug: str, page: int = 1) -> str:
    """A parent unit's own articles, without its sub-units'."""
    return _paged(f"{UNITS}{slug}/{OWN_SEGMENT}/", page)


def term(label: str, page: int = 1) -> str:
    return _paged(f"{TERMS}{label}/", page)


def year(number: int, page: int = 1) -> str:
    return _paged(f"/{number}/", page)


def unit_feed(slug: str) -> str:
    return f"{UNITS}{slug}/{FEED_NAME}"


def term_feed(label: str) -> str:
    return f"{TERMS}{label}/{FEED_NAME}"


def picture(address: str, stem: str, name: str) -> str:
    """A published file of a picture. Its folder is named by `address`, a hash
    of what the files are made from and of the editor's file name (`stem`):
    a changed photo never has an old address, and one photo saved under two
    names is two folders, each whole."""
    return f"{PICTURES}{address}/{stem}-{name}"


def picture_folder(address: str) -> str:
    """A picture's output folder, as the manifest names it (with a final '/'):
    a build keeps, links and checks a picture's files as one."""
    return f"{PICTURES.strip('/')}/{address}/"


def search_part(part: int) -> str:
    """The URL of an index part's bundle, as the search page loads it."""
    return f"/{SEARCH_BUNDLE}/{part}/"


def search_part_folder(part: int) -> str:
    """The output folder of an index part's bundle (Pagefind writes it whole)."""
    return f"{SEARCH_BUNDLE}/{part}"


def in_search_bundle(name: str) -> bool:
    """Whether an output file belongs to the search index."""
    return name.startswith(SEARCH_BUNDLE + "/")


def search_part_of(name: str) -> str:
    """The part (as written in its folder name) an output file of the search index is in."""
    return name.split("/")[1]


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


def page_url(out_path: str) -> str:
    """Site-relative URL of an output file: `2025/x/index.html` -> `/2025/x/`."""
    if out_path == "index.html" or out_path.endswith("/index.html"):
        return "/" + out_path[: -len("index.html")]
    return "/" + out_path


def served_file(url: str) -> str:
    """The output file a site-relative URL found in a page is served from.

    Unlike out_path it takes any URL, checks nothing and never raises: its
    result is only looked up among the files of the site, never written.
    """
    return url[1:] + "index.html" if url.endswith("/") else url[1:]


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

    def site_url(self, path: str) -> str | None:
        """The inverse of href: `/luu-tru/2025/x/` -> `/2025/x/` under base path
        /luu-tru/ (dot segments resolved, %-escapes decoded); None outside it."""
        path = unquote(path)
        if "/." in path or "//" in path:
            slash = "/" if path.endswith(("/", "/.", "/..")) else ""
            path = normpath(path).rstrip("/") + slash or "/"
        if path + "/" == self.base_path:
            return "/"
        if not path.startswith(self.base_path):
            return None
        return "/" + path[len(self.base_path) :]
