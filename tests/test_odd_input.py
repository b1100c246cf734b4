"""Odd but valid input builds, and the build touches nothing but its output.

File names with spaces and Vietnamese letters, empty bodies, very long titles,
a 5 MB article, articles from 1930, unit names that differ only in case, tone
placement or invisible characters, and symbolic links in content/.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import pytest
from helpers import BuildSite, article, article_links, write_tree

from generator.content import load as prepared
from generator.content.files import article_files
from generator.errors import BuildError
from generator.infra import cache
from generator.infra.files import display_path
from generator.site.articles import check_addresses
from generator.vietnamese import slugify


def test_file_names_with_spaces_and_vietnamese_letters(build_site: BuildSite) -> None:
    result = build_site(
        {
            "2025/Bài viết số 1 – Đại hội.md": article(title="Bài số một"),
            "Tháng 6/đại hội (bản cuối).md": article(title="Bài số hai", date="2025-06-17"),
            "2025/bài lỗi.md": article(title="Bài lỗi", date="2025-13-45"),
        }
    )
    assert result.code == 1
    assert "content/2025/bài lỗi.md:5: date '2025-13-45' is not a valid date" in result.err
    result = build_site({"2025/bài lỗi.md": article(title="Bài đã sửa")})
    assert result.code == 0, result.err
    for url in ["/2025/bai-so-mot/", "/2025/bai-so-hai/", "/2025/bai-da-sua/"]:
        assert result.exists(url), url


def test_an_empty_body_is_a_warning_and_a_page(build_site: BuildSite) -> None:
    result = build_site(
        {"a.md": article(title="Chưa có nội dung", body=""), "b.md": article(date="2025-01-01")}
    )
    assert result.code == 0, result.err
    assert "content/a.md:6: the article has no text yet" in result.err
    html = result.page("/2025/chua-co-noi-dung/")
    assert "<h1>Chưa có nội dung</h1>" in html
    assert article_links(result.page("/"))[0] == "/2025/chua-co-noi-dung/"


def test_an_archive_of_only_empty_articles_builds(build_site: BuildSite) -> None:
    result = build_site({"a.md": article(title="Chưa có nội dung", body="")})
    assert result.code == 0, result.err
    assert result.exists("/2025/chua-co-noi-dung/")
    assert 'data-bundle=""' in result.page("/tim-kiem/")  # nothing to search yet


def test_a_2000_character_title_gets_a_short_address(build_site: BuildSite) -> None:
    words = "Đại hội đại biểu Đảng bộ xã Đồng Tâm lần thứ XXIII nhiệm kỳ 2025 – 2030 "
    title = (words * 40)[:2000].strip()
    result = build_site({"a.md": article(title=title)})
    assert result.code == 0, result.err
    [url] = article_links(result.page("/"))
    slug = url.split("/")[2]
    whole = slugify(title, max_length=len(title))
    assert len(slug) <= 80 and whole.startswith(slug)
    assert whole[len(slug)] == "-"  # cut between words, never inside one
    html = result.page(url)
    assert f"<h1>{title}</h1>" in html and f"<title>{title} – " in html


def test_a_5_mb_article_builds_in_reasonable_time(build_site: BuildSite) -> None:
    paragraph = "Đại hội đã thảo luận, đóng góp ý kiến vào dự thảo văn kiện của cấp trên. " * 10
    body = "\n\n".join(f"## Phần {n}\n\n{paragraph}" for n in range(6_500))
    assert len(body.encode()) > 5_000_000
    started = time.perf_counter()
    result = build_site({"lon.md": article(title="Biên bản đầy đủ", body=body + "\n\nHẾT.")})
    seconds = time.perf_counter() - started
    assert result.code == 0, result.err
    html = result.page("/2025/bien-ban-day-du/")
    assert html.count("<h2>Phần") == 6_500 and "<p>HẾT.</p>" in html
    assert seconds < 60, seconds


def test_articles_from_1930(build_site: BuildSite) -> None:
    result = build_site(
        {
            "1930/a.md": article(title="Hội nghị thành lập", date="3/2/1930", term="1930-1935"),
            "2025/b.md": article(),
        },
        "--base-url",
        "https://example.org/",
    )
    assert result.code == 0, result.err
    assert result.exists("/1930/hoi-nghi-thanh-lap/") and result.exists("/nhiem-ky/1930-1935/")
    assert "Thứ Hai, 3/2/1930" in result.page("/1930/hoi-nghi-thanh-lap/")
    assert article_links(result.page("/don-vi/chi-bo-tan-hoa/"))[-1] == "/1930/hoi-nghi-thanh-lap/"
    assert "<lastmod>1930-02-03</lastmod>" in result.page("/sitemap.xml")


@pytest.mark.parametrize(
    "spellings",
    [
        ["Chi bộ Tân Hòa", "Chi bộ Tân Hoà", "chi bộ tân hòa"],  # tone placement, case
        [
            "Chi bộ\u00a0Tân Hòa",
            "Chi bộ Tân\u200b Hòa",
            "\ufeffChi bộ  Tân Hòa\u200b",
        ],  # invisibles
        ["CHI BỘ TÂN HÒA", "Chi bộ Tân Hòa", "chi bộ tân hoà"],
    ],
    ids=["case-and-tones", "invisible-characters", "all-capitals"],
)
def test_one_unit_however_it_is_written(build_site: BuildSite, spellings: list[str]) -> None:
    files = {
        f"{n}.md": article(title=f"Bài {n}", unit=name, date=f"2025-05-2{n}")
        for n, name in enumerate(spellings)
    }
    result = build_site(files)
    assert result.code == 0, result.err
    units = result.page("/don-vi/")
    assert re.findall(r'href="/don-vi/([^/"]+)/"', units) == ["chi-bo-tan-hoa"]
    page = result.page("/don-vi/chi-bo-tan-hoa/")
    assert len(article_links(page)) == 3
    assert "<h1>Chi bộ Tân Hòa</h1>" in page or "<h1>Chi bộ Tân Hoà</h1>" in page


def test_invisible_characters_leave_titles_and_authors(build_site: BuildSite) -> None:
    result = build_site(
        {
            "a.md": article(
                title="\u200bĐại\u00a0hội\ufeff Chi bộ Tân Hòa\u200b",
                author='"Hằng\u00a0Mến\u200b"',
                tags="[đại\u200b hội, đại hội]",
            )
        }
    )
    assert result.code == 0, result.err
    html = result.page("/2025/dai-hoi-chi-bo-tan-hoa/")
    assert "<h1>Đại hội Chi bộ Tân Hòa</h1>" in html
    assert '<dd class="author">Hằng Mến</dd>' in html
    assert html.count('<li class="tag">') == 1
    assert not re.search("[\u200b\ufeff\u00a0]", html)


def test_addresses_differing_only_in_case_are_refused() -> None:
    # Every slug is lower-case ASCII today; the check guards the day that changes.
    for url in ["/2025/a/", "/2025/dai-hoi-chi-bo/", "/don-vi/chi-bo-tan-hoa/"]:
        assert url == url.lower()
    with pytest.raises(BuildError) as raised:
        check_addresses([("/2025/Dai-hoi/", "content/b.md"), ("/2025/dai-hoi/", "content/a.md")])
    assert [str(p) for p in raised.value.problems] == [
        "content/b.md:1: the address /2025/Dai-hoi/ differs from /2025/dai-hoi/ (content/a.md)"
        " only in upper/lower case; they would be one file on many disks and hosts"
    ]


def test_symbolic_links_leading_out_of_content_are_refused(
    build_site: BuildSite, project: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(article(title="Bí mật"), encoding="utf-8")
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "x.md").write_text(article(title="Bài ngoài"), encoding="utf-8")
    content = project / "content"
    (content / "2025").mkdir()
    (content / "2025" / "bi-mat.md").symlink_to(secret)
    (content / "ngoai").symlink_to(outside)
    result = build_site({"2025/a.md": article()})
    assert result.code == 1
    assert (
        f"content/2025/bi-mat.md: is a link to {secret.resolve().as_posix()}, outside content/;"
        " copy the file instead"
    ) in result.err
    assert (
        f"content/ngoai: is a link to {outside.resolve().as_posix()}, outside content/;"
        " copy the folder instead"
    ) in result.err
    assert not (project / "site").exists()


def test_symbolic_links_inside_content(build_site: BuildSite, project: Path) -> None:
    content = project / "content"
    (content / "_ban-goc").mkdir()
    (content / "_ban-goc" / "bai.txt").write_text(article(title="Bài qua liên kết"), "utf-8")
    (content / "2025").mkdir()
    (content / "2025" / "lien-ket.md").symlink_to(Path("..") / "_ban-goc" / "bai.txt")
    result = build_site({"2025/a.md": article()})
    assert result.code == 0, result.err  # a link to a file inside content/ is read
    assert result.exists("/2025/bai-qua-lien-ket/")
    (content / "thu-muc").symlink_to(content / "2025")
    result = build_site()
    assert result.code == 1
    assert (
        "content/thu-muc: is a link to the folder content/2025; links to folders are not"
        " followed: move the folder here instead"
    ) in result.err


def test_a_units_file_leading_out_of_content_is_refused(
    build_site: BuildSite, project: Path, tmp_path: Path
) -> None:
    registry = tmp_path / "units.yaml"
    registry.write_text("- name: Chi bộ Tân Hòa\n", encoding="utf-8")
    (project / "content" / "units.yaml").symlink_to(registry)
    result = build_site({"a.md": article()})
    assert result.code == 1
    assert (
        f"content/units.yaml: is a link to {registry.resolve().as_posix()}, outside content/;"
        " copy the file instead"
    ) in result.err


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file and folder under folder: content hash (files), mtime, mode."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[path.relative_to(folder).as_posix()] = (digest, info.st_mtime_ns, info.st_mode)
    return found


def test_a_build_never_changes_the_content_or_writes_outside_its_output(
    build_site: BuildSite, project: Path
) -> None:
    files: dict[str, str | bytes] = {
        "units.yaml": "- name: Chi bộ Tân Hòa\n  aliases: [CB Tân Hòa]\n",
        "2025/a.md": article(body="Nội dung\r\ncó dòng kiểu Windows."),
        "2025/b.md": "\ufeff" + article(title="Bài có BOM", unit="CB Tân Hòa"),
        "2024/c d.md": article(title="Bài\u200b có ký tự ẩn\u0007", date="2024-01-01"),
    }
    result = build_site(files)
    assert result.code == 0, result.err
    before = snapshot(project / "content")
    outside = [name for name in os.listdir(project) if not name.startswith(".site")]
    for args in [(), (), ("--out", "public"), ("--strict",)]:  # fresh, cached, elsewhere
        build_site({}, *args)
    (project / "content" / "2025" / "loi.md").write_text(article(date="x"), encoding="utf-8")
    assert build_site().code == 1  # a failed build touches nothing either
    (project / "content" / "2025" / "loi.md").unlink()
    after = snapshot(project / "content")
    after.pop("2025")  # the folder's mtime: the test removed a file from it
    before.pop("2025")
    assert after == before
    # the build's own staging folders beside its output (.site-…, .public-…) aside
    made = {name for name in os.listdir(project) if not name.startswith((".site", ".public"))}
    assert made == {*outside, "public"}


@pytest.mark.parametrize(
    ("work", "given"),
    [
        ("", "content"),
        ("", "ABS/content"),
        ("content", "."),
        ("other", "../content"),
        ("content/2025", ".."),
        ("content/2025", "ABS/content"),
        ("other", "ABS/content"),
    ],
)
def test_files_are_named_the_same_from_any_working_folder(
    work: str, given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Messages name a file by its path from the working folder, wherever the
    content folder is given from (the scan shortens that work for 10,000 files)."""
    write_tree(tmp_path / "content", {"2025/a.md": article(), "2025/b c.md": article()})
    (tmp_path / "other").mkdir()
    monkeypatch.chdir(tmp_path / work)
    folder = Path(given.replace("ABS", str(tmp_path)))
    parsing = prepared.Parsing("Asia/Ho_Chi_Minh", "/")
    files = prepared.scan(folder, parsing, cache.Cache(None))
    assert files is not None
    shown = [name for name, _ in files]
    assert shown == [display_path(p) for p in article_files(folder)]
    assert all(Path(name).resolve().is_file() for name in shown)
