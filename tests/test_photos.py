"""Photos: what editors write, what readers get, what may be published.

Fixtures are real image files made by the tests (tests/pictures.py); the
tests read the HTML and the written images back.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from helpers import BuildSite, article, files_of, structured_data, write_tree
from pictures import (
    SVG,
    bomb_png,
    cmyk_jpeg,
    phone_jpeg,
    sixteen_bit_png,
    textured,
    transparent_png,
    truncated_jpeg,
)
from PIL import Image
from playwright.sync_api import Browser
from webtools import served

BASE = "https://example.org/luu-tru/"

BODY = """Sáng 20/5/2025, Chi bộ Tân Hòa tổ chức Đại hội.

![Các đại biểu biểu quyết](dai-hoi/bieu-quyet.jpg)
*Các đại biểu biểu quyết thông qua Nghị quyết.*

Đại hội bầu Chi ủy khóa mới.

![](dai-hoi/ra-mat.jpg)

*Chi ủy khóa mới ra mắt.*

Cuối buổi, đại hội bế mạc.

![Biểu trưng của chi bộ](dai-hoi/bieu-trung.png)
"""

PHOTOS: dict[str, str | bytes] = {
    "2025/dai-hoi.md": article(body=BODY),
    # stored as the sensor saw it: shown turned a quarter (EXIF orientation 6)
    "2025/dai-hoi/bieu-quyet.jpg": phone_jpeg(2400, 1800, orientation=6),
    "2025/dai-hoi/ra-mat.jpg": phone_jpeg(1000, 750, seed=2),
    "2025/dai-hoi/bieu-trung.png": transparent_png(),
}


def pictures_of(html: str) -> list[dict[str, str]]:
    found = []
    for match in re.finditer(r"<picture>(.*?)</picture>", html, re.S):
        source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', match[1])
        img = re.search(r"<img ([^>]+)>", match[1])
        assert source and img, match[0]
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', img[1]))
        found.append({"srcset": source[1], "sizes": source[2], **attrs})
    return found


def image_at(site: Path, url: str) -> Image.Image:
    path = site / url.removeprefix(BASE).removeprefix("/luu-tru/").lstrip("/")
    return Image.open(io.BytesIO(path.read_bytes()))


@pytest.fixture
def built(build_site: BuildSite) -> tuple[Path, str]:
    result = build_site(PHOTOS, "--base-url", BASE)
    assert result.code == 0, result.err
    return result.site, result.page("/2025/dai-hoi-chi-bo-tan-hoa/")


def test_photos_are_figures_with_captions_sizes_and_srcset(built: tuple[Path, str]) -> None:
    site, html = built
    lead, second, logo = pictures_of(html)
    # the caption under each photo, whichever way it was written
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert captions == ["Các đại biểu biểu quyết thông qua Nghị quyết.", "Chi ủy khóa mới ra mắt."]
    assert lead["alt"] == "Các đại biểu biểu quyết"
    assert second["alt"] == "Chi ủy khóa mới ra mắt."  # no text of its own: the caption's
    # turned upright: 1800 wide, 2400 tall, shown at most 1600 wide
    assert (lead["width"], lead["height"]) == ("1600", "2133")
    widths = [int(part.split()[-1][:-1]) for part in lead["srcset"].split(", ")]
    assert widths == [480, 960, 1600]
    # never upscaled: a photo 1000 px wide has nothing wider
    assert [p.split()[-1] for p in second["srcset"].split(", ")] == ["480w", "1000w"]
    assert (second["width"], second["height"]) == ("1000", "750")
    for picture in (lead, second, logo):
        for part in picture["srcset"].split(", "):
            url, width = part.split()
            written = image_at(site, url)
            assert written.format == "WEBP" and f"{written.width}w" == width
        assert image_at(site, picture["src"]).format in ("JPEG", "PNG")


def test_the_lead_photo_comes_first_the_rest_wait(built: tuple[Path, str]) -> None:
    _, html = built
    lead, second, _logo = pictures_of(html)
    assert lead["fetchpriority"] == "high" and "loading" not in lead
    assert second["loading"] == "lazy" and second["decoding"] == "async"
    # at the top of the article, shown once
    top = html.index('class="photo lead-photo"')
    assert top < html.index('<div class="article-body">')
    assert html.count("bieu-quyet-1600.webp") == 1  # (960 is also in the phones' source)


def test_no_metadata_survives_and_orientation_is_applied(built: tuple[Path, str]) -> None:
    site, _ = built
    written = sorted((site / "anh").rglob("*.*"))
    assert len(written) > 10
    for path in written:
        data = path.read_bytes()
        image = Image.open(io.BytesIO(data))
        assert not image.getexif(), path  # no EXIF at all: no GPS, camera, serial
        assert "icc_profile" not in image.info and "xmp" not in image.info, path
        for marker in (b"Exif", b"PhoneMaker", b"SERIAL-0042", b"GPS"):
            assert marker not in data, (path, marker)
    # the red corner was top-left as stored; turned a quarter right it is top-right
    upright = image_at(
        site,
        next(str(p.relative_to(site)) for p in written if p.name.endswith("bieu-quyet-480.webp")),
    )
    assert upright.size == (480, 640)
    red = upright.convert("RGB").getpixel((upright.width - 10, 10))
    assert red[0] > 180 and red[1] < 80, red


def test_transparency_is_kept(built: tuple[Path, str]) -> None:
    site, html = built
    logo = pictures_of(html)[2]
    webp = image_at(site, logo["srcset"].split(", ")[0].split()[0])
    assert webp.mode == "RGBA" and webp.getpixel((5, 5))[3] == 0
    assert image_at(site, logo["src"]).format == "PNG"  # the fallback keeps it too


def test_link_previews_and_search_engines_get_the_lead_photo(built: tuple[Path, str]) -> None:
    site, html = built
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html))
    assert meta["og:image"].startswith(BASE + "anh/") and meta["og:image"].endswith(".jpg")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "1600")
    assert meta["og:image:alt"] == "Các đại biểu biểu quyết"
    assert meta["twitter:card"] == "summary_large_image"
    shared = image_at(site, meta["og:image"])
    assert shared.size == (1200, 1600) and shared.format == "JPEG"
    news = structured_data(html)["NewsArticle"]
    ratios = []
    for url in news["image"]:
        assert url.startswith(BASE)
        crop = image_at(site, url)
        ratios.append(round(crop.width / crop.height, 2))
        assert crop.width * crop.height >= 50_000
    assert ratios == [round(16 / 9, 2), round(4 / 3, 2), 1.0]
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert 'rel="enclosure" type="image/jpeg"' in feed and meta["og:image"] in feed
    assert "&lt;figure" in feed and "photo:" not in feed


def test_cards_show_the_lead_photo_small(built: tuple[Path, str]) -> None:
    site, _ = built
    for page in ("index.html", "don-vi/chi-bo-tan-hoa/index.html", "2025/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        thumb = re.search(
            r'<img class="card-thumb" src="([^"]+)" width="(\d+)" height="(\d+)"', html
        )
        assert thumb, page
        image = image_at(site, thumb[1])
        assert image.size == (int(thumb[2]), int(thumb[3])) == (320, 240)
        assert len((site / thumb[1].removeprefix("/luu-tru/")).read_bytes()) < 30_000


def test_a_page_without_photos_shows_the_site_image(build_site: BuildSite, project: Path) -> None:
    write_tree(project, {"assets-share/chia-se.png": transparent_png(1600, 900)})
    (project / "archive.yaml").write_text("default_image: assets-share/chia-se.png\n")
    result = build_site({"2025/a.md": article(title="Không có ảnh")}, "--base-url", BASE)
    assert result.code == 0, result.err
    for url in ("/2025/khong-co-anh/", "/"):
        meta = dict(
            re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', result.page(url))
        )
        assert meta["og:image"].startswith(BASE + "anh/"), url
        assert meta["twitter:card"] == "summary_large_image"
    news = structured_data(result.page("/2025/khong-co-anh/"))["NewsArticle"]
    assert len(news["image"]) == 3


def test_without_photos_pages_say_nothing_of_images(build_site: BuildSite) -> None:
    result = build_site({"2025/a.md": article(title="Không có ảnh")}, "--base-url", BASE)
    html = result.page("/2025/khong-co-anh/")
    assert "og:image" not in html and 'content="summary"' in html
    assert "image" not in structured_data(html)["NewsArticle"]


def test_front_matter_chooses_the_lead_photo(build_site: BuildSite) -> None:
    files = dict(PHOTOS)
    files["2025/dai-hoi.md"] = article(body=BODY, image="dai-hoi/ra-mat.jpg")
    result = build_site(files, "--base-url", BASE)
    assert result.code == 0, result.err
    html = result.page("/2025/dai-hoi-chi-bo-tan-hoa/")
    first = pictures_of(html)[0]
    assert "ra-mat" in first["src"] and first["fetchpriority"] == "high"
    assert len(pictures_of(html)) == 3  # moved to the top, not shown twice


def test_a_folder_article_keeps_its_photos_beside_it(build_site: BuildSite) -> None:
    result = build_site(
        {
            "2025/dai-hoi-tan-hoa/index.md": article(
                body="Mở đầu.\n\n![Quang cảnh](quang-canh.jpg)\n"
            ),
            "2025/dai-hoi-tan-hoa/quang-canh.jpg": phone_jpeg(900, 600),
        }
    )
    assert result.code == 0, result.err
    assert pictures_of(result.page("/2025/dai-hoi-chi-bo-tan-hoa/"))[0]["alt"] == "Quang cảnh"


def test_colour_and_depth_are_made_srgb_8_bit(build_site: BuildSite) -> None:
    result = build_site(
        {
            "2025/a.md": article(body="Mở đầu.\n\n![In ấn](in.jpg)\n\n![Ảnh 16 bit](sau.png)\n"),
            "2025/in.jpg": cmyk_jpeg(),
            "2025/sau.png": sixteen_bit_png(),
        }
    )
    assert result.code == 0, result.err
    cmyk, deep = pictures_of(result.page("/2025/dai-hoi-chi-bo-tan-hoa/"))
    printed = image_at(result.site, cmyk["srcset"].split()[0])
    assert printed.mode == "RGB"
    r, g, b = printed.getpixel((10, 10))
    assert r > 200 and g < 60 and b < 60  # CMYK red is still red
    fallback = image_at(result.site, deep["src"])
    assert fallback.mode in ("RGB", "L") and fallback.format == "JPEG"
    assert fallback.convert("L").getpixel((fallback.width // 2, fallback.height - 1)) > 200


def test_a_photo_without_text_is_a_warning(build_site: BuildSite) -> None:
    result = build_site(
        {
            "2025/a.md": article(body="Mở đầu.\n\n![](anh.jpg)\n"),
            "2025/anh.jpg": phone_jpeg(600, 400),
        }
    )
    assert result.code == 0, result.err
    assert (
        "content/2025/a.md:10: photo 'anh.jpg' has no caption or description: write what it"
        " shows in italics on the line under it, or between its brackets ![…]"
    ) in result.err


def test_bad_photos_are_every_one_reported(
    build_site: BuildSite, project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first = build_site({"2025/tot.md": article(title="Bài tốt")})
    assert first.code == 0, first.err
    before = files_of(first.site)
    outside = tmp_path_factory.mktemp("outside") / "nha-rieng.jpg"
    outside.write_bytes(phone_jpeg(600, 400))
    (project / "nha.jpg").write_bytes(phone_jpeg(600, 400))
    body = "\n\n".join(
        f"![Ảnh {name}]({name})"
        for name in (
            "khong-co.jpg",
            "ghi-chu.jpg",
            "cut.jpg",
            "lon.png",
            "ve.svg",
            "../../nha.jpg",
        )
    )
    result = build_site(
        {
            "2025/xau.md": article(title="Bài xấu", body=body),
            "2025/ghi-chu.jpg": b"not a picture at all",
            "2025/cut.jpg": truncated_jpeg(),
            "2025/lon.png": bomb_png(),
            "2025/ve.svg": SVG,
        }
    )
    assert result.code == 1
    lines = result.err.splitlines()
    (project / "content/2025/lien-ket.jpg").symlink_to(outside)
    assert lines[:6] == [
        "content/2025/xau.md:8: photo 'khong-co.jpg' does not exist (looked for"
        " content/2025/khong-co.jpg); check the file name, or copy the photo there",
        "content/2025/xau.md:10: photo 'ghi-chu.jpg' is not a picture the build can read;"
        " save it as JPEG or PNG",
        "content/2025/xau.md:12: photo 'cut.jpg' is damaged or cut short; copy the original"
        " photo again",
        "content/2025/xau.md:14: photo 'lon.png' is 12000×10000 pixels (120 megapixels) and the"
        " limit is 100 megapixels; make it smaller before adding it",
        "content/2025/xau.md:16: photo 've.svg' is an SVG drawing, which can carry scripts and"
        " is not published as a photo; export it as PNG",
        "content/2025/xau.md:18: photo '../../nha.jpg' is outside content/; put the photo"
        " beside the article",
    ]
    assert lines[-1] == "Build stopped: 6 problems; site/ was not changed."
    assert files_of(result.site) == before
    # a link to a file outside content/ is never read, whoever names it
    (project / "content/2025/xau.md").write_text(
        article(title="Bài xấu", body="![Ảnh](lien-ket.jpg)")
    )
    linked = build_site()
    assert linked.code == 1
    assert linked.err.splitlines()[0] == (
        f"content/2025/lien-ket.jpg: is a link to {outside.resolve().as_posix()},"
        " outside content/; copy the file instead"
    )
    assert files_of(linked.site) == before


def test_an_iphone_photo_is_converted(build_site: BuildSite) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.open(io.BytesIO(phone_jpeg(800, 600))).save(out, "HEIF", quality=60)
    result = build_site(
        {
            "2025/a.md": article(body="Mở đầu.\n\n![Quang cảnh](anh.heic)\n"),
            "2025/anh.heic": out.getvalue(),
        }
    )
    assert result.code == 0, result.err
    picture = pictures_of(result.page("/2025/dai-hoi-chi-bo-tan-hoa/"))[0]
    assert (picture["width"], picture["height"]) == ("800", "600")
    assert image_at(result.site, picture["src"]).format == "JPEG"


def test_widths_are_a_setting(build_site: BuildSite, project: Path) -> None:
    (project / "archive.yaml").write_text("image_widths: [320, 640]\n")
    result = build_site(PHOTOS)
    assert result.code == 0, result.err
    second = pictures_of(result.page("/2025/dai-hoi-chi-bo-tan-hoa/"))[1]
    assert [p.split()[-1] for p in second["srcset"].split(", ")] == ["320w", "640w"]
    (project / "archive.yaml").write_text("image_widths: [0, 99999]\n")
    bad = build_site()
    assert bad.code == 1
    assert "archive.yaml:1: image_widths must be a list of up to 8 widths in pixels" in bad.err


def test_an_unchanged_photo_is_not_made_again(build_site: BuildSite, project: Path) -> None:
    first = build_site(PHOTOS)
    assert "3 pictures: 3 made" in first.out, first.out
    write_tree(project / "content", {"2025/b.md": article(title="Bài khác")})
    again = build_site()
    assert "3 pictures: 0 made, 3 kept" in again.out, again.out
    listing = json.loads(next((project / ".archive-cache/images").glob("*/files.json")).read_text())
    assert listing["files"]


def test_one_photo_under_two_names_shows_in_both_articles(build_site: BuildSite) -> None:
    photo = phone_jpeg(800, 600)
    result = build_site(
        {
            "2025/a.md": article(title="Bài A", body="![Ảnh họp](hop.jpg)\n\n*Chi bộ họp.*"),
            "2025/b.md": article(title="Bài B", body="![Ảnh họp](hop-lai.jpg)\n\n*Chi bộ họp.*"),
            "2025/hop.jpg": photo,
            "2025/hop-lai.jpg": photo,
        }
    )
    assert result.code == 0, result.err
    for page, stem in (("2025/bai-a/index.html", "hop"), ("2025/bai-b/index.html", "hop-lai")):
        shown = pictures_of((result.site / page).read_text())
        assert shown and f"/{stem}-" in shown[0]["src"], shown
        assert image_at(result.site, shown[0]["src"]).size == (800, 600)


def test_the_store_keeps_one_whole_folder_per_picture(tmp_path: Path) -> None:
    """Two workers may make the same picture at once; a damaged folder is replaced."""
    from generator.images.encode import Encoded, Output
    from generator.images.store import Store

    store = Store(tmp_path / "images")
    made = Encoded(
        800, 600, False, (Output("480.webp", 480, 360, b"a"), Output("800.jpg", 800, 600, b"b"))
    )
    first = store.save("k", made)
    assert store.save("k", made) == first  # the second finds the first's folder whole
    (tmp_path / "images/k/800.jpg").unlink()  # damaged: not trusted, made again
    assert store.find("k") is None
    assert store.save("k", made) == first and store.find("k") == first
    assert sorted(p.name for p in (tmp_path / "images").iterdir()) == ["k"]  # nothing left over


# --- what a reader's browser fetches -------------------------------------------


def images_fetched(browser: Browser, site: Path, width: int, scale: float) -> list[tuple[str, int]]:
    """(address, bytes) of every image a screen of `width` CSS px at `scale`
    device px fetches when it opens the article, before anyone scrolls."""
    fetched: list[tuple[str, int]] = []
    with served(site) as url:
        context = browser.new_context(
            viewport={"width": width, "height": 844}, device_scale_factor=scale
        )
        page = context.new_page()
        page.on(
            "response",
            lambda r: (
                fetched.append((r.url, len(r.body())))
                if r.request.resource_type == "image"
                else None
            ),
        )
        page.goto(url + "/2025/dai-hoi-chi-bo-tan-hoa/", wait_until="networkidle")
        context.close()
    return fetched


@pytest.mark.parametrize(
    ("width", "scale", "wanted"),
    # a phone is offered 960 at most, even at three device pixels per CSS pixel
    [(390, 1, "480"), (390, 3, "960"), (1280, 1, "960"), (1280, 2, "1600")],
)
def test_the_browser_fetches_the_size_the_screen_needs(
    build_site: BuildSite, browser: Browser, width: int, scale: int, wanted: str
) -> None:
    result = build_site(PHOTOS)
    assert result.code == 0, result.err
    fetched = images_fetched(browser, result.site, width, scale)
    lead = [name for name, _ in fetched if "bieu-quyet" in name]
    assert [name.rsplit("-", 1)[-1] for name in lead] == [f"{wanted}.webp"]
    assert all(name.endswith(".webp") for name, _ in fetched)  # never the JPEG fallback


# Three 6-megapixel photos, harder to compress than real ones, between
# paragraphs as long as the source articles': what a phone fetches before
# its reader scrolls.
PARAGRAPH = (
    "Đại hội thảo luận, đánh giá kết quả thực hiện nghị quyết nhiệm kỳ qua và thống nhất"
    " phương hướng, nhiệm vụ cho nhiệm kỳ mới với nhiều chỉ tiêu cụ thể. "
) * 5
BUDGET_BODY = "\n\n".join(
    [
        PARAGRAPH,
        "![Quang cảnh đại hội](ba-anh/quang-canh.jpg)\n\n*Quang cảnh đại hội.*",
        PARAGRAPH,
        PARAGRAPH,
        "![Đại biểu biểu quyết](ba-anh/bieu-quyet.jpg)\n\n*Đại biểu biểu quyết.*",
        PARAGRAPH,
        PARAGRAPH,
        "![Chi ủy ra mắt](ba-anh/ra-mat.jpg)\n\n*Chi ủy ra mắt.*",
        PARAGRAPH,
    ]
)


@pytest.mark.parametrize(("width", "scale"), [(390, 1), (390, 3), (412, 1.75)])
def test_a_phone_fetches_at_most_250_kb_of_photos_before_scrolling(
    build_site: BuildSite, browser: Browser, width: int, scale: float
) -> None:
    photos = {
        f"2025/ba-anh/{name}.jpg": phone_jpeg(3000, 2000, seed=seed, draw=textured)
        for seed, name in enumerate(("quang-canh", "bieu-quyet", "ra-mat"), 1)
    }
    result = build_site({"2025/ba-anh.md": article(body=BUDGET_BODY), **photos})
    assert result.code == 0, result.err
    fetched = images_fetched(browser, result.site, width, scale)
    assert any("quang-canh" in name for name, _ in fetched), fetched  # the lead photo
    assert sum(size for _, size in fetched) <= 250_000, fetched


def test_a_folder_linked_out_of_content_is_refused(
    build_site: BuildSite, project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "hop.jpg").write_bytes(phone_jpeg(600, 400))
    result = build_site({"2025/bai.md": article(title="Bài")})
    assert result.code == 0, result.err
    before = files_of(result.site)
    (project / "content/2025/anh").symlink_to(outside, target_is_directory=True)
    linked = build_site({"2025/bai.md": article(title="Bài", body="![Ảnh họp](anh/hop.jpg)")})
    assert linked.code == 1
    assert linked.err.splitlines()[0] == (
        f"content/2025/anh: is a link to {outside.resolve().as_posix()},"
        " outside content/; copy the folder instead"
    )
    assert files_of(linked.site) == before
