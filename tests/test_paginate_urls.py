from __future__ import annotations

import pytest

from generator import urls
from generator.pages.paginate import paginate
from generator.pages.views import page_numbers


def test_empty_list_still_has_one_page() -> None:
    pages = paginate([], 10)
    assert len(pages) == 1
    assert pages[0].items == ()
    assert pages[0].previous is None and pages[0].next is None


@pytest.mark.parametrize(
    ("count", "size", "pages"), [(1, 10, 1), (10, 10, 1), (11, 10, 2), (25, 5, 5)]
)
def test_page_counts(count: int, size: int, pages: int) -> None:
    result = paginate(list(range(count)), size)
    assert len(result) == pages
    assert [i for page in result for i in page.items] == list(range(count))
    assert all(page.total == pages for page in result)


def test_neighbours() -> None:
    first, second, third = paginate(list(range(7)), 3)
    assert (first.previous, first.next) == (None, 2)
    assert (second.previous, second.next) == (1, 3)
    assert (third.previous, third.next) == (2, None)
    assert third.items == (6,)


def test_contract_urls() -> None:
    assert urls.article(2025, "dai-hoi") == "/2025/dai-hoi/"
    assert urls.unit("chi-bo-tan-hoa") == "/don-vi/chi-bo-tan-hoa/"
    assert urls.unit("chi-bo-tan-hoa", 1) == "/don-vi/chi-bo-tan-hoa/"
    assert urls.unit("chi-bo-tan-hoa", 2) == "/don-vi/chi-bo-tan-hoa/trang/2/"
    assert urls.term("2025-2030", 3) == "/nhiem-ky/2025-2030/trang/3/"
    assert urls.year(2024) == "/2024/"
    assert urls.year(2024, 2) == "/2024/trang/2/"


def test_out_paths() -> None:
    assert urls.out_path("/") == "index.html"
    assert urls.out_path("/2025/dai-hoi/") == "2025/dai-hoi/index.html"
    assert urls.out_path("/404.html") == "404.html"


@pytest.mark.parametrize("url", ["/../x/", "/a/../../x/", "relative/", "/a\\b/"])
def test_out_path_never_escapes(url: str) -> None:
    with pytest.raises(ValueError):
        urls.out_path(url)


def test_links_add_the_base_path() -> None:
    links = urls.Links("/luu-tru/", "https://example.org/luu-tru/")
    assert links.href("/2025/x/") == "/luu-tru/2025/x/"
    assert links.absolute("/2025/x/") == "https://example.org/luu-tru/2025/x/"
    assert urls.Links().absolute("/x/") is None


@pytest.mark.parametrize(
    ("current", "total", "shown"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (1, 10, [1, 2, 3, None, 10]),
        (6, 10, [1, None, 4, 5, 6, 7, 8, 9, 10]),
        (500, 1000, [1, None, 498, 499, 500, 501, 502, None, 1000]),
    ],
)
def test_pager_shows_first_last_and_nearby_pages(
    current: int, total: int, shown: list[int | None]
) -> None:
    assert page_numbers(current, total) == shown
