"""The unit registry, content/units.yaml: aliases, parents, unit pages, errors."""

from __future__ import annotations

import re

import pytest
from helpers import BuildSite, article

REGISTRY = """\
- name: Đảng bộ Ủy ban nhân dân tỉnh Phú Thọ
  short_name: Đảng bộ UBND tỉnh
  aliases: [Đảng ủy UBND tỉnh Phú Thọ]
  description: Tổ chức đảng của các sở thuộc tỉnh.

- name: Chi bộ Sở Ngoại vụ tỉnh Phú Thọ
  short_name: Chi bộ Sở Ngoại vụ
  parent: Đảng ủy UBND tỉnh Phú Thọ
  aliases: [Chi bộ Sở Ngoại vụ Phú Thọ]
  former_names: [Chi bộ Phòng Ngoại vụ]
  description: Chi bộ cơ quan Sở Ngoại vụ <b>Phú Thọ</b>.

- name: Chi bộ Tân Hòa
"""


def articles() -> dict[str, str | bytes]:
    return {
        "units.yaml": REGISTRY,
        "a.md": article(
            title="Chi bộ Sở Ngoại vụ tổ chức Đại hội lần thứ III, nhiệm kỳ 2025 – 2030",
            unit="Chi bộ Sở Ngoại vụ Phú Thọ",
            date="2025-06-17",
        ),
        "b.md": article(
            title="Chi bộ Phòng Ngoại vụ tổ chức Đại hội nhiệm kỳ 2020-2025",
            unit="Chi bộ Phòng Ngoại vụ",
            term="2020-2025",
            date="2020-05-12",
        ),
        "c.md": article(
            title="Hội nghị triển khai Nghị quyết Đại hội",
            unit="chi bộ sở ngoại vụ tỉnh phú thọ",
            date="2025-07-08",
        ),
        "d.md": article(title="Chi bộ Tân Hoà kết nạp đảng viên", unit="Chi bộ Tân Hoà"),
    }


def test_aliases_and_former_names_are_filed_under_the_canonical_name(
    build_site: BuildSite,
) -> None:
    result = build_site(articles())
    assert result.code == 0, result.err
    page = result.page("/don-vi/chi-bo-so-ngoai-vu-tinh-phu-tho/")
    assert "<h1>Chi bộ Sở Ngoại vụ tỉnh Phú Thọ</h1>" in page
    assert "3 bài viết" in page
    assert not result.exists("/don-vi/chi-bo-so-ngoai-vu-phu-tho/")
    assert not result.exists("/don-vi/chi-bo-phong-ngoai-vu/")
    article_page = result.page("/2025/hoi-nghi-trien-khai-nghi-quyet-dai-hoi/")
    assert ">Chi bộ Sở Ngoại vụ tỉnh Phú Thọ</a>" in article_page
    # the registered spelling wins over the spelling the article used
    assert "<h1>Chi bộ Tân Hòa</h1>" in result.page("/don-vi/chi-bo-tan-hoa/")
    assert "not in" not in result.err  # every unit is registered: no warning


def test_unit_page_shows_parent_description_names_and_congresses(build_site: BuildSite) -> None:
    result = build_site(articles())
    page = result.page("/don-vi/chi-bo-so-ngoai-vu-tinh-phu-tho/")
    about = page[page.index('<section class="unit-about"') : page.index("</section>")]
    assert "Chi bộ cơ quan Sở Ngoại vụ &lt;b&gt;Phú Thọ&lt;/b&gt;." in about
    assert re.search(
        r'Trực thuộc</dt><dd><a href="/don-vi/dang-bo-uy-ban-nhan-dan-tinh-phu-tho/">'
        r"Đảng bộ Ủy ban nhân dân tỉnh Phú Thọ</a>",
        about,
    )
    assert "Tên gọi tắt: Chi bộ Sở Ngoại vụ" in page
    assert "Tên trước đây</dt><dd>Chi bộ Phòng Ngoại vụ" in about
    history = re.findall(
        r'<a class="term" href="([^"]+)">Nhiệm kỳ <span class="nowrap">([\d-]+)</span></a>', about
    )
    assert history == [
        ("/nhiem-ky/2025-2030/", "2025-2030"),
        ("/nhiem-ky/2020-2025/", "2020-2025"),
    ]
    congresses = re.findall(r'Đại hội(?: lần thứ [IVX]+)?: <a href="([^"]+)"', about)
    # the congress itself, not the later meeting about its resolution
    assert congresses == [
        "/2025/chi-bo-so-ngoai-vu-to-chuc-dai-hoi-lan-thu-iii-nhiem-ky-2025-2030/",
        "/2020/chi-bo-phong-ngoai-vu-to-chuc-dai-hoi-nhiem-ky-2020-2025/",
    ]


def test_parent_without_articles_gets_a_page_listing_its_sub_units(build_site: BuildSite) -> None:
    result = build_site(articles())
    page = result.page("/don-vi/dang-bo-uy-ban-nhan-dan-tinh-phu-tho/")
    assert "Tổ chức đảng của các sở thuộc tỉnh." in page
    assert "Đơn vị trực thuộc" in page
    assert '<a href="/don-vi/chi-bo-so-ngoai-vu-tinh-phu-tho/">' in page
    # its page gathers its cells' news, and says none of it is its own
    assert "Đơn vị chưa có tin bài của riêng mình" in page
    assert (
        '<a href="/2025/chi-bo-so-ngoai-vu-to-chuc-dai-hoi-lan-thu-iii-nhiem-ky-2025-2030/">'
        in page
    )
    # not offered as a search filter: it would find nothing
    search = result.page("/tim-kiem/")
    assert 'value="Chi bộ Sở Ngoại vụ tỉnh Phú Thọ"' in search
    assert 'value="Đảng bộ Ủy ban nhân dân tỉnh Phú Thọ"' not in search


def test_units_list_is_a_tree_by_parent(build_site: BuildSite) -> None:
    result = build_site(articles())
    page = result.page("/don-vi/")
    tree = page[page.index('<ul class="group-index unit-tree">') :]
    names = re.findall(r'<a href="/don-vi/[^"]+/">([^<]+)</a>', tree)
    # top level in Vietnamese order (C before Đ), the sub-unit right under its parent
    assert names == [
        "Chi bộ Tân Hòa",
        "Đảng bộ Ủy ban nhân dân tỉnh Phú Thọ",
        "Chi bộ Sở Ngoại vụ tỉnh Phú Thọ",
    ]
    nested = tree.index("Đảng bộ Ủy ban nhân dân tỉnh Phú Thọ</a>")
    assert '<ul class="group-index unit-tree">' in tree[nested : tree.index("Chi bộ Sở Ngoại vụ")]


def test_unknown_unit_is_a_warning_with_the_nearest_names(build_site: BuildSite) -> None:
    files = articles()
    files["e.md"] = article(title="Tin", unit="Chi bộ Ngoại vụ tỉnh Phú Thọ")
    result = build_site(files)
    assert result.code == 0
    assert (
        "content/e.md:3: unit 'Chi bộ Ngoại vụ tỉnh Phú Thọ' is not in content/units.yaml;"
        " did you mean 'Chi bộ Sở Ngoại vụ tỉnh Phú Thọ'? (warning)"
    ) in result.err
    strict = build_site({}, "--strict")
    assert strict.code == 1
    assert "content/e.md:3: unit 'Chi bộ Ngoại vụ tỉnh Phú Thọ' is not in" in strict.err


def test_without_a_registry_units_are_flat_and_nothing_is_warned(build_site: BuildSite) -> None:
    result = build_site({"a.md": article(unit="Chi bộ Mới")})
    assert result.code == 0
    assert result.err == ""
    assert "Trực thuộc" not in result.page("/don-vi/chi-bo-moi/")


BAD_REGISTRIES = {
    "not-a-list": (
        "name: Chi bộ A\n",
        "content/units.yaml:1: the registry must be a list of units, each starting with '- name: ...'",
    ),
    "no-name": (
        "- name: Chi bộ A\n- short_name: B\n",
        "content/units.yaml:2: this unit has no 'name'",
    ),
    "unknown-parent": (
        "- name: Chi bộ A\n  parent: Đảng bộ Không Có\n",
        "content/units.yaml:1: parent 'Đảng bộ Không Có' of 'Chi bộ A' is not in the list;"
        " add it as a unit of its own",
    ),
    "cycle": (
        "- name: Chi bộ A\n  parent: Chi bộ B\n- name: Chi bộ B\n  parent: Chi bộ A\n",
        "content/units.yaml:1: 'Chi bộ A' is its own parent (Chi bộ A → Chi bộ B → Chi bộ A);"
        " a unit's parents must lead up to a top organisation",
    ),
    "name-twice": (
        "- name: Chi bộ A\n  aliases: [Chi bộ Chung]\n- name: Chi bộ B\n  aliases: [Chi bộ chung]\n",
        "content/units.yaml:3: the name 'Chi bộ chung' is also used by 'Chi bộ A' (line 1);"
        " a name may belong to one unit only",
    ),
    "aliases-mapping": (
        "- name: Chi bộ A\n  aliases: {x: 1}\n",
        "content/units.yaml:2: aliases must be a list of names, e.g. [Đảng ủy xã A]",
    ),
    "yaml-syntax": (
        "- name: Chi bộ A\n  aliases: [B\n",
        "content/units.yaml:3: not valid YAML:",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_REGISTRIES))
def test_bad_registry_is_reported_with_its_line_and_article_problems_too(
    build_site: BuildSite, case: str
) -> None:
    text, expected = BAD_REGISTRIES[case]
    bad_article = "---\ntitle: Tin\nunit: Chi bộ A\nterm: 2025-2030\ndate: 2025-13-45\n---\n"
    result = build_site({"units.yaml": text, "bad.md": bad_article})
    assert result.code == 1
    lines = result.err.splitlines()
    assert any(line.startswith(expected) for line in lines), result.err
    # the registry does not hide the articles' problems: all in one run
    assert "content/bad.md:5: date '2025-13-45' is not a valid date" in lines
    assert not result.exists("/")
