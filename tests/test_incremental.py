"""Incremental builds: after any edit the site is what a clean build makes.

Each scenario edits a real fixture archive, builds incrementally, then builds
the same content with --clean into another folder and compares every file.
The search index is built in parts of two articles here, so that parts are
kept, rebuilt and merged as they would be in a large archive.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import (
    SEARCH_PAGE,
    BuildSite,
    Result,
    article,
    files_of,
    search_records,
    without_index_layout,
    write_tree,
)
from pictures import phone_jpeg, transparent_png

from generator.cli import main
from generator.search.parts import STALE_MIN, part_count
from generator.settings import Settings

ARTICLES = {
    f"2025/tin-{i}.md": article(
        title=f"Đại hội Chi bộ số {i}" if i % 2 else f"Hội nghị Chi bộ số {i}",
        unit=f"Chi bộ {'Tân Hòa' if i % 3 else 'Đồng Tâm'}",
        date=f"2025-0{1 + i % 9}-1{i % 10}",
        body=f"Sáng nay, chi bộ số {i} họp bàn công tác đảng viên.\n\nĐoạn thứ hai của tin {i}.",
    )
    for i in range(9)
} | {"2020/cu.md": article(title="Tin cũ", date="2020-03-04", term="2020-2025")}


def same_as_clean(result: Result, project: Path) -> None:
    """The incremental site equals a clean build of the same content: every
    page and file byte for byte, and the search finds the same records. (The
    index's layout may differ: an incremental build keeps a base part and
    puts what changed in a part of its own, search.parts.)"""
    assert result.code == 0, result.err
    code = main(["build", "--clean", "--out", "clean", "--cache", "clean-cache", "--quiet"])
    assert code == 0
    built = files_of(result.site, search_bundle="skip")
    clean = files_of(project / "clean", search_bundle="skip")
    assert built.keys() == clean.keys()
    different = [name for name in built if built[name] != clean[name] and name != SEARCH_PAGE]
    assert different == []
    pages = [
        without_index_layout(built[SEARCH_PAGE].decode()),
        without_index_layout(clean[SEARCH_PAGE].decode()),
    ]
    assert pages[0] == pages[1]
    assert search_records(result.site) == search_records(project / "clean")


def edit(project: Path, name: str, change: Callable[[str], str]) -> None:
    path = project / "content" / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture
def built(build_site: BuildSite, project: Path) -> BuildSite:
    (project / "archive.yaml").write_text("search_part_size: 2\n", encoding="utf-8")
    first = build_site(ARTICLES)
    assert first.code == 0, first.err
    parts = re.search(r"(\d+) of (\d+) index parts rebuilt", first.out)
    assert parts and parts[1] == parts[2] and int(parts[2]) >= 4, first.out
    return build_site


SCENARIOS: dict[str, Callable[[Path], None]] = {
    "body edited": lambda p: edit(p, "2025/tin-3.md", lambda t: t + "\nMột câu thêm.\n"),
    "title changed": lambda p: edit(
        p, "2025/tin-4.md", lambda t: t.replace("Hội nghị Chi bộ số 4", "Tin mới về chi bộ")
    ),
    "unit changed": lambda p: edit(
        p, "2025/tin-1.md", lambda t: t.replace("Chi bộ Tân Hòa", "Chi bộ Ấp Mới")
    ),
    "date moved to another year": lambda p: edit(
        p, "2025/tin-2.md", lambda t: t.replace("date: 2025-03-12", "date: 2024-12-30")
    ),
    "article deleted": lambda p: (p / "content/2025/tin-5.md").unlink(),
    "article added": lambda p: write_tree(
        p / "content", {"2025/moi.md": article(title="Bài mới", date="2025-09-30")}
    ),
    "made a draft": lambda p: edit(
        p, "2025/tin-6.md", lambda t: t.replace("---\n\n", "draft: true\n---\n\n")
    ),
    "settings changed": lambda p: (p / "archive.yaml").write_text(
        "search_part_size: 2\npage_size: 3\ntitle: Lưu trữ mới\n", encoding="utf-8"
    ),
    # what is related, the tree and the board change pages other than the one edited
    "tags added": lambda p: [
        edit(p, f"2025/tin-{i}.md", lambda t: t.replace("---\n\n", "tags: [đối ngoại]\n---\n\n"))
        for i in (2, 7)
    ],
    "kind changed": lambda p: edit(
        p, "2025/tin-1.md", lambda t: t.replace("---\n\n", "kind: tin\n---\n\n")
    ),
    "parent unit registered": lambda p: write_tree(
        p / "content",
        {
            "units.yaml": "- name: Đảng bộ xã Mẫu\n- name: Chi bộ Tân Hòa\n  parent: Đảng bộ xã Mẫu\n"
            "- name: Chi bộ Đồng Tâm\n  parent: Đảng bộ xã Mẫu\n"
        },
    ),
    "units registry added": lambda p: write_tree(
        p / "content",
        {"units.yaml": "- name: Chi bộ Tân Hòa\n  description: Chi bộ ở xã Tân Hòa.\n"},
    ),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_incremental_build_equals_clean_build(
    scenario: str, built: BuildSite, project: Path
) -> None:
    SCENARIOS[scenario](project)
    same_as_clean(built(), project)


PHOTO_BODY = "Mở đầu.\n\n![Quang cảnh](anh/quang-canh.jpg)\n*Quang cảnh đại hội.*\n"
PHOTO_ARTICLES: dict[str, str | bytes] = {
    "2025/anh-1.md": article(title="Tin có ảnh", date="2025-04-04", body=PHOTO_BODY),
    "2025/anh/quang-canh.jpg": phone_jpeg(1200, 800),
    "2025/anh-2.md": article(
        title="Tin có hai ảnh",
        date="2025-04-05",
        body=PHOTO_BODY + "\nĐoạn sau.\n\n![Biểu trưng](anh/bieu-trung.png)\n",
    ),
    "2025/anh/bieu-trung.png": transparent_png(),
}


def _rename(project: Path) -> None:
    folder = project / "content/2025/anh"
    (folder / "quang-canh.jpg").rename(folder / "toan-canh.jpg")
    for name in ("anh-1.md", "anh-2.md"):
        edit(project, f"2025/{name}", lambda t: t.replace("quang-canh.jpg", "toan-canh.jpg"))


PHOTO_SCENARIOS: dict[str, Callable[[Path], None]] = {
    "photo added": lambda p: write_tree(
        p / "content",
        {
            "2025/anh-3.md": article(title="Tin ảnh mới", body="Mở đầu.\n\n![Mới](moi.jpg)\n"),
            "2025/moi.jpg": phone_jpeg(900, 900, seed=5),
        },
    ),
    "photo replaced": lambda p: write_tree(
        p / "content", {"2025/anh/quang-canh.jpg": phone_jpeg(1400, 700, seed=9)}
    ),
    "photo deleted": lambda p: (
        edit(p, "2025/anh-2.md", lambda t: t.replace("![Biểu trưng](anh/bieu-trung.png)", "")),
        (p / "content/2025/anh/bieu-trung.png").unlink(),
    ),
    "photo renamed": _rename,
    "caption changed": lambda p: edit(
        p, "2025/anh-1.md", lambda t: t.replace("Quang cảnh đại hội.", "Toàn cảnh.")
    ),
    "lead photo chosen": lambda p: edit(
        p, "2025/anh-2.md", lambda t: t.replace("---\n\n", "image: anh/bieu-trung.png\n---\n\n")
    ),
    "sizes setting changed": lambda p: (p / "archive.yaml").write_text(
        "search_part_size: 2\nimage_widths: [300, 700]\n", encoding="utf-8"
    ),
}


@pytest.mark.parametrize("scenario", PHOTO_SCENARIOS)
def test_incremental_build_with_photos_equals_clean_build(
    scenario: str, built: BuildSite, project: Path
) -> None:
    first = built(PHOTO_ARTICLES)
    assert first.code == 0, first.err
    PHOTO_SCENARIOS[scenario](project)
    same_as_clean(built(), project)


def test_layout_change_reaches_every_page(
    built: BuildSite, project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # a private copy of the layouts, edited: every page must follow
    layouts = tmp_path_factory.mktemp("layouts")
    for source in (project / "layouts").iterdir():
        (layouts / source.name).write_bytes(source.read_bytes())
    base = layouts / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "Ghi chú</footer>"))
    (project / "layouts").unlink()
    (project / "layouts").symlink_to(layouts)
    result = built()
    same_as_clean(result, project)
    assert "Ghi chú</footer>" in result.page("/2025/")


def test_one_edit_renders_few_pages_and_reindexes_one_part(built: BuildSite, project: Path) -> None:
    edit(project, "2025/tin-3.md", lambda t: t + "\nMột câu thêm.\n")
    result = built()
    rendered = re.search(r"render .*?(\d+) pages rendered, (\d+) unchanged", result.out)
    # the article, and the search page, which names the index record the edit replaced
    assert rendered and int(rendered[1]) == 2 and int(rendered[2]) >= 20, result.out
    assert re.search(r"search .* 1 of \d+ index parts rebuilt", result.out), result.out


def test_edits_stay_small_after_a_build_that_changed_every_key(
    built: BuildSite, project: Path
) -> None:
    """A settings change gives every page a new key (not new bytes); the
    builds after it must still know which files they kept (the previous
    generation holds older copies of the same bytes)."""
    (project / "archive.yaml").write_text("search_part_size: 2\nfeed_size: 5\n", "utf-8")
    assert built().code == 0
    for number in (3, 4, 7):
        edit(project, f"2025/tin-{number}.md", lambda t: t + "\nMột câu thêm.\n")
        result = built()
        rendered = re.search(r"render .*?(\d+) pages rendered", result.out)
        assert rendered and int(rendered[1]) == 2, result.out  # the article and the search page
        assert re.search(r"search .* 1 of \d+ index parts rebuilt", result.out), result.out
    same_as_clean(result, project)


def test_no_change_does_nothing_and_touches_nothing(built: BuildSite, project: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (project / "site").rglob("*")}
    result = built()
    assert result.code == 0
    assert "Nothing changed" in result.out
    assert {p: p.stat().st_mtime_ns for p in (project / "site").rglob("*")} == before


def test_a_changed_published_file_is_rewritten(built: BuildSite, project: Path) -> None:
    page = project / "site/2025/index.html"
    page.write_text("sửa tay", encoding="utf-8")
    result = built()
    assert "Nothing changed" not in result.out
    same_as_clean(result, project)


def test_a_photo_file_removed_from_the_site_is_put_back(built: BuildSite, project: Path) -> None:
    assert built(PHOTO_ARTICLES).code == 0
    removed = next((project / "site/anh").glob("*/*-thumb.webp"))
    removed.unlink()
    result = built()
    assert "Nothing changed" not in result.out
    assert removed.is_file()
    same_as_clean(result, project)
    # the damaged folder is now the previous generation, which the next build updates
    edit(project, "2025/anh-1.md", lambda t: t + "\nMột câu thêm.\n")
    same_as_clean(built(), project)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "folder removed"])
def test_damaged_cache_is_ignored(damage: str, built: BuildSite, project: Path) -> None:
    database = project / ".archive-cache/build.sqlite"
    for extra in (".archive-cache/build.sqlite-wal", ".archive-cache/build.sqlite-shm"):
        (project / extra).unlink(missing_ok=True)
    if damage == "garbage":
        database.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        data = database.read_bytes()
        database.write_bytes(data[: len(data) // 3])
    elif damage == "empty":
        database.write_bytes(b"")
    else:
        for path in sorted((project / ".archive-cache").rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    edit(project, "2025/tin-3.md", lambda t: t + "\nMột câu thêm.\n")
    result = built()
    assert "Traceback" not in result.err
    same_as_clean(result, project)


def test_damaged_cache_entries_are_parsed_again(built: BuildSite, project: Path) -> None:
    with sqlite3.connect(project / ".archive-cache/build.sqlite") as db:
        db.execute("UPDATE parsed SET record = '{\"source\": 1}'")
        db.execute("UPDATE parsed SET html = ''")
    (project / "site").rename(project / "old-site")  # every page must be made again
    result = built()
    same_as_clean(result, project)
    assert "Sáng nay, chi bộ số 4" in result.page("/2025/hoi-nghi-chi-bo-so-4/")


def test_damaged_rendered_body_is_noticed(built: BuildSite, project: Path) -> None:
    with sqlite3.connect(project / ".archive-cache/build.sqlite") as db:
        db.execute("UPDATE parsed SET html = '<p>hỏng</p>'")
    (project / "site").rename(project / "old-site")  # every page must be made again
    result = built()
    assert "hỏng" not in result.page("/2025/hoi-nghi-chi-bo-so-4/")
    same_as_clean(result, project)


# --- the search index: base parts kept, what changed in a part of its own -------


def index_parts(site: Path) -> list[str]:
    return sorted((p.name for p in (site / "pagefind").iterdir()), key=int)


def replaced_ids(result: Result) -> list[str]:
    found = re.search(r'data-replaced="([^"]*)"', result.page("/tim-kiem/"))
    assert found, "the search page names no replaced records"
    return found[1].split()


def test_an_edit_goes_into_a_small_part_and_replaces_the_old_record(
    built: BuildSite, project: Path
) -> None:
    before = index_parts(project / "site")
    edit(project, "2025/tin-3.md", lambda t: t + "\nMột câu thêm.\n")
    (project / "content/2025/tin-5.md").unlink()
    result = built()
    # no base part indexed again: one new part holds the edited article alone
    assert re.search(r"search .* 1 of \d+ index parts rebuilt", result.out), result.out
    after = index_parts(result.site)
    assert after[:-1] == before and int(after[-1]) > int(before[-1])
    delta = list((result.site / "pagefind" / after[-1] / "fragment").iterdir())
    assert len(delta) == 1
    # the edited article's old record and the deleted one's
    assert len(replaced_ids(result)) == 2
    records = search_records(result.site)
    assert "/2025/dai-hoi-chi-bo-so-5/" not in records
    assert "Một câu thêm." in records["/2025/dai-hoi-chi-bo-so-3/"]["content"]
    same_as_clean(result, project)


def test_a_second_edit_of_the_same_article_replaces_it_once(
    built: BuildSite, project: Path
) -> None:
    for text in ("\nMột câu thêm.\n", "\nCâu thứ hai.\n"):
        edit(project, "2025/tin-3.md", lambda t, text=text: t + text)
        result = built()
    assert len(replaced_ids(result)) == 1
    assert "Câu thứ hai." in search_records(result.site)["/2025/dai-hoi-chi-bo-so-3/"]["content"]
    same_as_clean(result, project)


def test_undoing_an_edit_brings_the_base_record_back(built: BuildSite, project: Path) -> None:
    path = project / "content/2025/tin-3.md"
    original = path.read_text(encoding="utf-8")
    edit(project, "2025/tin-3.md", lambda t: t + "\nMột câu thêm.\n")
    built()
    path.write_text(original, encoding="utf-8")
    result = built()
    assert replaced_ids(result) == []
    same_as_clean(result, project)
    # the delta is gone with the change it held: the parts are those of a clean build
    assert index_parts(result.site) == index_parts(project / "clean")


MANY = {
    f"2024/bai-{i}.md": article(
        title=f"Tin số {i} của chi bộ",
        date=f"2024-0{1 + i % 9}-1{i % 10}",
        body=f"Chi bộ họp lần thứ {i} bàn công tác đảng viên.",
    )
    for i in range(40)
}


def test_a_base_part_is_indexed_again_when_much_of_it_changed(
    build_site: BuildSite, project: Path
) -> None:
    """One part of 40 articles: a few edits go into the delta; more than
    parts.STALE_MIN of them make the build index the base part again."""
    assert build_site(MANY).code == 0
    assert index_parts(project / "site") == ["0"]
    for i in range(3):
        edit(project, f"2024/bai-{i}.md", lambda t: t + "\nThêm.\n")
    few = build_site()
    assert index_parts(few.site) == ["0", "1"] and len(replaced_ids(few)) == 3
    for i in range(3, 3 + STALE_MIN):
        edit(project, f"2024/bai-{i}.md", lambda t: t + "\nThêm.\n")
    many = build_site()
    assert index_parts(many.site) == ["0"] and replaced_ids(many) == []
    assert "1 of 1 index parts rebuilt" in many.out
    same_as_clean(many, project)


def test_without_its_record_in_the_cache_a_base_part_is_indexed_again(
    built: BuildSite, project: Path
) -> None:
    import shutil

    shutil.rmtree(project / ".archive-cache" / "parts")
    edit(project, "2025/tin-3.md", lambda t: t + "\nMột câu thêm.\n")
    result = built()
    assert replaced_ids(result) == []
    same_as_clean(result, project)


@pytest.mark.parametrize(
    ("articles", "parts"),
    [(0, 1), (2001, 1), (10_000, 1), (12_500, 1), (12_501, 2), (25_001, 4), (100_000, 8)],
)
def test_base_parts_are_few(articles: int, parts: int) -> None:
    """Readers pay for every part: one up to 12,500 articles, then as many
    as 12,500 each needs, a power of two."""
    settings = Settings()
    assert part_count(articles, settings.search_part_size, settings.search_min_parts) == parts


def test_a_damaged_record_of_a_part_makes_the_build_index_it_again(
    built: BuildSite, project: Path
) -> None:
    for record in (project / ".archive-cache" / "parts").glob("*/pages.json"):
        record.write_text('{"primary": true, "pages": {"/x/": "truncat', encoding="utf-8")
    edit(project, "2025/tin-3.md", lambda t: t + "\nMột câu thêm.\n")
    result = built()
    assert result.code == 0, result.err
    assert replaced_ids(result) == []
    same_as_clean(result, project)
