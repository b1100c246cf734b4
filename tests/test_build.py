"""End to end: build fixture archives and read the HTML a reader gets."""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from helpers import (
    ROOT,
    BuildSite,
    article,
    article_links,
    build_project,
    files_of,
    links_in,
    structured_data,
)

from generator.search import pagefind


def test_contract_urls_exist(build_site: BuildSite) -> None:
    result = build_site(
        {
            "2025/a.md": article(title="Đại hội Chi bộ Đồng Tâm", unit="Chi bộ Đồng Tâm"),
            "cu/2022/b.md": article(
                title="Hội nghị giữa nhiệm kỳ", term="2020 – 2025", date="20/08/2022 15:55"
            ),
        }
    )
    assert result.code == 0, result.err
    for url in [
        "/",
        "/2025/dai-hoi-chi-bo-dong-tam/",
        "/2022/hoi-nghi-giua-nhiem-ky/",
        "/don-vi/",
        "/don-vi/chi-bo-dong-tam/",
        "/don-vi/chi-bo-tan-hoa/",
        "/nhiem-ky/",
        "/nhiem-ky/2025-2030/",
        "/nhiem-ky/2020-2025/",
        "/2025/",
        "/2022/",
        "/404.html",
        "/robots.txt",
    ]:
        assert result.exists(url), url
    assert 'lang="vi"' in result.page("/")


def test_article_page_shows_what_a_reader_needs(build_site: BuildSite) -> None:
    result = build_site(
        {
            "a.md": article(
                title="Chi bộ Vụ Hợp tác quốc tế tổ chức Đại hội",
                unit="Chi bộ Vụ Hợp tác quốc tế",
                term="2022–2025",
                date="20/08/2022 15:55",
                author='"Thu Trang"',
                body="Đại hội bầu đồng chí **Hoàng Văn Xô** làm Bí thư.\n\n| A | B |\n|---|---|\n| 1 | 2 |",
            )
        }
    )
    html = result.page("/2022/chi-bo-vu-hop-tac-quoc-te-to-chuc-dai-hoi/")
    assert "<h1>Chi bộ Vụ Hợp tác quốc tế tổ chức Đại hội</h1>" in html
    assert "Thứ Bảy, 20/8/2022, 15:55" in html
    assert 'datetime="2022-08-20T15:55:00+07:00"' in html
    assert 'href="/don-vi/chi-bo-vu-hop-tac-quoc-te/"' in html
    assert 'href="/nhiem-ky/2022-2025/"' in html
    assert "Thu Trang" in html
    assert "<strong>Hoàng Văn Xô</strong>" in html
    assert "<table>" in html
    data = structured_data(html)["NewsArticle"]
    assert data["headline"] == "Chi bộ Vụ Hợp tác quốc tế tổ chức Đại hội"
    assert data["datePublished"] == "2022-08-20T15:55:00+07:00"
    assert data["author"] == {"@type": "Person", "name": "Thu Trang"}


def test_no_author_prints_nothing(build_site: BuildSite) -> None:
    result = build_site({"a.md": article(title="Không tác giả")})
    html = result.page("/2025/khong-tac-gia/")
    assert "Tác giả" not in html
    assert '"author"' not in html


def test_previous_and_next_article_of_the_same_unit(build_site: BuildSite) -> None:
    result = build_site(
        {
            "1.md": article(title="Một", date="2025-01-01"),
            "2.md": article(title="Hai", date="2025-02-01"),
            "3.md": article(title="Ba", date="2025-03-01"),
            "x.md": article(title="Khác đơn vị", unit="Chi bộ Khác", date="2025-02-15"),
        }
    )
    middle = result.page("/2025/hai/")
    assert re.search(r'class="older" href="/2025/mot/"', middle)
    assert re.search(r'class="newer" href="/2025/ba/"', middle)
    assert "/2025/khac-don-vi/" not in middle
    first = result.page("/2025/mot/")
    assert 'class="older"' not in first
    assert 'class="newer" href="/2025/hai/"' in first


def test_units_in_vietnamese_order_with_counts(build_site: BuildSite) -> None:
    names = ["Đảng bộ xã Đồng Tâm", "Chi bộ Dương Nội", "chi bộ ấp Bình Minh", "Chi bộ An Phú",
             "Chi bộ Ủy ban", "Chi bộ Ưu Long", "Chi bộ Đông Hòa"]  # fmt: skip
    files = {f"{i}.md": article(title=f"Bài {i}", unit=name) for i, name in enumerate(names)}
    files["extra.md"] = article(title="Bài thêm", unit="Chi bộ Dương Nội")
    result = build_site(files)
    html = result.page("/don-vi/")
    shown = re.findall(
        r'<li><a href="/don-vi/[^"]+/">([^<]+)</a> <span class="count">(\d+) bài', html
    )
    assert shown == [
        ("Chi bộ An Phú", "1"),
        ("chi bộ ấp Bình Minh", "1"),
        ("Chi bộ Dương Nội", "2"),
        ("Chi bộ Đông Hòa", "1"),
        ("Chi bộ Ủy ban", "1"),
        ("Chi bộ Ưu Long", "1"),
        ("Đảng bộ xã Đồng Tâm", "1"),
    ]


def test_unit_pages_paginate_exactly(build_site: BuildSite) -> None:
    files = {
        f"{day:02d}.md": article(title=f"Tin ngày {day}", date=f"2025-03-{day:02d}")
        for day in range(1, 24)
    }
    files["other.md"] = article(title="Tin đơn vị khác", unit="Chi bộ Khác")
    result = build_site(files)
    pages = [
        result.page("/don-vi/chi-bo-tan-hoa/"),
        result.page("/don-vi/chi-bo-tan-hoa/trang/2/"),
        result.page("/don-vi/chi-bo-tan-hoa/trang/3/"),
    ]
    listed = [link for page in pages for link in article_links(page)]
    assert listed == [f"/2025/tin-ngay-{day}/" for day in range(23, 0, -1)]
    assert not result.exists("/don-vi/chi-bo-tan-hoa/trang/4/")
    assert not result.exists("/don-vi/chi-bo-tan-hoa/trang/1/")
    assert '<link rel="next" href="/don-vi/chi-bo-tan-hoa/trang/2/">' in pages[0]
    assert 'rel="prev"' not in pages[0]
    assert '<link rel="prev" href="/don-vi/chi-bo-tan-hoa/">' in pages[1]
    assert '<link rel="next" href="/don-vi/chi-bo-tan-hoa/trang/3/">' in pages[1]
    assert 'rel="next"' not in pages[2]
    # the term and the year list the same 23 plus the other unit's article
    term = article_links(result.page("/nhiem-ky/2025-2030/"))
    term += article_links(result.page("/nhiem-ky/2025-2030/trang/2/"))
    term += article_links(result.page("/nhiem-ky/2025-2030/trang/3/"))
    assert sorted(term) == sorted([*listed, "/2025/tin-don-vi-khac/"])


def test_page_size_comes_from_the_settings_file(build_site: BuildSite, project: Path) -> None:
    (project / "archive.yaml").write_text("title: Lưu trữ thử\npage_size: 2\n", encoding="utf-8")
    files = {f"{d}.md": article(title=f"Tin {d}", date=f"2024-01-0{d}") for d in range(1, 6)}
    result = build_site(files)
    assert result.code == 0, result.err
    assert article_links(result.page("/2024/trang/3/")) == ["/2024/tin-1/"]
    assert "<title>Năm 2024 – Trang 3 – Lưu trữ thử</title>" in result.page("/2024/trang/3/")


def test_terms_and_years_newest_first(build_site: BuildSite) -> None:
    result = build_site(
        {
            "a.md": article(title="A", term="2015-2020", date="2016-01-01"),
            "b.md": article(title="B", term="2025-2030", date="2025-01-01"),
            "c.md": article(title="C", term="2020-2025", date="2020-01-01"),
        }
    )
    terms = re.findall(r'href="/nhiem-ky/(\d{4}-\d{4})/"', result.page("/nhiem-ky/"))
    assert terms == ["2025-2030", "2020-2025", "2015-2020"]
    years = re.findall(r'href="/(\d{4})/"', result.page("/nam/"))
    assert years == ["2025", "2020", "2016"]
    home = result.page("/")
    assert article_links(home) == ["/2025/b/", "/2020/c/", "/2016/a/"]


def test_drafts_are_published_nowhere(build_site: BuildSite) -> None:
    result = build_site(
        {
            "a.md": article(title="Bài đã đăng"),
            "draft.md": article(title="Bản nháp bí mật", unit="Chi bộ Nháp", draft="true"),
        }
    )
    assert result.code == 0
    everything = "".join(
        p.read_text("utf-8", "replace") for p in result.site.rglob("*") if p.is_file()
    )
    assert "Bản nháp bí mật" not in everything
    assert "Chi bộ Nháp" not in everything
    assert not result.exists("/2025/ban-nhap-bi-mat/")
    assert not result.exists("/don-vi/chi-bo-nhap/")
    assert re.search(r"^Built 1 article \(1 draft skipped\), \d+ pages, into ", result.out, re.M)


def test_the_summary_counts_in_plain_english(build_site: BuildSite) -> None:
    """No "1 articles", no "(0 drafts skipped)"."""
    result = build_site({"a.md": article(), "b.md": article(title="Hội nghị Chi bộ Tân Hòa")})
    assert re.search(r"^Built 2 articles, \d+ pages, into ", result.out, re.M), result.out
    again = build_site()
    assert "(2 articles, " in again.out and "Nothing changed" in again.out, again.out


def test_normalisation_merges_what_editors_type_differently(build_site: BuildSite) -> None:
    nfd_unit = "Chi bo\u0302\u0323 Ta\u0302n Ho\u0300a"  # decomposed, as pasted from Word
    result = build_site(
        {
            "a.md": article(title="Một", unit=nfd_unit, term="2025 - 2030"),
            "b.md": article(title="Hai", unit="Chi  bộ   Tân Hòa", term="2025—2030"),
            "c.md": article(title="Ba", unit="Chi bộ Tân Hoà", term="2025-2030"),
        }
    )
    assert result.code == 0, result.err
    units = result.page("/don-vi/")
    assert units.count("/don-vi/chi-bo-tan-hoa/") == 1
    assert 'Chi bộ Tân Hòa</a> <span class="count">3 bài' in units
    assert len(article_links(result.page("/nhiem-ky/2025-2030/"))) == 3


def test_same_slug_gets_distinct_urls_deterministically(build_site: BuildSite) -> None:
    files = {
        "b.md": article(title="Đại hội Chi bộ", date="2025-05-02"),
        "a.md": article(title="Đại hội chi bộ!", date="2025-05-01", unit="Chi bộ Khác"),
        "c.md": article(title="Khác", date="2025-05-03", slug="dai-hoi-chi-bo"),
        "old.md": article(title="Đại hội Chi bộ", date="2020-05-03", term="2020-2025"),
    }
    result = build_site(files)
    assert result.code == 0
    # the slug an editor chose wins; the others follow by date
    assert "<h1>Khác</h1>" in result.page("/2025/dai-hoi-chi-bo/")
    assert "<h1>Đại hội chi bộ!</h1>" in result.page("/2025/dai-hoi-chi-bo-2/")
    assert "<h1>Đại hội Chi bộ</h1>" in result.page("/2025/dai-hoi-chi-bo-3/")
    assert result.exists("/2020/dai-hoi-chi-bo/")  # another year: no clash
    assert (
        "content/a.md:1: the address /2025/dai-hoi-chi-bo/ is already used by content/c.md"
        in result.err
    )


def test_hostile_content_is_escaped(build_site: BuildSite) -> None:
    body = (
        "<script>alert('body')</script>\n\n"
        "[bấm](javascript:alert(1)) [b2](JaVaScRiPt:alert(2)) [b3](data:text/html,x)\n\n"
        '<img src=x onerror="alert(3)">\n\n'
        "[ok](https://example.org/) [trong](/2025/)\n"
    )
    result = build_site(
        {
            "a.md": article(
                title="</title><script>alert('t')</script>",
                unit="<b>Chi bộ</b>",
                author='"</script><script>alert(4)</script>"',
                body=body,
            )
        }
    )
    assert result.code == 0, result.err
    html = result.page("/2025/title-script-alert-t-script/")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html or "&lt;script&gt;" in html
    hrefs = links_in(html)
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]
    assert "https://example.org/" in hrefs
    assert structured_data(html)["NewsArticle"]["author"]["name"] == (
        "</script><script>alert(4)</script>"
    )
    assert "&lt;b&gt;Chi bộ&lt;/b&gt;" in result.page("/don-vi/")


def test_two_builds_are_byte_identical(build_site: BuildSite, project: Path) -> None:
    files = {
        f"{i}.md": article(title=f"Tin {i % 3}", date="2025-05-01", unit=f"Chi bộ {i % 4}")
        for i in range(12)
    }
    first = build_site(files)
    second = build_site({}, "--out", "site2")
    # every file except the search bundle: Pagefind 1.5.2 names its filter and
    # meta files differently on each run (fixed upstream after 1.5.2)
    assert len(files_of(first.site, search_bundle="skip")) > 20
    assert files_of(first.site, search_bundle="skip") == files_of(second.site, search_bundle="skip")
    # the search index holds the same pages, in the same fragment files
    fragments = [
        sorted(p.name for p in (r.site / "pagefind/0/fragment").iterdir()) for r in (first, second)
    ]
    assert fragments[0] == fragments[1]


def test_base_url_prefixes_links_and_makes_absolute_addresses(build_site: BuildSite) -> None:
    result = build_site(
        {"a.md": article(title="Tin", body="[Năm 2025](/2025/)")},
        "--base-url",
        "https://example.org/luu-tru/",
    )
    html = result.page("/2025/tin/")
    assert 'href="/luu-tru/don-vi/chi-bo-tan-hoa/"' in html
    assert 'href="/luu-tru/2025/"' in html
    assert '<link rel="canonical" href="https://example.org/luu-tru/2025/tin/">' in html
    assert "Sitemap: https://example.org/luu-tru/sitemap.xml" in result.page("/robots.txt")
    assert "<loc>https://example.org/luu-tru/2025/tin/</loc>" in result.page("/sitemap.xml")
    assert 'href="/luu-tru/"' in result.page("/404.html")


def test_assets_get_content_hashed_names_and_css_is_minified(
    build_site: BuildSite, project: Path
) -> None:
    result = build_site({"a.md": article()})
    html = result.page("/")
    css = re.search(r'href="(/assets/css/site\.([0-9a-f]{10})\.css)"', html)
    assert css and result.exists(css[1])
    published = (result.site / css[1].lstrip("/")).read_bytes()
    assert hashlib.sha256(published).hexdigest()[:10] == css[2]
    source = (project / "assets/css/site.css").read_text(encoding="utf-8")
    assert len(published) < 0.9 * len(source.encode()) and b"/*" not in published
    assert published.count(b"\n") <= 1
    assert b".card-title" in published  # minified, not mangled
    assert not result.exists("/assets/css/site.css")  # only the hashed name is published
    assert re.search(r'media="print"', html)
    # an image keeps its name (articles link to it by name) and gets a hashed copy when
    # a layout refers to it
    assert result.exists("/assets/favicon.svg")
    icon = re.search(r'<link rel="icon" href="(/assets/favicon\.[0-9a-f]{10}\.svg)"', html)
    assert icon and result.exists(icon[1])
    # a changed stylesheet gets a new name: readers never see a stale cached copy
    (project / "assets").unlink()
    shutil.copytree(Path(__file__).parent.parent / "assets", project / "assets")
    with (project / "assets/css/site.css").open("a", encoding="utf-8") as handle:
        handle.write("\n.new-rule { color: red; }\n")
    again = build_site({})
    new_css = re.search(r'href="/assets/css/site\.([0-9a-f]{10})\.css"', again.page("/"))
    assert new_css and new_css[1] != css[2]


def test_the_search_script_is_published_minified(build_site: BuildSite, project: Path) -> None:
    """Its comments are for the code's readers: a phone downloads none of them."""
    result = build_site({"a.md": article()})
    script = re.search(r'src="(/assets/js/search\.[0-9a-f]{10}\.js)"', result.page("/tim-kiem/"))
    assert script and result.exists(script[1])
    published = (result.site / script[1].lstrip("/")).read_bytes()
    source = (project / "assets/js/search.js").read_bytes()
    assert len(published) < 0.7 * len(source)
    assert b"// " not in published and b"export function fold" in published
    assert not result.exists("/assets/js/search.js")  # only the hashed name is published


def test_empty_archive_builds_a_usable_site(build_site: BuildSite) -> None:
    result = build_site({})
    assert result.code == 0
    assert "Chưa có bài viết nào" in result.page("/")


def test_search_markup(build_site: BuildSite) -> None:
    result = build_site(
        {
            "a.md": article(
                title="Đại hội Đảng bộ xã Đồng Tâm",
                unit="Đảng bộ xã Đồng Tâm",
                author='"Đỗ Thị Lan"',
            ),
            "b.md": article(title="Nháp", draft="true"),
        }
    )
    html = result.page("/2025/dai-hoi-dang-bo-xa-dong-tam/")
    assert '<article class="article" data-pagefind-body>' in html
    assert (
        '<meta name="pagefind-filter-unit" data-pagefind-filter="unit[content]" content="Đảng bộ xã Đồng Tâm">'
        in html
    )
    assert (
        '<meta name="pagefind-filter-term" data-pagefind-filter="term[content]" content="2025-2030">'
        in html
    )
    assert (
        '<meta name="pagefind-filter-year" data-pagefind-filter="year[content]" content="2025">'
        in html
    )
    assert (
        '<meta name="pagefind-sort-date" data-pagefind-sort="date[content]" content="2025-05-20T00:00:00+07:00">'
        in html
    )
    fold = re.search(r'data-pagefind-meta="fold\[content\]" content="([^"]*)"', html)[1]
    assert set(fold.split()) >= {"dai", "dang", "dong", "do"}
    header_box = '<form class="search-box" role="search" action="/tim-kiem/" method="get">'
    assert header_box in html
    for url in ["/", "/don-vi/", "/2025/", "/404.html", "/nhiem-ky/2025-2030/"]:
        page = result.page(url)
        assert header_box in page, url
        assert "data-pagefind-body" not in page, url
    search_page = result.page("/tim-kiem/")
    assert "data-pagefind-body" not in search_page
    assert '<input id="q" type="search" name="q"' in search_page
    assert result.exists("/pagefind/0/pagefind.js")
    assert (
        len(list((result.site / "pagefind/0/fragment").iterdir())) == 1
    )  # the article, not the draft


def test_word_files_with_bom_crlf_and_decomposed_text_build_cleanly(build_site: BuildSite) -> None:
    text = article(title="Đại hội Chi bộ Tân Hòa", author='"Nguyễn  Văn   Bình"')
    decomposed = unicodedata.normalize("NFD", text).replace("\n", "\r\n")
    result = build_site({"word.md": b"\xef\xbb\xbf" + decomposed.encode("utf-8")})
    assert result.code == 0, result.err
    html = result.page("/2025/dai-hoi-chi-bo-tan-hoa/")
    assert "<h1>Đại hội Chi bộ Tân Hòa</h1>" in html  # NFC again
    assert "Nguyễn Văn Bình" in html
    assert "\r" not in html and "\ufeff" not in html


def test_search_index_is_made_from_the_article_alone(tmp_path: Path) -> None:
    """Pagefind is given documents made from the articles, not the rendered
    pages (so indexing runs while pages are rendered); its records must be
    exactly those of the article pages the default layouts make."""
    site = build_project(tmp_path / "demo", ROOT / "content")
    pages = sorted(site.glob("20[0-9][0-9]/*/index.html"))
    assert len(pages) > 10
    whole = tmp_path / "whole"
    for page in pages:
        target = whole / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.read_bytes())
    pagefind.index_part(whole, tmp_path / "whole-bundle", primary=True)
    expected = {p.name: p.read_bytes() for p in (tmp_path / "whole-bundle/fragment").iterdir()}
    built = {p.name: p.read_bytes() for p in site.glob("pagefind/*/fragment/*")}
    assert len(expected) == len(pages)
    assert built == expected


@pytest.mark.parametrize(
    "data",
    [
        b"not gzip",
        gzip.compress(b'{"url": "/a/"}'),  # no signature
        gzip.compress(b"pagefind_dcd[1, 2]"),
        gzip.compress(b'pagefind_dcd{"content": "x"}'),
        gzip.compress(b"pagefind_dcd{truncat"),
    ],
)
def test_an_unreadable_fragment_is_a_value_error(data: bytes) -> None:
    """What the build reads back from Pagefind's fragments (a record's id by
    its address) fails as ValueError, which the build reports in one line."""
    with pytest.raises(ValueError):
        pagefind.fragment_address(data)


def test_a_fragment_gives_its_address() -> None:
    data = gzip.compress(b'pagefind_dcd{"url": "/2025/dai-hoi/", "content": "x"}')
    assert pagefind.fragment_address(data) == "/2025/dai-hoi/"
    assert pagefind.address("2025/dai-hoi/index.html") == "/2025/dai-hoi/"
