"""Output for the open web: feeds, sitemap, robots, page metadata, structured data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import feedparser
import pytest
from helpers import BuildSite, Result, article, structured_data

BASE = "https://example.org/luu-tru/"


def archive() -> dict[str, str | bytes]:
    return {
        "a.md": article(
            title="Đại hội Chi bộ Tân Hòa nhiệm kỳ 2025-2030",
            date="2025-05-20 08:00",
            author="Lê Văn A",
            updated="2025-06-01 09:30",
            summary="Tóm tắt <b>đậm</b> & rõ.",
        ),
        "b.md": article(title="Chi bộ Tân Hòa kết nạp đảng viên", date="2024-09-02"),
        "c.md": article(
            title="Đại hội Chi bộ An Phú", unit="Chi bộ An Phú", term="2020-2025", date="2020-03-18"
        ),
    }


@pytest.fixture
def site(build_site: BuildSite) -> Result:
    result = build_site(archive(), "--base-url", BASE)
    assert result.code == 0, result.err
    return result


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return unescape(found[1]) if found else None


def test_site_feed_is_valid_atom_newest_first(site: Result) -> None:
    feed = feedparser.parse(site.page("/feed.xml"))
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Lưu trữ tin Đại hội Đảng"
    assert feed.feed.link == BASE
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Đại hội Chi bộ Tân Hòa nhiệm kỳ 2025-2030",
        "Chi bộ Tân Hòa kết nạp đảng viên",
        "Đại hội Chi bộ An Phú",
    ]
    first = feed.entries[0]
    assert first.link == BASE + "2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/"
    assert first.author == "Lê Văn A"
    assert first.published == "2025-05-20T08:00:00+07:00"
    assert first.updated == "2025-06-01T09:30:00+07:00"
    assert first.summary == "Tóm tắt <b>đậm</b> & rõ."  # text, escaped in the XML
    assert "Sáng 20/5/2025, Chi bộ Tân Hòa tổ chức Đại hội." in first.content[0].value
    assert feed.feed.updated == "2025-06-01T09:30:00+07:00"  # newest change, not build time


def test_unit_and_term_feeds_hold_their_own_articles(site: Result) -> None:
    unit = feedparser.parse(site.page("/don-vi/chi-bo-tan-hoa/feed.xml"))
    assert not unit.bozo
    assert [e.title for e in unit.entries] == [
        "Đại hội Chi bộ Tân Hòa nhiệm kỳ 2025-2030",
        "Chi bộ Tân Hòa kết nạp đảng viên",
    ]
    term = feedparser.parse(site.page("/nhiem-ky/2020-2025/feed.xml"))
    assert not term.bozo
    assert [e.title for e in term.entries] == ["Đại hội Chi bộ An Phú"]
    # each is announced on its page, the whole archive's feed on every page
    unit_page = site.page("/don-vi/chi-bo-tan-hoa/")
    assert (
        'type="application/atom+xml" title="Tin bài của Chi bộ Tân Hòa" href="/luu-tru/don-vi/chi-bo-tan-hoa/feed.xml"'
        in unit_page
    )
    for url in ("/", "/nam/", "/2024/", "/don-vi/chi-bo-tan-hoa/"):
        assert (
            'rel="alternate" type="application/atom+xml" title="Lưu trữ tin Đại hội Đảng" href="/luu-tru/feed.xml"'
            in site.page(url)
        )


def test_entry_ids_survive_a_rebuild_and_a_new_article(build_site: BuildSite) -> None:
    first = build_site(archive(), "--base-url", BASE)
    ids = {e.title: e.id for e in feedparser.parse(first.page("/feed.xml")).entries}
    second = build_site({"d.md": article(title="Tin mới", date="2025-10-01")}, "--base-url", BASE)
    again = {e.title: e.id for e in feedparser.parse(second.page("/feed.xml")).entries}
    assert all(again[title] == ids[title] for title in ids)
    assert len(set(again.values())) == 4
    assert all(i.startswith("urn:uuid:") for i in again.values())


def test_feed_size_comes_from_the_settings(build_site: BuildSite, project: Path) -> None:
    (project / "archive.yaml").write_text("feed_size: 2\n", encoding="utf-8")
    result = build_site(archive())
    assert len(feedparser.parse(result.page("/feed.xml")).entries) == 2


def test_sitemap_lists_every_public_page_with_its_last_change(site: Result) -> None:
    root = ET.fromstring(site.page("/sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.findtext("s:loc", namespaces=ns): url.findtext("s:lastmod", namespaces=ns)
        for url in root.findall("s:url", ns)
    }
    pages = {
        "",
        "don-vi/",
        "nhiem-ky/",
        "nam/",
        "2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/",
        "2024/chi-bo-tan-hoa-ket-nap-dang-vien/",
        "2020/dai-hoi-chi-bo-an-phu/",
        "don-vi/chi-bo-tan-hoa/",
        "don-vi/chi-bo-an-phu/",
        "nhiem-ky/2025-2030/",
        "nhiem-ky/2020-2025/",
        "2025/",
        "2024/",
        "2020/",
    }
    assert set(entries) == {BASE + page for page in pages}
    # the corrected article carries its correction date, its unit page the newest
    assert entries[BASE + "2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/"] == (
        "2025-06-01T09:30:00+07:00"
    )
    # a day with no time stays a day: no midnight nobody wrote
    assert entries[BASE + "2024/chi-bo-tan-hoa-ket-nap-dang-vien/"] == "2024-09-02"
    assert entries[BASE + "don-vi/chi-bo-tan-hoa/"] == "2025-06-01T09:30:00+07:00"
    assert site.page("/robots.txt").endswith(f"Sitemap: {BASE}sitemap.xml\n")


def test_every_page_has_canonical_title_description_and_cards(site: Result) -> None:
    for url, kind in [
        ("/", "website"),
        ("/don-vi/", "website"),
        ("/don-vi/chi-bo-tan-hoa/", "website"),
        ("/nhiem-ky/2025-2030/", "website"),
        ("/2025/", "website"),
        ("/tim-kiem/", "website"),
        ("/2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/", "article"),
    ]:
        html = site.page(url)
        absolute = BASE + url.lstrip("/")
        assert f'<link rel="canonical" href="{absolute}">' in html, url
        title = re.search(r"<title>([^<]+)</title>", html)
        assert (title and title[1].endswith("– Lưu trữ tin Đại hội Đảng")) or url == "/", url
        assert meta(html, "description"), url
        assert meta(html, "og:type") == kind, url
        assert meta(html, "og:url") == absolute, url
        assert meta(html, "og:site_name") == "Lưu trữ tin Đại hội Đảng", url
        assert meta(html, "og:locale") == "vi_VN", url
        assert meta(html, "og:title") and meta(html, "og:description"), url
        assert meta(html, "twitter:card") == "summary", url
        assert meta(html, "twitter:title") == meta(html, "og:title"), url
    article_page = site.page("/2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/")
    assert meta(article_page, "og:title") == "Đại hội Chi bộ Tân Hòa nhiệm kỳ 2025-2030"
    assert meta(article_page, "og:description") == "Tóm tắt <b>đậm</b> & rõ."
    assert meta(article_page, "article:modified_time") == "2025-06-01T09:30:00+07:00"
    assert '<link rel="canonical"' not in site.page("/404.html")


def test_article_structured_data(site: Result) -> None:
    html = site.page("/2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/")
    news = structured_data(html)["NewsArticle"]
    assert news["headline"] == "Đại hội Chi bộ Tân Hòa nhiệm kỳ 2025-2030"
    assert news["datePublished"] == "2025-05-20T08:00:00+07:00"
    assert news["dateModified"] == "2025-06-01T09:30:00+07:00"
    assert news["author"] == {"@type": "Person", "name": "Lê Văn A"}
    assert news["publisher"] == {
        "@type": "Organization",
        "name": "Lưu trữ tin Đại hội Đảng",
        "url": BASE,
    }
    assert news["sourceOrganization"] == {"@type": "Organization", "name": "Chi bộ Tân Hòa"}
    assert news["mainEntityOfPage"] == BASE + "2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/"
    assert 'Cập nhật <time datetime="2025-06-01T09:30:00+07:00">1/6/2025</time>' in html
    assert (
        "dateModified"
        not in structured_data(site.page("/2020/dai-hoi-chi-bo-an-phu/"))["NewsArticle"]
    )


def test_a_day_without_a_time_stays_a_day(site: Result) -> None:
    html = site.page("/2024/chi-bo-tan-hoa-ket-nap-dang-vien/")
    assert structured_data(html)["NewsArticle"]["datePublished"] == "2024-09-02"
    assert meta(html, "article:published_time") == "2024-09-02"
    assert '<time datetime="2024-09-02">' in html
    # (the search index's sort key keeps the moment, to order a day's articles)
    assert '<time datetime="2024-09-02T' not in html
    # on a list too
    assert '<time datetime="2024-09-02">2/9/2024</time>' in site.page("/don-vi/chi-bo-tan-hoa/")
    # with a time given, the time and offset are kept
    timed = site.page("/2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/")
    assert '<time datetime="2025-05-20T08:00:00+07:00">' in timed
    # Atom requires a date-time: the day starts at midnight in the archive's zone
    feed = feedparser.parse(site.page("/feed.xml"))
    assert feed.entries[1].published == "2024-09-02T00:00:00+07:00"


def test_a_term_never_breaks_at_its_hyphen(site: Result) -> None:
    html = site.page("/don-vi/chi-bo-tan-hoa/")
    assert 'Nhiệm kỳ <span class="nowrap">2025-2030</span>' in html
    article_page = site.page("/2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/")
    assert '<span class="nowrap">2025-2030</span>' in article_page
    assert '<span class="nowrap">2025-2030</span>' in site.page("/nhiem-ky/2025-2030/")


def test_breadcrumbs_on_every_page_below_home(site: Result) -> None:
    expected = {
        "/2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/": [
            "Trang chủ",
            "Đơn vị",
            "Chi bộ Tân Hòa",
            "Đại hội Chi bộ Tân Hòa nhiệm kỳ 2025-2030",
        ],
        "/don-vi/": ["Trang chủ", "Đơn vị"],
        "/don-vi/chi-bo-tan-hoa/": ["Trang chủ", "Đơn vị", "Chi bộ Tân Hòa"],
        "/nhiem-ky/2020-2025/": ["Trang chủ", "Nhiệm kỳ", "Nhiệm kỳ 2020-2025"],
        "/2024/": ["Trang chủ", "Năm", "Năm 2024"],
        "/nam/": ["Trang chủ", "Năm"],
        "/tim-kiem/": ["Trang chủ", "Tìm kiếm"],
    }
    for url, names in expected.items():
        html = site.page(url)
        crumbs = structured_data(html)["BreadcrumbList"]["itemListElement"]
        assert [c["name"] for c in crumbs] == names, url
        assert [c["position"] for c in crumbs] == list(range(1, len(names) + 1))
        assert crumbs[-1]["item"] == BASE + url.lstrip("/")
        nav = re.search(r'<nav class="breadcrumbs" aria-label="Vị trí">(.*?)</nav>', html, re.S)
        assert nav, url
        assert re.findall(r">([^<]+)</a>", nav[1]) == names[:-1], url
    assert "BreadcrumbList" not in structured_data(site.page("/"))


def test_updated_before_the_date_is_an_error(build_site: BuildSite) -> None:
    result = build_site({"a.md": article(date="2025-05-20", updated="2025-05-01")})
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/a.md:6: updated '2025-05-01' is before the article's date; correct one of them"
    )
    bad = build_site({"a.md": article(date="2025-05-20", updated="2025-05-40")})
    assert bad.err.splitlines()[0] == "content/a.md:6: updated '2025-05-40' is not a valid date"


def test_without_an_absolute_address_links_stay_relative_and_no_sitemap(
    build_site: BuildSite,
) -> None:
    result = build_site(archive())
    assert not result.exists("/sitemap.xml")
    assert "Sitemap:" not in result.page("/robots.txt")
    html = result.page("/2024/chi-bo-tan-hoa-ket-nap-dang-vien/")
    # a relative canonical link is ignored by search engines: none at all
    assert 'rel="canonical"' not in html
    assert meta(html, "og:url") is None
    # the build says once what publishing needs
    assert result.out.count("--base-url https://") == 1
    assert "no canonical link" in result.out
    feed = feedparser.parse(result.page("/feed.xml"))
    assert not feed.bozo
    assert feed.entries[0].link.endswith("/2025/dai-hoi-chi-bo-tan-hoa-nhiem-ky-2025-2030/")
