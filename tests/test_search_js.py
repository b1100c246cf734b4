"""The search page's `fold` (assets/js/search.js) agrees with Python's.

The build folds words in Python (slugs, the hidden `fold` metadata that lets
"dang uy" find "Đảng ủy"); the search page folds what the reader types and
compares it with that metadata and with the excerpt's words. Where the two
folds differ, a result is dropped or a word goes unmarked. The JavaScript runs
as the reader gets it: the module the built search page loads, in headless
Chromium.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from helpers import article, build_project, write_tree
from playwright.sync_api import Browser, Page
from webtools import served

from generator.vietnamese import fold


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


WORDS = [
    # case, đ/Đ
    "Đảng ủy",
    "đảng ủy",
    "ĐẢNG ỦY",
    "đ",
    "Đ",
    "ĐĐ đđ Đđ",
    "Đắk Lắk",
    # old and new tone placement
    "Đảng uỷ",
    "ĐẢNG UỶ",
    "Ủy ban",
    "Uỷ ban",
    "thuỷ lợi",
    "thủy lợi",
    "hoà",
    "hòa",
    "Hoà Bình",
    "HÒA BÌNH",
    # words of the archive
    "Nghị quyết",
    "NGHỊ QUYẾT",
    "Trung ương",
    "nhiệm kỳ",
    "Nhiệm Kỳ",
    "Hội đồng",
    "HỘI ĐỒNG",
    "Quốc hội",
    "Tổng Bí thư",
    "Ban Chấp hành",
    "Mặt trận Tổ quốc",
    "Nguyễn Phú Trọng",
    "Bà Rịa – Vũng Tàu",
    # decomposed input (Word, some keyboards)
    nfd("Đảng ủy"),
    nfd("Nghị quyết Trung ương"),
    nfd("Hội đồng nhân dân"),
    nfd("HOÀ BÌNH"),
    # combining marks typed one by one, in and out of canonical order
    "u\u031b\u0300",  # ừ
    "o\u0302\u0323",  # ộ
    "o\u0323\u0302",  # ộ, dot first
    "a\u0306\u0301",  # ắ
    "E\u0302\u0303",  # Ễ
    "Đa\u0309ng u\u0309y",  # precomposed Đ, combining hook
    "y\u0301",  # ý
    # digits, punctuation, spaces
    "Nhiệm kỳ 2025–2030",
    "Đại hội XIII (2021)",
    "Số 15-NQ/TW",
    "Quyết định số 123/QĐ-TU",
    "“Đảng ủy”, ngày 20/5/2025.",
    "100% đảng viên!",
    "Chi bộ Ấp 3",
    "",
    " ",
    "\tĐảng  ủy\n",
]


@pytest.fixture(scope="module")
def search_page(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    """The built search page of a one-article archive, with its module loaded."""
    base = tmp_path_factory.mktemp("fold")
    write_tree(base / "content", {"2025/dai-hoi.md": article()})
    site = build_project(base / "project", base / "content")
    page = browser.new_page()
    with served(site) as url:
        page.goto(url + "/tim-kiem/")
        page.wait_for_function(
            "() => document.getElementById('search-status').dataset.state === 'idle'"
        )
        yield page
    page.close()


def js_fold(page: Page, text: str) -> str:
    # the page's own module: importing its URL again gives the loaded instance
    return str(
        page.evaluate(
            """async (text) => {
                const { fold } = await import(document.getElementById("search-script").src);
                return fold(text);
            }""",
            text,
        )
    )


@pytest.mark.parametrize("text", WORDS)
def test_javascript_fold_agrees_with_python(search_page: Page, text: str) -> None:
    assert js_fold(search_page, text) == fold(text)


ARTICLE_TEXT = "Chiều 20/8/2022, Chi bộ bầu Bí thư. Đồng chí A phát biểu. Đại hội bế mạc."


@pytest.mark.parametrize(
    ("excerpt", "shown"),
    [
        ("Chiều 20/8/2022, Chi bộ bầu Bí thư.", "Chiều 20/8/2022, Chi bộ bầu Bí thư. …"),
        ("Đồng chí A phát biểu.", "… Đồng chí A phát biểu. …"),
        ("Đồng chí A phát biểu. Đại hội bế mạc.", "… Đồng chí A phát biểu. Đại hội bế mạc."),
        (ARTICLE_TEXT, ARTICLE_TEXT),
        ("Chi bộ &amp; <b>Đảng ủy</b>", "… Chi bộ & Đảng ủy …"),  # HTML read as text
    ],
)
def test_an_excerpt_shows_where_it_cuts_the_article(
    search_page: Page, excerpt: str, shown: str
) -> None:
    got = search_page.evaluate(
        """async ([excerpt, content]) => {
            const { plainExcerpt } = await import(document.getElementById("search-script").src);
            return plainExcerpt({ plain_excerpt: excerpt, content });
        }""",
        [excerpt, ARTICLE_TEXT.replace(". ", ".\n  ")],  # Pagefind's spacing may differ
    )
    assert got == shown
