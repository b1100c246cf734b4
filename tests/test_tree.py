"""End to end: the tree of organisations on the site. A parent unit's pages
gather the news of every unit below it; its own news alone has pages of its
own; the units tree counts both."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import BuildSite, Result, article, article_links

UNITS = """\
- name: Đảng bộ xã Mẫu Sơn
- name: Chi bộ thôn Một
  parent: Đảng bộ xã Mẫu Sơn
- name: Chi bộ thôn Hai
  parent: Đảng bộ xã Mẫu Sơn
- name: Chi bộ tổ Ba
  parent: Chi bộ thôn Hai
- name: Đảng bộ khối Mẫu
"""


@pytest.fixture
def tree(build_site: BuildSite, project: Path) -> Result:
    (project / "archive.yaml").write_text("page_size: 3\n", encoding="utf-8")
    files = {
        "units.yaml": UNITS,
        "x1.md": article(title="Tin xã một", unit="Đảng bộ xã Mẫu Sơn", date="2025-01-05"),
        "x2.md": article(title="Tin xã hai", unit="Đảng bộ xã Mẫu Sơn", date="2025-03-05"),
        "m1.md": article(title="Tin thôn Một", unit="Chi bộ thôn Một", date="2025-02-05"),
        "h1.md": article(title="Tin thôn Hai", unit="Chi bộ thôn Hai", date="2025-04-05"),
        "b1.md": article(title="Tin tổ Ba", unit="Chi bộ tổ Ba", date="2025-05-05"),
        "k1.md": article(title="Tin khối", unit="Đảng bộ khối Mẫu", date="2025-06-05"),
    }
    result = build_site(files)
    assert result.code == 0, result.err
    return result


def listed(result: Result, *urls: str) -> list[str]:
    return [link for url in urls for link in article_links(result.page(url))]


def test_a_parent_lists_its_own_news_and_every_unit_below_it_newest_first(tree: Result) -> None:
    shown = listed(tree, "/don-vi/dang-bo-xa-mau-son/", "/don-vi/dang-bo-xa-mau-son/trang/2/")
    assert shown == [
        "/2025/tin-to-ba/",
        "/2025/tin-thon-hai/",
        "/2025/tin-xa-hai/",
        "/2025/tin-thon-mot/",
        "/2025/tin-xa-mot/",
    ]
    first = tree.page("/don-vi/dang-bo-xa-mau-son/")
    assert "5 bài viết, gồm cả các đơn vị trực thuộc" in first
    # each card names its unit, since the list gathers several
    assert '<a href="/don-vi/chi-bo-to-ba/">Chi bộ tổ Ba</a>' in first
    # a middle unit gathers the one below it, not its siblings or its parent
    assert listed(tree, "/don-vi/chi-bo-thon-hai/") == ["/2025/tin-to-ba/", "/2025/tin-thon-hai/"]


def test_the_units_own_news_alone_is_a_link_away(tree: Result) -> None:
    first = tree.page("/don-vi/dang-bo-xa-mau-son/")
    assert (
        '<a href="/don-vi/dang-bo-xa-mau-son/rieng/">Chỉ xem tin của riêng đơn vị (2 bài)</a>'
        in first
    )
    own = tree.page("/don-vi/dang-bo-xa-mau-son/rieng/")
    assert article_links(own) == ["/2025/tin-xa-hai/", "/2025/tin-xa-mot/"]
    assert "2 bài viết của riêng đơn vị" in own
    assert '<a href="/don-vi/dang-bo-xa-mau-son/">Xem cả các đơn vị trực thuộc (5 bài)</a>' in own
    assert "<title>Đảng bộ xã Mẫu Sơn (riêng đơn vị)" in own
    # its breadcrumbs lead back to the unit's page
    assert re.search(r'<a href="/don-vi/dang-bo-xa-mau-son/">Đảng bộ xã Mẫu Sơn</a>', own)
    # a unit with nothing below it has one list only
    assert not tree.exists("/don-vi/chi-bo-to-ba/rieng/")
    assert not tree.exists("/don-vi/dang-bo-khoi-mau/rieng/")


def test_the_units_tree_counts_own_news_and_news_with_the_units_below(tree: Result) -> None:
    html = tree.page("/don-vi/")
    counts = dict(
        re.findall(
            r'<li><a href="/don-vi/[^"]+/">([^<]+)</a> <span class="count">([^<]+)</span>', html
        )
    )
    assert counts == {
        "Đảng bộ xã Mẫu Sơn": "2 bài; 5 bài cả đơn vị trực thuộc",
        "Chi bộ thôn Hai": "1 bài; 2 bài cả đơn vị trực thuộc",
        "Chi bộ tổ Ba": "1 bài",
        "Chi bộ thôn Một": "1 bài",
        "Đảng bộ khối Mẫu": "1 bài",
    }


def test_the_unit_facts_name_the_chain_up_to_the_top_unit(tree: Result) -> None:
    html = tree.page("/don-vi/chi-bo-to-ba/")
    assert (
        '<dt>Trực thuộc</dt><dd><a href="/don-vi/chi-bo-thon-hai/">Chi bộ thôn Hai</a>, thuộc'
        ' <a href="/don-vi/dang-bo-xa-mau-son/">Đảng bộ xã Mẫu Sơn</a></dd>' in html
    )
    crumbs = html[html.index('class="breadcrumbs"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert re.findall(r">([^<>]+)</a>", crumbs) == [
        "Trang chủ",
        "Đơn vị",
        "Đảng bộ xã Mẫu Sơn",
        "Chi bộ thôn Hai",
    ]


def test_a_parents_feed_gathers_its_cells_news(tree: Result) -> None:
    feed = (tree.site / "don-vi/dang-bo-xa-mau-son/feed.xml").read_text(encoding="utf-8")
    titles = re.findall(r"<entry>.*?<title[^>]*>([^<]+)</title>", feed, re.S)
    assert titles == ["Tin tổ Ba", "Tin thôn Hai", "Tin xã hai", "Tin thôn Một", "Tin xã một"]


BOARD_UNITS = """\
- name: Đảng bộ xã Mẫu Sơn
- name: Chi bộ thôn Một
  parent: Đảng bộ xã Mẫu Sơn
- name: Chi bộ thôn Hai
  parent: Đảng bộ xã Mẫu Sơn
- name: Chi bộ khu dân cư Ba
  parent: Đảng bộ xã Mẫu Sơn
  former_names: [Chi bộ thôn Ba]
- name: Chi bộ thôn Bốn
  parent: Đảng bộ xã Mẫu Sơn
"""


@pytest.fixture
def season(build_site: BuildSite) -> Result:
    files = {
        "units.yaml": BOARD_UNITS,
        # a congress said by its kind, one read from its title
        "mot.md": article(
            title="Chi bộ thôn Một họp mặt", unit="Chi bộ thôn Một", date="2025-03-02",
            kind="dai-hoi", congress_number="III",
        ),
        "mot-2020.md": article(
            title="Chi bộ thôn Một tổ chức Đại hội lần thứ II", unit="Chi bộ thôn Một",
            term="2020-2025", date="2020-03-02",
        ),
        # the renamed unit's congress, filed under its former name, and a later
        # report under its new name: one unit, one congress (the first)
        "ba.md": article(
            title="Chi bộ thôn Ba tổ chức Đại hội", unit="Chi bộ thôn Ba", date="2025-04-01"
        ),
        "ba-2.md": article(
            title="Đại hội Chi bộ khu dân cư Ba thành công", unit="Chi bộ khu dân cư Ba",
            date="2025-04-02",
        ),
        # news of the resolution is not a congress
        "hai.md": article(
            title="Chi bộ thôn Hai quán triệt Nghị quyết Đại hội", unit="Chi bộ thôn Hai",
            date="2025-05-01",
        ),
    }  # fmt: skip
    result = build_site(files)
    assert result.code == 0, result.err
    return result


def board_of(html: str) -> dict[str, str]:
    """Each unit on a term's board, with what the board says of it."""
    section = html[html.index('<section class="board"') :]
    section = section[: section.index("</section>")]
    rows = re.findall(
        r'<span class="board-unit">(?:<a [^>]*>)?([^<]+)(?:</a>)?</span>\s*'
        r'<span class="board-status"><span aria-hidden="true">.</span> (.*?)</span>\n',
        section,
    )
    return {name: re.sub(r"<[^>]+>", "", status) for name, status in rows}


def test_the_term_page_opens_with_the_board_of_its_congresses(season: Result) -> None:
    html = season.page("/nhiem-ky/2025-2030/")
    assert board_of(html) == {
        "Đảng bộ xã Mẫu Sơn": "Chưa có tin đại hội",
        "Chi bộ khu dân cư Ba": "Đại hội (tin ngày 1/4/2025)",
        "Chi bộ thôn Bốn": "Chưa có tin đại hội",
        "Chi bộ thôn Hai": "Chưa có tin đại hội",
        "Chi bộ thôn Một": "Đại hội lần thứ III (tin ngày 2/3/2025)",
    }
    assert "2/4 đơn vị trực thuộc đã có tin đại hội" in html
    assert "2/5 đơn vị đã có tin đại hội trong lưu trữ." in html
    # the congress links to its article; a unit with no page is named only
    assert '<a href="/2025/chi-bo-thon-ba-to-chuc-dai-hoi/">Đại hội</a>' in html
    assert '<a href="/don-vi/chi-bo-thon-bon/">' not in html
    # the board comes before the list of articles
    assert html.index('class="board"') < html.index('class="article-list"')


def test_an_older_terms_board_lists_only_the_units_with_its_news(season: Result) -> None:
    html = season.page("/nhiem-ky/2020-2025/")
    assert board_of(html) == {
        "Đảng bộ xã Mẫu Sơn": "Chưa có tin đại hội",
        "Chi bộ thôn Một": "Đại hội lần thứ II (tin ngày 2/3/2020)",
    }


def test_a_unit_page_names_its_congresses_across_terms(season: Result) -> None:
    html = season.page("/don-vi/chi-bo-thon-mot/")
    text = re.sub(r"<[^>]+>", "", html[html.index('class="congresses"') :].split("</p>")[0])
    assert text.endswith(
        "Các kỳ đại hội: Đại hội lần thứ II (tin ngày 2/3/2020); lần thứ III (tin ngày 2/3/2025)."
    )


def test_check_lists_the_units_without_news_of_their_congress(
    season: Result, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main

    assert main(["check", "--congress", "2025 - 2030"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-4:] == [
        "Term 2025-2030: 2 of 5 units have news of their congress; 3 not yet:",
        "  Đảng bộ xã Mẫu Sơn; 2 of 4 below it have news of theirs",
        "  Chi bộ thôn Bốn (in Đảng bộ xã Mẫu Sơn)",
        "  Chi bộ thôn Hai (in Đảng bộ xã Mẫu Sơn)",
    ]
    assert main(["check", "--congress", "2025-2030", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["congress"]["held"] == 2 and data["congress"]["units"] == 5
    assert [m["unit"] for m in data["congress"]["missing"]] == [
        "Đảng bộ xã Mẫu Sơn",
        "Chi bộ thôn Bốn",
        "Chi bộ thôn Hai",
    ]
    assert main(["check", "--congress", "2025"]) == 2
    assert "is not a term such as 2025-2030" in capsys.readouterr().err


def test_a_wrong_kind_or_congress_number_names_the_file_and_line(build_site: BuildSite) -> None:
    result = build_site(
        {
            "a.md": article(kind="daihoi"),
            "b.md": article(title="Tin khác", congress_number="ba"),
        }
    )
    assert result.code == 1
    assert (
        "content/a.md:6: kind 'daihoi' is not one of dai-hoi (Đại hội), hoi-nghi (Hội nghị),"
        " tin (Tin hoạt động)" in result.err
    )
    assert "content/b.md:6: congress_number 'ba' is not a number such as III or 3" in result.err


def test_a_sample_article_says_so_on_its_page_and_card(build_site: BuildSite) -> None:
    result = build_site({"a.md": article(sample="true")})
    page = result.page("/2025/dai-hoi-chi-bo-tan-hoa/")
    assert "Bài mẫu</span> Nội dung minh họa" in page
    assert '<span class="sample-badge">Bài mẫu</span>' in result.page("/don-vi/chi-bo-tan-hoa/")


RELATED_UNITS = """\
- name: Đảng bộ xã Mẫu Sơn
- name: Chi bộ thôn Một
  parent: Đảng bộ xã Mẫu Sơn
- name: Chi bộ thôn Hai
  parent: Đảng bộ xã Mẫu Sơn
- name: Chi bộ Khác
"""


def related_of(result: Result, url: str) -> list[str]:
    html = result.page(url)
    if 'class="related"' not in html:
        return []
    section = html[html.index('class="related"') :].split("</section>")[0]
    return re.findall(r'<li><a href="([^"]+)"', section)


def test_related_news_same_unit_and_term_then_the_family_then_shared_tags(
    build_site: BuildSite,
) -> None:
    one, two, other = "Chi bộ thôn Một", "Chi bộ thôn Hai", "Chi bộ Khác"
    files = {
        "units.yaml": RELATED_UNITS,
        "a.md": article(title="Tin a", unit=one, date="2025-06-01", tags="[chuyển đổi số]"),
        "b.md": article(title="Tin b", unit=one, date="2025-05-01", tags="[chuyển đổi số]"),
        "c.md": article(title="Tin c", unit=one, date="2021-01-01", term="2020-2025"),
        "d.md": article(title="Tin d", unit=two, date="2025-04-01"),
        "e.md": article(title="Tin e", unit="Đảng bộ xã Mẫu Sơn", date="2025-03-01"),
        "f.md": article(title="Tin f", unit=other, date="2025-07-01", tags="[Chuyển đổi số]"),
        "g.md": article(title="Tin g", unit=other, date="2025-08-01"),
    }
    result = build_site(files)
    assert result.code == 0, result.err
    assert related_of(result, "/2025/tin-b/") == [
        "/2025/tin-a/",  # the same unit, the same term
        "/2025/tin-d/",  # a sibling unit
        "/2025/tin-e/",  # the parent
        "/2025/tin-f/",  # a tag shared (in another case)
    ]
    assert related_of(result, "/2025/tin-f/") == ["/2025/tin-g/", "/2025/tin-a/", "/2025/tin-b/"]
    # the parent's family is the units below it
    assert related_of(result, "/2025/tin-e/")[:3] == [
        "/2025/tin-a/",
        "/2025/tin-b/",
        "/2025/tin-d/",
    ]
    assert "Tin liên quan" in result.page("/2025/tin-b/")


def test_related_news_stops_at_five(build_site: BuildSite) -> None:
    files = {f"{i}.md": article(title=f"Tin {i}", date=f"2025-05-{i + 1:02d}") for i in range(8)}
    result = build_site(files)
    assert related_of(result, "/2025/tin-0/") == [f"/2025/tin-{i}/" for i in (7, 6, 5, 4, 3)]
