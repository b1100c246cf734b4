"""Hostile content never runs in a reader's browser, and is not lost either.

An archive of articles written by many hands is data from strangers: raw HTML,
script URLs (plain, mixed case, entity-encoded, with tabs, newlines or control
characters inside the scheme), frames, forms, SVG, and front matter values that
try to break out of attributes, <title> or the JSON-LD block. A real site is
built from all of them and read twice: as files (every tag, attribute and URL
the layouts and Markdown produced) and in headless Chromium with the CSP turned
off, so escaping alone must hold; no dialog may open and nothing may set
window.__pwned on any page.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers import build_project, structured_data, write_tree
from htmlaudit import audit
from playwright.sync_api import Browser, Page
from webtools import csp_violations, served, watch_console

from generator.content.markdown import Markdown
from generator.vietnamese import slugify

PWN = "window.__pwned=1"
# One line per attack; each would set window.__pwned or open a dialog if it ran.
BODY_ATTACKS = [
    f"<script>{PWN}</script>",
    f"<SCRIPT SRC=data:text/javascript,{PWN}></SCRIPT>",
    f'<img src=x onerror="{PWN}">',
    f"<svg onload={PWN}><script>{PWN}</script></svg>",
    f'<svg><a xlink:href="javascript:{PWN}"><text>svg link</text></a></svg>',
    f'<iframe src="javascript:parent.{PWN}"></iframe>',
    f'<iframe srcdoc="<script>parent.{PWN}</script>"></iframe>',
    f'<object data="javascript:{PWN}"></object><embed src="javascript:{PWN}">',
    f'<form action="javascript:{PWN}"><button formaction="javascript:{PWN}">Gửi</button></form>',
    f'<details open ontoggle="{PWN}"><summary>x</summary></details>',
    f'<a href="javascript:{PWN}">raw link</a>',
    f'<base href="javascript:{PWN}//"><meta http-equiv="refresh" content="0;url=javascript:{PWN}">',
    f"<style>@import 'javascript:{PWN}';</style>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={PWN}>",
    f"<!-- <img src=x onerror={PWN}> -->",
    f'<noscript><p title="</noscript><img src=x onerror={PWN}>"></noscript>',
    f"[plain](javascript:{PWN})",
    f"[mixed case](JaVaScRiPt:{PWN})",
    f"[entity](&#106;avascript:{PWN})",
    f"[hex entity](&#x6A;&#x61;vascript:{PWN})",
    f"[named entity](javascript&colon;{PWN})",
    f"[tab](java&#9;script:{PWN})",
    f"[newline](java&#10;script:{PWN})",
    f"[carriage return](java&#13;script:{PWN})",
    f"[control](&#1;javascript:{PWN})",
    f"[nul](java\0script:{PWN})",
    f"[nbsp](&#xA0;javascript:{PWN})",
    f"[spaced](<java script:{PWN}>)",
    f"[tab in brackets](<java\tscript:{PWN}>)",
    f"[percent](javascript%3A{PWN})",
    "[vbscript](vbscript:msgbox(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"![image](javascript:{PWN})",
    "![svg data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![an SVG picture is only an image](/assets/favicon.svg)",
    f"[reference][r1] and [another][r2]\n\n[r1]: javascript:{PWN}\n[r2]: &#106;avascript:{PWN}",
    f"<javascript:{PWN}> and <JAVASCRIPT:{PWN}> and <vbscript:msgbox(1)>",
    f'[title](https://example.org "x\\" onmouseover=\\"{PWN}")',
    f'![alt" onerror="{PWN}](/assets/favicon.svg)',
    f"[ok](https://example.org/?q=<script>{PWN}</script>)",
]
ATTACKS_SHOWN_AS_TEXT = ["&lt;script&gt;window.__pwned=1&lt;/script&gt;", "&lt;svg onload="]

TITLE = f'Đại hội " onmouseover="{PWN}" </title></script><script>{PWN}</script><!--'
FIELDS = {
    "title": TITLE,
    "unit": f"Chi bộ <img src=x onerror={PWN}> Tân Hòa",
    "term": "2025-2030",
    "date": "2025-05-20",
    "author": f"<svg onload={PWN}>' onfocus='{PWN}",
    "summary": f"</p><script>{PWN}</script><p title='",
    "tags": [f"<script>{PWN}</script>", f'" autofocus onfocus="{PWN}', "bell\a and \x1b escape"],
}
UNITS = f"""\
- name: "Chi bộ <img src=x onerror={PWN}> Tân Hòa"
  short_name: '" onmouseover="{PWN}'
  description: "<script>{PWN}</script> <!-- ]]> --> </section>"
  parent: Đảng bộ xã <b>Đồng Tâm</b>
- name: Đảng bộ xã <b>Đồng Tâm</b>
"""


def front_matter(fields: dict[str, object], body: str) -> str:
    dumped = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return f"---\n{dumped}---\n\n{body}\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("hostile-source")
    other = {**FIELDS, "title": "Chi bộ Tân Hòa học tập Nghị quyết pwned", "date": "2025-06-01"}
    write_tree(
        source / "content",
        {
            "units.yaml": UNITS,
            "2025/hostile.md": front_matter(FIELDS, "\n\n".join(BODY_ATTACKS)),
            "2025/other.md": front_matter(other, f"Bài pwned thứ hai. <script>{PWN}</script>"),
            "2024/plain.md": front_matter(
                {**FIELDS, "title": "Bài bình thường", "unit": "Chi bộ Ấp An Phú"},
                "Nội dung bình thường, pwned.",
            ),
        },
    )
    return build_project(tmp_path_factory.mktemp("hostile"), source / "content")


def hostile_page(site: Path) -> Path:
    return site / "2025" / slugify(TITLE) / "index.html"


def article_pages(site: Path) -> list[Path]:
    return [p for p in site.glob("20*/*/index.html") if p.parent.name != "trang"]


# --- what the files say ------------------------------------------------------


def test_no_page_holds_anything_that_runs(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        found = audit(page.read_text(encoding="utf-8"))
        assert not found.problems, (page, found.problems)


def test_hostile_html_is_shown_as_text_not_dropped(site: Path) -> None:
    html = hostile_page(site).read_text(encoding="utf-8")
    for shown in ATTACKS_SHOWN_AS_TEXT:
        assert shown in html
    text = " ".join(audit(html).text)
    assert TITLE in text  # the title, exactly as written, as text
    assert f"[plain](javascript:{PWN})" in text  # a refused link stays visible as text
    assert '<img src="/assets/favicon.svg" alt="an SVG picture is only an image"' in html


def test_json_ld_cannot_be_closed_by_a_title(site: Path) -> None:
    for page in article_pages(site):
        html = page.read_text(encoding="utf-8")
        scripts = audit(html).scripts
        assert scripts and all("<" not in s and ">" not in s and "&" not in s for s in scripts)
        assert all(json.loads(s) for s in scripts)
    data = structured_data(hostile_page(site).read_text(encoding="utf-8"))
    assert data["NewsArticle"]["headline"] == TITLE
    assert data["NewsArticle"]["author"]["name"] == FIELDS["author"]
    assert data["BreadcrumbList"]["itemListElement"][-1]["name"] == TITLE


def test_feeds_stay_valid_xml_with_safe_html(site: Path) -> None:
    feeds = sorted(site.rglob("*.xml"))
    assert feeds
    atom = "{http://www.w3.org/2005/Atom}"
    for feed in feeds:
        root = ET.parse(feed).getroot()  # control characters would make this fail
        for entry in root.iter(f"{atom}entry"):
            content = entry.findtext(f"{atom}content") or ""
            assert not audit(content).problems, (feed, audit(content).problems)
    titles = [e.findtext(f"{atom}title") for e in ET.parse(site / "feed.xml").iter(f"{atom}entry")]
    assert TITLE in titles


@pytest.mark.parametrize(
    "source",
    [line for line in BODY_ATTACKS if "](" in line or line.startswith("<java")],
)
def test_markdown_never_links_a_script(source: str) -> None:
    html = Markdown().render(source).html
    assert not audit(html).problems, html


def test_an_svg_picture_of_the_site_is_an_image_only() -> None:
    # an article's own SVG is refused by the build (test_photos.py); one of the
    # site's assets is shown by <img>, where its scripts never run
    html = Markdown().render("![x](/assets/evil.svg)").html
    assert html.strip() == (
        '<figure class="photo"><img src="/assets/evil.svg" alt="x" loading="lazy"'
        ' decoding="async" /></figure>'
    )


# --- what a browser does with it -----------------------------------------------

# Every element as the browser parsed it: event handlers, script URLs
# (resolved by the browser itself), inline scripts, frames and plug-ins.
DOM_AUDIT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith("on")) bad.push(`${el.tagName} ${attr.name}`);
    }
  }
  const urls = "[href],[src],[action],[formaction],[data],[poster]";
  for (const el of document.querySelectorAll(urls)) {
    for (const name of ["href", "src", "action", "formaction", "data", "poster"]) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      const protocol = new URL(value, location.href).protocol;
      if (!["http:", "https:", "mailto:", "tel:"].includes(protocol)) {
        bad.push(`${el.tagName} ${name}=${value}`);
      }
    }
  }
  for (const el of document.querySelectorAll("script:not([src])")) {
    if (el.type !== "application/ld+json") bad.push("inline script");
  }
  for (const el of document.querySelectorAll("iframe,frame,object,embed,svg,math,base,style")) {
    bad.push(el.tagName);
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def url(site: Path) -> Iterator[str]:
    with served(site) as base:
        yield base


def visit(page: Page, address: str, dialogs: list[str]) -> None:
    page.goto(address)
    if "/tim-kiem/" in address:
        page.wait_for_function(
            "() => ['done', 'idle'].includes(document.getElementById('search-status').dataset.state)"
        )
    for link in page.locator("main a, main img").all()[:60]:  # hover: mouse handlers would run
        if link.is_visible():
            link.hover()
    assert page.evaluate("window.__pwned") is None, address
    assert page.evaluate(DOM_AUDIT) == [], address
    assert not dialogs, (address, dialogs)


def pages_to_visit(site: Path) -> list[str]:
    articles = ["/" + p.parent.relative_to(site).as_posix() + "/" for p in article_pages(site)]
    lists = ["/", "/don-vi/", "/nhiem-ky/", "/nhiem-ky/2025-2030/", "/nam/", "/2025/", "/404.html"]
    units = [
        "/" + p.parent.relative_to(site).as_posix() + "/" for p in site.glob("don-vi/*/index.html")
    ]
    hostile = "<img src=x onerror=window.__pwned=1>"
    searches = [
        "/tim-kiem/?q=pwned",
        "/tim-kiem/?q=pwned&sort=date",
        f"/tim-kiem/?q={hostile}&unit={hostile}&term=%22%3E%3Cscript%3E&year=javascript:1",
    ]
    return articles + lists + units + searches


@pytest.mark.parametrize("csp", [False, True], ids=["escaping-alone", "with-csp"])
def test_nothing_runs_in_the_browser(browser: Browser, site: Path, url: str, csp: bool) -> None:
    # Without the CSP (bypass_csp) escaping alone must hold; with it, nothing may
    # even try: a violation would mean something got into the page.
    context = browser.new_context(bypass_csp=not csp)
    console = watch_console(context)
    context.route(  # nothing leaves the machine
        re.compile(r"^(?!http://127\.0\.0\.1:).*"), lambda route: route.abort()
    )
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    violations: list[str] = []
    try:
        for address in pages_to_visit(site):
            visit(page, url + address, dialogs)
            violations += csp_violations(page) if csp else []
        page.goto(url + "/tim-kiem/?q=pwned")
        page.wait_for_function(
            "() => document.getElementById('search-status').dataset.state === 'done'"
        )
        results = page.locator(".search-results .card-title a").all_inner_texts()
        assert TITLE in results  # the hostile title shows as text in the results
        excerpts = page.locator(".search-results .excerpt").all_inner_texts()
        assert any("<script>" in text for text in excerpts)  # as the article shows it
        assert not any("&lt;" in text for text in excerpts)
        page.goto(url + "/feed.xml")
        assert page.evaluate("window.__pwned") is None and not dialogs
    finally:
        context.close()
    assert not violations, violations
    assert not console, console
