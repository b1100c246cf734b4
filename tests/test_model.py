"""The site model and the plan, made from a small archive without building it:
units in the tree of organisations, every output planned once."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import article, write_tree

from generator.build.pipeline import check
from generator.build.run import Project
from generator.errors import BuildFailure
from generator.pages import routes
from generator.pages.routes import FileRoute, Plan, Route
from generator.pages.views import unit_trail, unit_tree
from generator.settings import Settings
from generator.site.groups import Site
from generator.site.photos import Picture, PictureFile
from generator.urls import Links, out_path

UNITS = """\
- name: Đảng bộ tỉnh Hòa Bình
- name: Đảng bộ Khối cơ quan tỉnh
  parent: Đảng bộ tỉnh Hòa Bình
- name: Chi bộ Văn phòng
  parent: Đảng ủy Khối
  aliases: [Chi bộ VP]
- name: Chi bộ Ban Tuyên giáo
  parent: Đảng bộ Khối cơ quan tỉnh
- name: Chi bộ Ấp Bắc
  parent: Đảng bộ Khối cơ quan tỉnh
"""


def site_of(tmp_path: Path, files: dict[str, str]) -> Site:
    write_tree(tmp_path / "content", files)
    project = Project(tmp_path, tmp_path / "content", tmp_path / "site")
    checked = check(project, Settings())
    assert checked.problems == (), checked.problems
    assert checked.site is not None
    return checked.site


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.chdir(tmp_path)
    units = UNITS.replace("parent: Đảng ủy Khối", "parent: Đảng bộ Khối cơ quan tỉnh")
    return site_of(
        tmp_path,
        {
            "units.yaml": units,
            "a.md": article(title="Đại hội Chi bộ Văn phòng", unit="Chi bộ VP"),
            "b.md": article(title="Đại hội Chi bộ Ban Tuyên giáo", unit="Chi bộ Ban Tuyên giáo"),
            "c.md": article(title="Đại hội Chi bộ Ấp Bắc", unit="Chi bộ Ấp Bắc", date="2025-06-01"),
        },
    )


def test_parent_units_are_groups_with_their_children_in_vietnamese_order(tree: Site) -> None:
    names = {g.slug: g.name for g in tree.units}
    top = tree.by_slug["dang-bo-tinh-hoa-binh"]
    middle = tree.by_slug["dang-bo-khoi-co-quan-tinh"]
    assert top.articles == () and middle.articles == ()
    assert top.parent is None and top.ancestors == ()
    assert top.children == (middle.slug,)
    # Ấp (A with breve) sorts after A and before B; Văn after Ban
    assert [names[c] for c in middle.children] == [
        "Chi bộ Ấp Bắc",
        "Chi bộ Ban Tuyên giáo",
        "Chi bộ Văn phòng",
    ]
    office = tree.by_slug["chi-bo-van-phong"]
    assert office.parent == middle.slug
    assert office.ancestors == (middle.slug, top.slug)  # the parent first
    assert office.unit is not None and office.unit.aliases == ("Chi bộ VP",)


def test_breadcrumbs_and_the_units_tree_follow_the_registry(tree: Site) -> None:
    office = tree.by_slug["chi-bo-van-phong"]
    assert [name for name, _ in unit_trail(office, tree)] == [
        "Trang chủ",
        "Đơn vị",
        "Đảng bộ tỉnh Hòa Bình",
        "Đảng bộ Khối cơ quan tỉnh",
    ]
    top = unit_tree(tree, Links())
    assert [view["name"] for view in top] == ["Đảng bộ tỉnh Hòa Bình"]
    middle = top[0]["children"]
    assert [view["name"] for view in middle] == ["Đảng bộ Khối cơ quan tỉnh"]
    assert [(v["name"], v["count"]) for v in middle[0]["children"]] == [
        ("Chi bộ Ấp Bắc", 1),
        ("Chi bộ Ban Tuyên giáo", 1),
        ("Chi bộ Văn phòng", 1),
    ]


def test_a_parent_gathers_the_articles_of_every_unit_below_it_newest_first(
    tree: Site,
) -> None:
    top = tree.by_slug["dang-bo-tinh-hoa-binh"]
    middle = tree.by_slug["dang-bo-khoi-co-quan-tinh"]
    cell = tree.by_slug["chi-bo-ap-bac"]
    assert [a.unit for a in middle.rollup] == [a.unit for a in top.rollup]
    assert {a.unit for a in top.rollup} == {
        "Chi bộ Văn phòng",
        "Chi bộ Ban Tuyên giáo",
        "Chi bộ Ấp Bắc",
    }
    dates = [a.date for a in top.rollup]
    assert dates == sorted(dates, reverse=True)
    assert top.gathers and not cell.gathers
    assert cell.rollup == cell.articles


def test_a_parent_named_by_its_alias_is_still_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    units = UNITS.replace(
        "  parent: Đảng bộ tỉnh Hòa Bình\n",
        "  parent: Đảng bộ tỉnh Hòa Bình\n  aliases: [Đảng ủy Khối]\n",
    )
    site = site_of(tmp_path, {"units.yaml": units, "a.md": article(unit="Chi bộ Văn phòng")})
    office = site.by_slug["chi-bo-van-phong"]
    assert office.parent == "dang-bo-khoi-co-quan-tinh"
    assert site.by_slug["dang-bo-khoi-co-quan-tinh"].children == ("chi-bo-van-phong",)


def test_every_output_is_planned_once_feeds_only_where_there_are_articles(tree: Site) -> None:
    plan = routes.plan(
        tree, Settings(base_url="https://example.org/"), Links("/", "https://example.org/")
    )
    files = {f.url for f in plan.files}
    assert {"/feed.xml", "/robots.txt", "/_headers", "/sitemap.xml"} <= files
    assert "/don-vi/chi-bo-van-phong/feed.xml" in files
    assert "/nhiem-ky/2025-2030/feed.xml" in files
    # a parent unit with no article of its own has a page and a feed of its
    # cells' news, but no page of its own articles alone
    pages = {p.url for p in plan.pages}
    assert "/don-vi/dang-bo-khoi-co-quan-tinh/" in pages
    assert "/don-vi/dang-bo-khoi-co-quan-tinh/feed.xml" in files
    assert "/don-vi/dang-bo-khoi-co-quan-tinh/rieng/" not in pages
    # a cell has nothing below it: no second list
    assert "/don-vi/chi-bo-van-phong/rieng/" not in pages
    assert len(plan.out_paths) == len(plan.pages) + len(plan.files)


def test_no_sitemap_without_the_sites_address(tree: Site) -> None:
    plan = routes.plan(tree, Settings(), Links())
    assert "/sitemap.xml" not in {f.url for f in plan.files}


def test_two_outputs_at_one_path_stop_the_plan() -> None:
    page = Route("/robots.txt", "404.html", dict, None)
    made = Plan((page,), (FileRoute("/robots.txt", str),))
    with pytest.raises(BuildFailure, match=r"two files would be written to robots\.txt"):
        routes._check_unique(made)


def test_the_plan_knows_every_file_of_its_pictures() -> None:
    files = tuple(PictureFile(n, 480, 360, "d", 10) for n in ("480.webp", "800.jpg", "thumb.webp"))
    one = Picture("a" * 32, "bieu-quyet", "a" * 16, 800, 600, False, files)
    other = Picture("b" * 32, "toan-canh", "b" * 16, 800, 600, False, files[:1])
    plan = Plan((), (FileRoute("/robots.txt", str),), (one, other))
    paths = plan.out_paths.including(["assets/site.css"])
    published = {out_path(p.url(f)) for p in (one, other) for f in p.files}
    assert len(published) == 4
    assert all(path in paths for path in [*published, "robots.txt", "assets/site.css"])
    assert len(paths) == 6 and set(paths) == published | {"robots.txt", "assets/site.css"}
    # the other picture has no 800.jpg; no picture has a 1600 px file
    assert one.url(files[1]).lstrip("/") in paths
    assert other.url(files[1]).lstrip("/") not in paths
    assert one.url(PictureFile("1600.webp", 1, 1, "d", 1)).lstrip("/") not in paths
