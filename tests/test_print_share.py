"""An article printed and shared, in real headless Chromium: the printed page
names the site, the address and the date, without navigation or tags; the
share links work with no third-party script and no policy violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import article, build_project, write_tree
from playwright.sync_api import Browser, Page, expect
from webtools import csp_violations, served, watch_console

BASE = "https://example.org/"
URL = "/2025/dai-hoi-chi-bo-tan-hoa/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = tmp_path_factory.mktemp("print")
    write_tree(
        project / "source",
        {
            "a.md": article(tags="[đại hội, đối ngoại]", date="2025-05-20"),
            "b.md": article(title="Tin khác của chi bộ", date="2025-05-21"),
        },
    )
    # served at the root: the address the build knows is the published one
    built = build_project(project / "site-project", project / "source", "--base-url", BASE)
    with served(built) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    problems = watch_console(context)
    page = context.new_page()
    yield page
    assert problems == []
    context.close()


def shown(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            f"[...document.querySelectorAll({selector!r})].some(e => getComputedStyle(e).display"
            " !== 'none' && e.getClientRects().length > 0)"
        )
    )


def test_the_printed_page_names_the_site_address_and_date_without_navigation(
    page: Page, site: str
) -> None:
    page.goto(site + URL)
    assert not shown(page, ".print-source")  # on the screen it is not there
    page.emulate_media(media="print")
    source = page.locator(".print-source")
    assert shown(page, ".print-source")
    assert source.inner_text() == (
        f"Lưu trữ tin Đại hội Đảng · {BASE}2025/dai-hoi-chi-bo-tan-hoa/ · Đăng ngày Thứ Ba, 20/5/2025"
    )
    for selector in (".site-header", ".site-footer", ".breadcrumbs", ".tags", ".share", ".related"):
        assert not shown(page, selector), selector
    assert shown(page, ".article-body")
    pdf = page.pdf()  # it prints
    assert pdf.startswith(b"%PDF")


def test_share_links_need_no_third_party_script(page: Page, site: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site + URL)
    facebook = page.locator(".share-facebook").get_attribute("href") or ""
    parts = urlsplit(facebook)
    assert parts.netloc == "www.facebook.com"
    assert parse_qs(parts.query)["u"] == [BASE + URL.lstrip("/")]
    assert all(url.startswith(site) for url in requests), requests
    page.locator(".share-copy").click()
    expect(page.locator(".share-status")).to_have_text("Đã chép liên kết.")
    assert page.evaluate("navigator.clipboard.readText()") == BASE + URL.lstrip("/")
    # Zalo: the phone's share sheet; here, none, so the link is copied for Zalo
    page.evaluate("delete Navigator.prototype.share")
    page.locator(".share-zalo").click()
    expect(page.locator(".share-status")).to_contain_text("dán vào cuộc trò chuyện")
    assert csp_violations(page) == []


def test_without_script_the_buttons_that_need_it_are_hidden(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + URL)
    assert page.locator(".share-facebook").is_visible()
    assert not page.locator(".share-copy").is_visible()
    assert not page.locator(".share-zalo").is_visible()
    context.close()


def test_a_page_of_a_build_without_the_address_shares_the_address_opened(
    browser: Browser, tmp_path: Path
) -> None:
    write_tree(tmp_path / "source", {"a.md": article()})
    built = build_project(tmp_path / "project", tmp_path / "source")
    with served(built) as url:
        page = browser.new_page()
        page.goto(url + URL)
        facebook = page.locator(".share-facebook").get_attribute("href") or ""
        assert parse_qs(urlsplit(facebook).query)["u"] == [url + URL]
        page.close()
