"""The internal link checker: in every build, and as `archive check --links`."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from helpers import ROOT, BuildSite, article, files_of, write_tree
from webtools import QuietHandler

from generator.build.linkcheck import Broken, Resolver, Target, check, hrefs, links_of
from generator.cli import main
from generator.urls import page_url

BASE = "https://example.org/luu-tru/"


# --- resolving one href -------------------------------------------------------

RESOLVE = [
    # (base path, href on page /2025/a/, expected target)
    ("/", "/don-vi/", Target("/don-vi/", "")),
    ("/", "../b/", Target("/2025/b/", "")),
    ("/", "../../nam/", Target("/nam/", "")),
    ("/", "anh.jpg", Target("/2025/a/anh.jpg", "")),
    ("/", "../../../../x/", Target("/x/", "")),  # a browser stops at the root
    ("/", "/tim-kiem/?q=%C4%91%E1%BA%A1i&amp;year=2025", Target("/tim-kiem/", "")),
    ("/", "?trang=2", Target("/2025/a/", "")),
    ("/", "#noi-dung", Target("/2025/a/", "noi-dung")),
    ("/", "/don-vi/#muc", Target("/don-vi/", "muc")),
    ("/", "/assets/anh/%E1%BA%A3nh.jpg", Target("/assets/anh/ảnh.jpg", "")),
    ("/", "/2025/./b/../c/", Target("/2025/c/", "")),
    ("/luu-tru/", "/luu-tru/don-vi/", Target("/don-vi/", "")),
    ("/luu-tru/", "/luu-tru/", Target("/", "")),
    ("/luu-tru/", "/luu-tru", Target("/", "")),
    ("/luu-tru/", "../../nam/", Target("/nam/", "")),
    ("/luu-tru/", "../../../x/", Target(None, "")),  # above the base path
    ("/luu-tru/", "/don-vi/", Target(None, "")),  # the host's root is not the site
    ("/luu-tru/", BASE + "2025/b/#x", Target("/2025/b/", "x")),
    ("/luu-tru/", "//example.org/luu-tru/nam/", Target("/nam/", "")),
    ("/luu-tru/", "HTTPS://EXAMPLE.ORG/luu-tru/", Target("/", "")),
]

IGNORED = [
    "https://example.com/luu-tru/",
    "https://example.org/khac/",  # another site on the same host
    "//cdn.example.net/x.js",
    "mailto:toa-soan@example.org",
    "tel:+84123456789",
    "data:image/png;base64,iVBORw0KGgo=",
    "javascript:void(0)",
]


@pytest.mark.parametrize(("base_path", "href", "expected"), RESOLVE)
def test_resolve(base_path: str, href: str, expected: Target) -> None:
    resolver = Resolver(base_path, f"https://example.org{base_path}")
    assert resolver.resolve(href, "/2025/a/") == expected


@pytest.mark.parametrize("href", IGNORED)
def test_other_sites_and_schemes_are_not_checked(href: str) -> None:
    assert Resolver("/luu-tru/", BASE).resolve(href, "/2025/a/") is None


def test_without_an_absolute_base_every_absolute_url_is_external() -> None:
    assert Resolver("/luu-tru/", None).resolve(BASE + "khong-co/", "/") is None


@pytest.mark.parametrize(
    ("out_path", "url"),
    [("index.html", "/"), ("2025/a/index.html", "/2025/a/"), ("404.html", "/404.html")],
)
def test_page_url(out_path: str, url: str) -> None:
    assert page_url(out_path) == url


def test_hrefs_are_read_from_tags_only() -> None:
    html = (
        '<link rel="stylesheet" href="/a.css"><img src=\'/b.jpg\' alt="">'
        '<img srcset="/c.jpg 1x, /d.jpg 2x" src=/e.jpg><form action="/tim-kiem/">'
        "<p>thuộc tính src='/khong-phai.jpg' và href=&quot;/cung-khong/&quot;</p>"
        '<a data-href="/du-lieu/" href="/f/">f</a>'
    )
    assert list(hrefs(html)) == [
        "/a.css",
        "/b.jpg",
        "/c.jpg",
        "/d.jpg",
        "/e.jpg",
        "/tim-kiem/",
        "/f/",
    ]


def page(body: str) -> str:
    return f'<html><body><main id="noi-dung">{body}</main></body></html>'


def test_check_finds_what_points_nowhere() -> None:
    pages = {
        "index.html": page(
            '<a href="/2025/a/">a</a> <a href="/2025/a">no slash</a> <a href="/2025/b/">b</a>'
            ' <img src="/assets/x.jpg"> <img srcset="/assets/y.jpg 2x"> <a href="#noi-dung">skip</a>'
            ' <a href="#">top</a> <a href="#khong">x</a> <a href="/tim-kiem/#q=a">search</a>'
            ' <a href="/2025/a/#phan-2">ok</a> <a href="/2025/a/#phan-3">x</a>'
            ' <a href="https://example.com/">out</a>'
        ),
        "2025/a/index.html": page('<h2 id="phan-2">2</h2><a href="../../">home</a>'),
        "tim-kiem/index.html": page(""),
    }
    files = {*pages, "assets/x.jpg"}
    assert check({name: links_of(html) for name, html in pages.items()}, files) == [
        Broken("/", "#khong", "points to a missing anchor: there is no id 'khong' on this page"),
        Broken(
            "/",
            "/2025/a/#phan-3",
            "points to a missing anchor: there is no id 'phan-3' on /2025/a/",
        ),
        Broken("/", "/2025/b/", "points to nothing in the site"),
        Broken("/", "/assets/y.jpg", "points to nothing in the site"),
    ]


def test_check_under_a_base_path() -> None:
    pages = {
        "index.html": page('<a href="/luu-tru/nam/">y</a> <a href="/nam/">x</a>'),
        "nam/index.html": page(f'<link rel="canonical" href="{BASE}nam/"><a href="../">up</a>'),
    }
    found = {name: links_of(html) for name, html in pages.items()}
    assert check(found, set(pages), "/luu-tru/", BASE) == [
        Broken("/", "/nam/", "points outside the site (its addresses start with /luu-tru/)")
    ]


# --- in the build -------------------------------------------------------------


@pytest.mark.parametrize("base", ["/", "/luu-tru/"])
def test_broken_links_in_articles_fail_the_build_naming_file_and_line(
    build_site: BuildSite, project: Path, base: str
) -> None:
    first = build_site({"2025/tot.md": article(title="Bài tốt")}, "--base-url", base)
    assert first.code == 0, first.err
    before = files_of(first.site)
    result = build_site(
        {
            "2025/a.md": article(title="Bài A", body="Xem [bài khác](/2025/khong-co/) nhé."),
            "2025/b.md": article(
                title="Bài B", body="Quang cảnh:\n\n![Ảnh](/assets/anh/khong-co.jpg)\n"
            ),
        },
        "--base-url",
        base,
    )
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/2025/a.md:8: link to '/2025/khong-co/' points to nothing in the site"
        " (on page /2025/bai-a/)",
        "content/2025/b.md:10: link to '/assets/anh/khong-co.jpg' points to nothing in the site"
        " (on page /2025/bai-b/)",
        "Build stopped: 2 problems; site/ was not changed.",
    ]
    assert "Built" not in result.out
    assert files_of(result.site) == before
    names = [p.name for p in project.iterdir() if p.name.startswith(".site")]
    assert [name for name in names if not name.startswith((".site-prev", ".site.lock"))] == []


def own_layouts(project: Path) -> Path:
    """Replace the project's link to the real layouts with an editable copy."""
    (project / "layouts").unlink()
    shutil.copytree(ROOT / "layouts", project / "layouts")
    return project / "layouts"


def test_broken_link_in_a_layout_names_layout_line_and_pages(
    build_site: BuildSite, project: Path
) -> None:
    layouts = own_layouts(project)
    units = layouts / "units.html"
    text = units.read_text(encoding="utf-8")
    units.write_text(
        text.replace(
            "{% block main %}", "{% block main %}\n<a href=\"{{ href('/khong-co/') }}\">x</a>", 1
        ),
        encoding="utf-8",
    )
    line = (
        units.read_text(encoding="utf-8")
        .splitlines()
        .index("<a href=\"{{ href('/khong-co/') }}\">x</a>")
    )
    result = build_site({"a.md": article(title="Bài A")}, "--base-url", "/luu-tru/")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"layouts/units.html:{line + 1}: link to '/khong-co/' points to nothing in the site"
        " (on page /don-vi/)",
        "Build stopped: 1 problem; site/ was not changed.",
    ]
    assert not result.site.exists()


def test_broken_link_on_every_page_is_reported_once(build_site: BuildSite, project: Path) -> None:
    base = own_layouts(project) / "base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("<main ", '<a href="/lien-he/">Liên hệ</a>\n<main ', 1), "utf-8")
    result = build_site({"a.md": article(title="Bài A")})
    assert result.code == 1
    first = result.err.splitlines()[0]
    assert first.startswith("layouts/base.html:")
    assert re.search(
        r":\d+: link to '/lien-he/' points to nothing in the site \(on page / and \d+ other pages\)$",
        first,
    )


# --- archive check --links ----------------------------------------------------


def check_links(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--links", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_links_on_a_built_folder(
    build_site: BuildSite, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "assets").unlink()
    shutil.copytree(ROOT / "assets", project / "assets")
    write_tree(project / "assets", {"anh/hop.jpg": b"\xff\xd8\xff"})
    body = "Quang cảnh:\n\n![Ảnh](/assets/anh/hop.jpg)\n"
    result = build_site(
        {"2025/a.md": article(title="Bài A", body=body), "b.md": article(title="Bài B")}
    )
    assert result.code == 0, result.err
    pages = len(list(result.site.rglob("*.html")))

    assert check_links(capsys) == (0, f"No broken links: {pages} pages checked.\n", "")
    code, out, _ = check_links(capsys, "site", "--format", "json")
    assert (code, json.loads(out)) == (0, {"ok": True, "pages": pages, "problems": []})

    (result.site / "assets/anh/hop.jpg").unlink()
    shutil.rmtree(result.site / "2025/bai-b")
    code, out, _ = check_links(capsys, "site")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "content/2025/a.md:10: link to '/assets/anh/hop.jpg' points to nothing in the site"
        " (on page /2025/bai-a/)"
    )
    assert lines[1].startswith(
        "site page /: link to '/2025/bai-b/' points to nothing in the site (and on "
    )
    assert lines[2:] == ["2 broken links to fix."]

    code, out, _ = check_links(capsys, "site", "--format", "json")
    data = json.loads(out)
    assert (code, data["ok"], data["pages"]) == (1, False, pages - 1)
    assert data["problems"][0] == {
        "level": "error",
        "file": "content/2025/a.md",
        "line": 10,
        "message": "link to '/assets/anh/hop.jpg' points to nothing in the site"
        " (on page /2025/bai-a/)",
    }
    assert data["problems"][1]["file"] == "site page /"


def test_check_links_without_a_site(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check_links(capsys, "khong-co")
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("khong-co/ holds no built site (no index.html); run '")
    assert err.endswith(" build' first\n")


def test_check_without_links_still_checks_content(
    build_site: BuildSite, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(Path("content"), {"a.md": article(title="Bài A")})
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "No problems: 1 article checked.\n"


# --- crawled by a client, under a sub-path ------------------------------------

CRAWL = {
    "2024/a1.md": article(title="Tân Hòa một", date="2024-03-01", term="2020-2025"),
    "2024/a2.md": article(
        title="Tân Hòa hai",
        date="2024-06-01",
        term="2020-2025",
        tags="[đại hội, nông thôn mới]",
        body="Xem [các năm](../../nam/), [đơn vị](/don-vi/) và [lên đầu](#noi-dung).",
    ),
    "2025/a3.md": article(
        title="Tân Hòa ba", date="2025-05-20", body="![Biểu trưng](/assets/favicon.svg)"
    ),
    "2025/a4.md": article(title="Tân Hòa bốn", date="2025-06-01", tags="[đại hội]"),
    "2024/b1.md": article(
        title="Đồng Tâm một", unit="Chi bộ Đồng Tâm", date="2024-09-01", term="2020-2025"
    ),
    "2025/b2.md": article(
        title="Đồng Tâm hai",
        unit="Chi bộ Đồng Tâm",
        date="2025-07-01",
        body=f"Bài trước: [Đồng Tâm một]({BASE}2024/dong-tam-mot/).",
    ),
}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "src", "action"):
                self.found.append(value)
            elif value and name == "srcset":
                self.found += [part.split()[0] for part in value.split(",") if part.strip()]


@contextmanager
def served_under(folder: Path, prefix: str) -> Iterator[tuple[str, list[str]]]:
    """Serve folder at http://127.0.0.1:PORT{prefix}; yield the origin and every path asked."""
    asked: list[str] = []

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            if not self.path.startswith(prefix):
                self.send_error(404)
                return
            self.path = "/" + self.path[len(prefix) :]
            super().do_GET()

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def crawl(origin: str, start: str) -> dict[str, int]:
    """Breadth first from start, following every link on the same origin: URL -> status."""
    status: dict[str, int] = {}
    queue = deque([origin + start])
    while queue:
        url = queue.popleft()
        if url in status:
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status[url] = response.status
                kind, body = response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            status[url] = error.code
            continue
        if kind != "text/html":
            continue
        parser = Links()
        parser.feed(body.decode("utf-8"))
        for href in parser.found:
            target = urldefrag(urljoin(url, href.replace(BASE, origin + "/luu-tru/", 1)))[0]
            if target.startswith(origin + "/"):
                queue.append(target)
    return status


def test_sub_path_site_crawled_link_by_link(build_site: BuildSite, project: Path) -> None:
    (project / "archive.yaml").write_text("page_size: 2\n", encoding="utf-8")
    result = build_site(CRAWL, "--base-url", BASE)
    assert result.code == 0, result.err
    with served_under(result.site, "/luu-tru/") as (origin, asked):
        status = crawl(origin, "/luu-tru/")
    broken = {url: code for url, code in status.items() if code != 200}
    assert broken == {}
    assert [path for path in asked if not path.startswith("/luu-tru/")] == []

    reached = {urlsplit(url).path.removeprefix("/luu-tru") for url in status}
    articles = {u for u in reached if u.count("/") == 3 and u[1:5].isdigit()}
    units = {u for u in reached if u.startswith("/don-vi/") and u.endswith("/") and u != "/don-vi/"}
    terms = {u for u in reached if u.startswith("/nhiem-ky/") and u.endswith("/")} - {"/nhiem-ky/"}
    years = {u for u in reached if u[1:5].isdigit() and u not in articles}
    assert len(articles) == 6
    assert sorted(units) == [
        "/don-vi/chi-bo-dong-tam/",
        "/don-vi/chi-bo-tan-hoa/",
        "/don-vi/chi-bo-tan-hoa/trang/2/",
    ]
    assert len(terms) == 4  # two terms of three articles, two per page
    assert sorted(years) == ["/2024/", "/2024/trang/2/", "/2025/", "/2025/trang/2/"]
    every_page = {
        page_url(p.relative_to(result.site).as_posix()) for p in result.site.rglob("*.html")
    }
    assert every_page - reached == {"/404.html"}
