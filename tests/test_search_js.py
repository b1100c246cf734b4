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

from generator.vietnamese import fold, name_tokens


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


def js_call(page: Page, name: str, *args: object) -> object:
    """A function the search page's module exports, called with `args`."""
    return page.evaluate(
        """async ([name, args]) => {
            const module = await import(document.getElementById("search-script").src);
            return module[name](...args);
        }""",
        [name, list(args)],
    )


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Nguyễn Quốc Xoan", "nguyen quoc xoan"),
        ("Nguyễn Quốc Xoan", "Nguyễn Quốc Xoan"),
        ("Nguyễn Quốc Xoan", "NGUYỄN QUỐC XOAN"),
        ("Nguyễn Quốc Xoan", "quoc xoan"),
        ("Đồng Tâm", "dong tam"),
        ("Tân Hoà", "tan hòa"),
        ("Đắk Lắk", nfd("Đắk Lắk")),
        ("Bà Rịa Vũng Tàu", "ba ria vung tau"),
    ],
)
def test_a_typed_name_is_the_word_the_build_indexes_it_as(
    search_page: Page, written: str, typed: str
) -> None:
    typed = unicodedata.normalize("NFC", typed)  # as the page cleans the query
    word = js_call(search_page, "nameWord", typed)
    assert word in name_tokens(f"Hôm nay đồng chí {written} đến dự."), word


@pytest.mark.parametrize("typed", ["nguyen", "a b c d e f", "dai hoi 2025", "15-NQ/TW", ""])
def test_what_is_not_a_name_is_searched_word_by_word(search_page: Page, typed: str) -> None:
    assert js_call(search_page, "nameWord", typed) is None


NAMED = (
    "Sáng nay chi bộ họp. " * 12
    + "Đồng chí Nguyễn Quốc Xoan phát biểu chỉ đạo đại hội. "
    + "Các đảng viên thảo luận. " * 12
)


def test_an_excerpt_of_a_name_is_around_the_name(search_page: Page) -> None:
    shown = js_call(search_page, "nameExcerpt", {"content": NAMED}, ["nguyen", "quoc", "xoan"])
    assert isinstance(shown, str)
    assert "Đồng chí Nguyễn Quốc Xoan phát biểu" in shown
    assert shown.startswith("… ") and shown.endswith(" …")
    assert len(shown.split()) == 32  # 30 words and the two "…"
    # the last word may still be typed
    assert "Nguyễn Quốc Xoan" in str(
        js_call(search_page, "nameExcerpt", {"content": NAMED}, ["nguyen", "quoc", "xo"])
    )
    # the name in the title only: Pagefind's excerpt is kept
    assert js_call(search_page, "nameExcerpt", {"content": NAMED}, ["hoang", "van"]) is None
