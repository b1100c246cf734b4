"""Search as a reader uses it: typed into the search page in headless Chromium.

The fixture archive is tests/fixtures/search/content; the table of queries and
the articles each must (and must not) return is tests/fixtures/search/queries.yaml.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from helpers import article, build_project, run_cli, write_tree
from playwright.sync_api import Browser, Page, Route
from webtools import served

FIXTURE = Path(__file__).parent / "fixtures" / "search"
QUERIES: list[dict[str, Any]] = yaml.safe_load((FIXTURE / "queries.yaml").read_text("utf-8"))


# Words that would change the table's answers if a record the search page must
# drop were shown: written into some articles for the first of two builds.
STALE = "\n\nĐại hội Đảng ủy Tân Hòa bàn về khoai lang và covid.\n"
CHANGED = ("doan-thanh-nien.md", "hoa-lu.md", "tan-hoa-hoi-nghi.md", "uong-bi.md")


@pytest.fixture(
    scope="module",
    params=[0, 2, "delta"],
    ids=["one index", "index in parts of 2", "parts of 2 and what changed since"],
)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture archive, indexed whole and in parts of two articles (as a
    large archive is: results merged from every part, dates sorted across them),
    and in parts of two built first from other versions of some articles and
    one article more, then again from the fixture: the parts hold the old
    records, which the search page must drop, and the new ones are in a part of
    their own (search.parts)."""
    project = tmp_path_factory.mktemp("search")
    if request.param:
        (project / "archive.yaml").write_text("search_part_size: 2\n")
    if request.param == "delta":
        first = tmp_path_factory.mktemp("first-version")
        shutil.copytree(FIXTURE / "content", first, dirs_exist_ok=True)
        for name in CHANGED:
            with (first / name).open("a", encoding="utf-8") as stream:
                stream.write(STALE)
        (first / "cu.md").write_text(
            (first / "tan-hoa-dai-hoi.md")
            .read_text(encoding="utf-8")
            .replace("slug: tan-hoa-dai-hoi", "slug: cu-da-xoa"),
            encoding="utf-8",
        )
        build_project(project, first)
        shutil.rmtree(project / "content")
        shutil.copytree(FIXTURE / "content", project / "content")
        site = project / "site"
        result = run_cli("build", cwd=project)
        assert result.returncode == 0, result.stderr
        page = (site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
        assert len(re.search(r'data-replaced="([^"]*)"', page)[1].split()) == len(CHANGED) + 1
    else:
        site = build_project(project, FIXTURE / "content")
    parts = sorted(p.name for p in (site / "pagefind").iterdir())
    assert len(parts) == (1 if not request.param else len(parts)) and len(parts) >= 1
    if request.param:
        assert len(parts) >= 4, parts
    with served(site) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def wait_for_results(page: Page, query: str) -> list[str]:
    shown = " ".join(unicodedata.normalize("NFC", query).split())
    page.wait_for_function(
        """(shown) => {
            const status = document.getElementById("search-status");
            return status.dataset.state === "done" && status.textContent.includes(shown);
        }""",
        arg=shown,
        timeout=15000,
    )
    hrefs = page.locator(".search-results .card-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def search(
    page: Page, site: str, query: str, filters: dict[str, str] | None = None, sort: str = ""
) -> list[str]:
    """Open the search page, choose filters, type the query as a reader does."""
    page.goto(site + "/tim-kiem/")
    for name, value in (filters or {}).items():
        page.locator(f'select[name="{name}"]').select_option(value)
    if sort:
        page.locator('select[name="sort"]').select_option(sort)
    page.locator("#q").press_sequentially(query)
    return wait_for_results(page, query)


def test_query_table_has_enough_cases() -> None:
    assert len(QUERIES) >= 30


@pytest.mark.parametrize(
    "case", QUERIES, ids=lambda c: f"{c['query']}|{c.get('filters', '')}|{c.get('sort', '')}"
)
def test_query_table(page: Page, site: str, case: dict[str, Any]) -> None:
    query = case["query"]
    if case.get("nfd"):
        query = unicodedata.normalize("NFD", query)
    found = search(page, site, query, case.get("filters"), case.get("sort", ""))
    must = case.get("must", [])
    assert set(must) <= set(found), f"missing {set(must) - set(found)}; got {found}"
    assert not set(case.get("must_not", [])) & set(found), found
    if case.get("exactly"):
        assert sorted(found) == sorted(must)
    if case.get("ordered"):
        assert found == must
    if "top" in case:
        assert sorted(found[: len(case["top"])]) == sorted(case["top"]), found


def test_results_show_title_date_unit_and_excerpt_in_original_spelling(
    page: Page, site: str
) -> None:
    found = search(page, site, "dang uy dong tam")
    assert found == ["dong-tam-dai-hoi"]
    card = page.locator(".search-results .card").first
    assert (
        card.locator(".card-title").inner_text()
        == "Đại hội Đảng bộ xã Đồng Tâm nhiệm kỳ 2025 – 2030"
    )
    assert card.locator(".meta").inner_text() == "27/6/2025 · Đảng bộ xã Đồng Tâm"
    marks = {mark.lower() for mark in card.locator(".excerpt mark").all_inner_texts()}
    assert {"đồng", "tâm", "đảng"} <= marks
    assert not marks & {"dang", "dong", "uy"}
    excerpt = card.locator(".excerpt").inner_text()
    assert "Đồng Tâm" in excerpt and "đảng viên" in excerpt
    assert excerpt.startswith("… ") and excerpt.endswith(" …")  # cut from mid-text


@pytest.mark.parametrize("query", ["Tân Hoà", "dai hoi"])
def test_a_slow_phone_typing_during_start_up_gets_each_result_once(
    browser: Browser, page: Page, site: str, query: str
) -> None:
    """CPU slowed 6x (DevTools), the query typed while the page is still
    loading: every keystroke starts a search before the parts are merged."""
    expected = search(page, site, query)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    slow = context.new_page()
    context.new_cdp_session(slow).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    slow.goto(site + "/tim-kiem/", wait_until="commit")
    slow.locator("#q").press_sequentially(query, delay=20)
    found = wait_for_results(slow, query)
    context.close()
    assert found == expected and len(set(found)) == len(found), found


def test_what_a_reader_types_before_the_script_arrives_is_kept(
    browser: Browser, page: Page, site: str
) -> None:
    """On a slow network the form shows before search.js arrives; the words
    typed and the filter chosen meanwhile are searched, not wiped."""
    expected = search(page, site, "dai hoi", {"year": "2025"})
    context = browser.new_context(viewport={"width": 390, "height": 844})
    slow = context.new_page()
    held: list[Route] = []
    slow.route(re.compile(r".*/search[^/]*\.js$"), lambda route: held.append(route))
    slow.goto(site + "/tim-kiem/", wait_until="commit")
    slow.locator("#search-status").wait_for(state="attached")
    slow.locator('select[name="year"]').select_option("2025")
    slow.locator("#q").press_sequentially("dai hoi")
    assert len(held) == 1
    held[0].continue_()
    found = wait_for_results(slow, "dai hoi")
    url = slow.url
    context.close()
    assert found == expected and found
    assert "q=dai+hoi" in url and "year=2025" in url


@pytest.fixture(scope="module")
def names_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The table's articles and one more that holds a name's syllables apart."""
    base = tmp_path_factory.mktemp("names")
    shutil.copytree(FIXTURE / "content", base / "content")
    apart = "Ông Nguyễn Văn Tư kể lại. Mạnh dạn đổi mới, chi bộ được Huấn luyện viên khen."
    write_tree(base / "content", {"2025/apart.md": article(title="Chuyện ở Tân Hòa", body=apart)})
    with served(build_project(base / "project", base / "content")) as url:
        yield url


def test_a_full_name_finds_the_articles_that_name_the_person(page: Page, names_site: str) -> None:
    """Typed without diacritics, the name is looked up whole: the article
    that holds its syllables apart is not among the results, and the reader
    may still ask for the words one by one."""
    assert search(page, names_site, "nguyen manh huan") == ["htqt-bau-bi-thu"]
    status = page.locator("#search-status")
    assert "nhắc đến “nguyen manh huan”" in status.inner_text()
    excerpt = page.locator(".search-results .excerpt").first
    assert "Đồng chí Nguyễn Mạnh Huấn ghi nhận" in excerpt.inner_text()
    assert excerpt.locator("mark").all_inner_texts() == ["Nguyễn", "Mạnh", "Huấn"]
    status.get_by_role("link", name="Tìm theo từng từ").click()
    found = wait_for_results(page, "nguyen manh huan")
    assert sorted(found) == ["chuyen-o-tan-hoa", "htqt-bau-bi-thu"]
    assert "bài viết cho “nguyen manh huan”" in status.inner_text()
    assert "theo=tu" in page.url
    page.reload()  # the address keeps the choice
    assert sorted(wait_for_results(page, "nguyen manh huan")) == [
        "chuyen-o-tan-hoa",
        "htqt-bau-bi-thu",
    ]


def test_header_box_on_every_page_leads_to_search(page: Page, site: str) -> None:
    page.goto(site + "/2025/ngoai-vu-dai-hoi/")
    page.locator("#tim-nhanh").press_sequentially("hoang van xo")
    page.locator("#tim-nhanh").press("Enter")
    assert wait_for_results(page, "hoang van xo") == ["htqt-bau-bi-thu"]
    assert "/tim-kiem/?q=hoang+van+xo" in page.url
    assert page.locator("#q").input_value() == "hoang van xo"


def test_a_search_link_with_filters_works(page: Page, site: str) -> None:
    page.goto(
        site
        + "/tim-kiem/?q="
        + quote("dai hoi")
        + "&unit="
        + quote("Chi bộ Tân Hòa")
        + "&sort=date"
    )
    assert wait_for_results(page, "dai hoi") == ["tan-hoa-dai-hoi"]
    assert page.locator('select[name="unit"]').input_value() == "Chi bộ Tân Hòa"
    assert page.locator('select[name="sort"]').input_value() == "date"


def test_changing_a_filter_updates_results_and_address(page: Page, site: str) -> None:
    assert len(search(page, site, "dai hoi")) == 3
    page.locator('select[name="year"]').select_option("2025")
    page.locator('select[name="unit"]').select_option("Đảng bộ xã Đồng Tâm")
    page.wait_for_function("() => document.querySelectorAll('.search-results .card').length === 1")
    assert wait_for_results(page, "dai hoi") == ["dong-tam-dai-hoi"]
    assert "year=2025" in page.url and "unit=" in page.url


def test_filter_only_browsing_does_not_download_the_index(page: Page, site: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site + "/tim-kiem/?unit=" + quote("Chi bộ Tân Hòa"))
    page.wait_for_function(
        "() => document.getElementById('search-status').dataset.state === 'idle'"
    )
    assert not [url for url in requests if "/pagefind/" in url]
    link = page.locator("#search-status a")
    assert link.inner_text() == "Chi bộ Tân Hòa"
    link.click()
    assert page.url.endswith("/don-vi/chi-bo-tan-hoa/")


def test_nothing_found_says_so(page: Page, site: str) -> None:
    assert search(page, site, "khoai lang") == []
    assert "Không tìm thấy bài viết nào" in page.locator("#search-status").inner_text()


def test_only_articles_are_indexed(page: Page, site: str) -> None:
    # "Đơn vị" and "Nhiệm kỳ" are on every index page and in the navigation, never in an article body
    assert search(page, site, "lưu trữ") == []
    found = search(page, site, "Tìm kiếm")
    assert found == []


def test_search_works_under_a_base_path(browser: Browser, tmp_path: Path) -> None:
    """A site published at https://host/luu-tru/ finds and links its articles there."""
    site = build_project(
        tmp_path, FIXTURE / "content", "--base-url", "https://example.org/luu-tru/"
    )
    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "luu-tru").symlink_to(site)
    page = browser.new_page()
    with served(tmp_path / "host") as host:
        page.goto(host + "/luu-tru/tim-kiem/?q=" + quote("vu ngoc quang"))
        assert wait_for_results(page, "vu ngoc quang") == ["ngoai-vu-dai-hoi"]
        link = page.locator(".search-results .card-title a")
        assert link.get_attribute("href") == "/luu-tru/2025/ngoai-vu-dai-hoi/"
        link.click()
        assert page.locator("h1").inner_text().startswith("Chi bộ Sở Ngoại vụ")
    page.close()


def test_a_tag_on_an_article_searches_for_it(page: Page, site: str) -> None:
    page.goto(site + "/2025/ngoai-vu-dai-hoi/")
    page.locator(".tags a", has_text="đối ngoại").click()
    assert wait_for_results(page, "đối ngoại") == ["ngoai-vu-dai-hoi"]


def test_an_archive_without_text_says_there_is_nothing_to_search(
    browser: Browser, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text(
        '---\ntitle: "Chưa có nội dung"\nunit: "Chi bộ A"\nterm: "2025-2030"\n'
        "date: 2025-05-20\n---\n",
        encoding="utf-8",
    )
    site = build_project(tmp_path / "project", content)
    page = browser.new_page()
    with served(site) as url:
        page.goto(url + "/tim-kiem/?q=" + quote("dai hoi"))
        page.wait_for_function(
            "() => document.getElementById('search-status').dataset.state === 'done'"
        )
        assert "chưa có bài viết nào có nội dung" in page.locator("#search-status").inner_text()
    page.close()


def sent(page: Page, site: str, query: str) -> list[str]:
    """Open a search's address, as a link or the header box does (the words are finished)."""
    page.goto(site + "/tim-kiem/?q=" + quote(query))
    return wait_for_results(page, query)


def test_a_sent_search_with_a_word_no_article_has_says_so(page: Page, site: str) -> None:
    """`nghiêng` is in no article; Pagefind alone would match it by the longest
    beginning it has (`nghi`, as in Nghị quyết) and show those articles."""
    assert sent(page, site, "dai hoi nghieng") == []
    assert "không có bài nào chứa “nghieng”" in page.locator("#search-status").inner_text()
    # while it is typed, the last word may be the beginning of one (nghị)
    assert search(page, site, "nghi quyet") != []


@pytest.mark.parametrize("query", ["Đảng ủy Đồng Tâm", "dang uy dong tam", "Hoàng Văn Xô"])
def test_a_sent_search_finds_what_typing_it_finds(page: Page, site: str, query: str) -> None:
    assert sent(page, site, query) == search(page, site, query) != []


def test_a_name_no_article_names_under_the_filters_is_searched_word_by_word(
    page: Page, names_site: str
) -> None:
    """The person is named in 2022 only; in 2025 an article holds the words."""
    assert search(page, names_site, "nguyen manh huan", {"year": "2025"}) == ["chuyen-o-tan-hoa"]
    assert "bài viết cho “nguyen manh huan”" in page.locator("#search-status").inner_text()
