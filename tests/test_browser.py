"""What a reader sees, in real headless Chromium, on a phone-sized screen."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from helpers import ROOT, build_project
from playwright.sync_api import Browser, Page, expect
from webtools import served


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled demo archive, built and served on 127.0.0.1."""
    site = build_project(tmp_path_factory.mktemp("demo"), ROOT / "content")
    with served(site) as url:
        yield url


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=1)
    page = context.new_page()
    yield page
    context.close()


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_article_reads_on_a_phone(phone: Page, demo_site: str) -> None:
    phone.goto(demo_site + "/")
    first = phone.locator(".latest .card-title a").first
    title = first.inner_text()
    first.click()
    assert phone.locator("h1").inner_text() == title
    assert phone.locator("html").get_attribute("lang") == "vi"
    assert no_horizontal_scroll(phone)
    # the unit link leads to the unit's page, which lists this article
    phone.locator(".facts a").first.click()
    assert phone.locator(f".card-title a:text-is('{title}')").count() == 1


def test_every_index_page_fits_a_phone(phone: Page, demo_site: str) -> None:
    for path in ["/", "/don-vi/", "/nhiem-ky/", "/nam/", "/2025/", "/don-vi/dang-bo-xa-a/"]:
        phone.goto(demo_site + path)
        assert no_horizontal_scroll(phone), path
        assert phone.locator("h1").count() == 1, path


HEADING_LEVELS = "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"


@pytest.mark.parametrize(
    "path",
    ["/", "/don-vi/", "/nhiem-ky/", "/nam/", "/2025/", "/don-vi/dang-bo-xa-a/", "/404.html",
     "/tim-kiem/?q=dai+hoi", "/2022/chi-bo-vu-hop-tac-quoc-te-doan-ket-chu-dong-sang-tao-phat-huy-dan-chu/"],
)  # fmt: skip
def test_headings_are_in_order(phone: Page, demo_site: str, path: str) -> None:
    phone.goto(demo_site + path)
    if "tim-kiem" in path:
        phone.wait_for_function(
            "() => document.getElementById('search-status').dataset.state === 'done'"
        )
    levels = phone.evaluate(HEADING_LEVELS)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(later - earlier <= 1 for earlier, later in pairwise(levels)), levels
    landmarks = phone.evaluate(
        "['header', 'nav', 'main', 'footer'].map(t => document.querySelectorAll(t).length)"
    )
    assert all(landmarks), landmarks


def test_pager_walks_through_a_unit(phone: Page, demo_site: str) -> None:
    phone.goto(demo_site + "/don-vi/dang-bo-xa-a/")
    seen = phone.locator(".card-title a").all_inner_texts()
    phone.locator(".pager a[rel=next]").click()
    assert phone.url.endswith("/don-vi/dang-bo-xa-a/trang/2/")
    more = phone.locator(".card-title a").all_inner_texts()
    assert more and not set(seen) & set(more)
    phone.locator(".pager a[rel=prev]").click()
    assert phone.url.endswith("/don-vi/dang-bo-xa-a/")


def test_keyboard_user_can_skip_to_content_and_sees_focus(phone: Page, demo_site: str) -> None:
    phone.goto(demo_site + "/don-vi/")
    phone.keyboard.press("Tab")
    skip = phone.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # visible once focused
    phone.keyboard.press("Tab")
    outline = phone.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_unknown_address_shows_the_404_page(phone: Page, demo_site: str) -> None:
    phone.goto(demo_site + "/404.html")
    assert phone.locator("h1").inner_text() == "Không tìm thấy trang"
    phone.locator("main a", has_text="Theo đơn vị").click()
    assert phone.url.endswith("/don-vi/")


def test_print_hides_navigation(browser: Browser, demo_site: str, tmp_path: Path) -> None:
    page = browser.new_page()
    page.goto(demo_site + "/2025/")
    page.locator(".card-title a").first.click()
    page.wait_for_load_state("load")  # the print stylesheet too (it failed once, on a busy machine)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".article-body")).to_be_visible()
    page.close()
