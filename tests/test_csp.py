"""Content-Security-Policy: every page carries it, and the site works under it.

The policy (generator/pages/security.py) allows the site's own scripts and styles and
Pagefind, nothing else. Pages are checked as files (no inline script, style or
event handler could run under it) and in headless Chromium, once with only the
<meta> policy and once with the `_headers` file's headers sent by the server, as
Netlify or Cloudflare Pages would: the header also governs Pagefind's worker,
which needs 'wasm-unsafe-eval'.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import ROOT, article, build_project, write_tree
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError
from webtools import csp_violations, served, watch_console

from generator.pages import security

TABLE = """Kết quả bầu cử:

| Đồng chí | Chức vụ | Số phiếu |
|:--|:-:|--:|
| Nguyễn Văn A | Bí thư | 25 |

![Quang cảnh Đại hội](/assets/favicon.svg)

Xem thêm [trang Đảng bộ tỉnh](https://example.org/tin-tuc).
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo archive plus an article with a table, a picture and a link out."""
    source = tmp_path_factory.mktemp("source")
    shutil.copytree(ROOT / "content", source / "content")
    write_tree(
        source / "content",
        {
            "2025/bang.md": article(
                title="Kết quả bầu cử Chi bộ thôn G", unit="Chi bộ thôn G", body=TABLE
            )
        },
    )
    return build_project(tmp_path_factory.mktemp("csp"), source / "content")


def test_the_policy_allows_only_the_site_and_pagefind() -> None:
    directives = dict(part.split(" ", 1) for part in security.CSP.split("; "))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"  # no inline, no eval
    assert directives["style-src"] == "'self'"  # no inline styles either
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert "frame-ancestors" not in security.CSP  # ignored in <meta>: header only
    assert security.CSP_HEADER == security.CSP + "; frame-ancestors 'none'"


def test_headers_file_for_hosts() -> None:
    assert security.headers_file("/luu-tru/").splitlines()[2:] == [
        "/luu-tru/*",
        f"  Content-Security-Policy: {security.CSP_HEADER}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: strict-origin-when-cross-origin",
    ]


def test_every_page_carries_the_policy_and_nothing_it_would_block(site: Path) -> None:
    assert (site / "_headers").read_text(encoding="utf-8") == security.headers_file("/")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    meta = f'<meta http-equiv="Content-Security-Policy" content="{security.CSP}">'
    for page in pages:
        text = page.read_text(encoding="utf-8")
        head = text[: text.index("</head>")].replace("&#39;", "'")
        # first in <head> after the charset: it governs everything after it
        assert head.split("\n")[4] == meta, page
        found = _Inline()
        found.feed(text)
        assert not found.problems, (page, found.problems)


class _Inline(HTMLParser):
    """What the policy would block: inline scripts, style elements and attributes,
    event handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "style":
            self.problems.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and re.match(r"\s*javascript:", value or "", re.I):
                self.problems.append(f"<{tag} {name}={value}>")
        self.in_script = tag == "script" and "src" not in names
        if self.in_script and names.get("type") != "application/ld+json":
            self.problems.append("inline <script>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False


@pytest.fixture(params=["meta", "headers"])
def served_site(request: pytest.FixtureRequest, site: Path) -> Iterator[str]:
    headers = security.HEADERS if request.param == "headers" else None
    with served(site, headers) as url:
        yield url


def test_the_site_works_under_the_policy(browser: Browser, served_site: str) -> None:
    context = browser.new_context()
    problems = watch_console(context)
    page = context.new_page()
    seen: list[str] = []
    try:
        for path in ["/", "/2025/", "/don-vi/dang-bo-xa-a/", "/nhiem-ky/", "/404.html"]:
            page.goto(served_site + path)
            seen += csp_violations(page)
        page.goto(served_site + "/")
        page.locator(".latest .card-title a").first.click()
        assert page.locator("h1").count() == 1
        seen += csp_violations(page)
        page.goto(served_site + "/2025/ket-qua-bau-cu-chi-bo-thon-g/")
        cell = page.locator(".article-body td").nth(2)
        assert cell.evaluate("el => getComputedStyle(el).textAlign") == "right"
        assert page.locator(".article-body img").evaluate("img => img.naturalWidth") > 0
        seen += csp_violations(page)
        # a search typed into the search page, as a reader does
        page.goto(served_site + "/tim-kiem/")
        page.locator("#q").fill("dai hoi dang bo xa")
        page.locator("#q").press("Enter")
        try:
            page.wait_for_function(
                "() => document.getElementById('search-status').dataset.state === 'done'",
                timeout=15_000,
            )
        except PlaywrightError:
            pytest.fail(f"the search never finished; the console said {problems}")
        assert page.locator(".search-results .card").count() > 0
        page.locator("#loc-nam").select_option("2025")
        page.wait_for_function(
            "() => document.getElementById('search-status').dataset.state === 'done'"
            " && location.search.includes('year=2025')"
        )
        seen += csp_violations(page)
    finally:
        context.close()
    assert not seen, seen
    assert not problems, problems
