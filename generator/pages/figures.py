"""Render stage: photos as the pages show them.

A figure is a <picture>: WebP in a few widths (srcset, so a phone fetches
the small one), one JPEG for browsers without WebP, the real width and
height (no layout shift), lazy loading except for the lead photo, which
the browser fetches first. The body's markers (content/photos.py) are
replaced by figures here; the lead photo moves to the top of the article.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator import urls
from generator.content.photos import MARKER
from generator.site.articles import Article
from generator.site.photos import Figure, Picture, PictureFile

# The width a body photo is shown at: the article column (42rem) on a wide
# screen, the screen less the page's margins on a phone.
SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2rem)"
PHONE = "(max-width: 46rem)"
PHONE_SIZES = "calc(100vw - 2rem)"
PHONE_WIDEST = 1000  # px: the widest file a phone is offered
THUMB_SIZE = (96, 72)  # CSS pixels of a card's picture


def _href(links: urls.Links, picture: Picture, file: PictureFile) -> str:
    return links.href(picture.url(file))


def _srcset(links: urls.Links, picture: Picture, files: tuple[PictureFile, ...]) -> str:
    return ", ".join(f"{_href(links, picture, f)} {f.width}w" for f in files)


def picture_html(figure: Figure, links: urls.Links, lead: bool = False) -> str:
    """A <picture>. Phones are offered the widths up to PHONE_WIDEST only: on a
    screen of three device pixels per CSS pixel, 960 px looks the same as
    1600 and costs a third of the bytes."""
    picture = figure.picture
    widths = picture.widths
    phone = tuple(f for f in widths if f.width <= PHONE_WIDEST)
    sources = ""
    if phone and len(phone) < len(widths):
        sources = (
            f'<source type="image/webp" media="{PHONE}"'
            f' srcset="{_srcset(links, picture, phone)}" sizes="{PHONE_SIZES}">'
        )
    sources += (
        f'<source type="image/webp" srcset="{_srcset(links, picture, widths)}" sizes="{SIZES}">'
    )
    largest = widths[-1]
    loading = ' fetchpriority="high"' if lead else ' loading="lazy" decoding="async"'
    return (
        f"<picture>{sources}"
        f'<img src="{_href(links, picture, picture.fallback)}" width="{largest.width}"'
        f' height="{largest.height}" alt="{escape(figure.alt)}"{loading}></picture>'
    )


def figure_html(figure: Figure, links: urls.Links, lead: bool = False) -> str:
    if figure.inline and not lead:
        return picture_html(figure, links)
    caption = f"\n<figcaption>{figure.caption}</figcaption>" if figure.caption else ""
    kind = "photo lead-photo" if lead else "photo"
    return f'<figure class="{kind}">{picture_html(figure, links, lead)}{caption}</figure>'


def lead_html(article: Article, links: urls.Links) -> Markup:
    """The lead photo at the top of the article, or nothing."""
    if article.image is None:
        return Markup("")
    return Markup(figure_html(article.image, links, lead=True))


def body_html(article: Article, links: urls.Links) -> Markup:
    """The article's body with its photos in place (the lead photo is at the top)."""
    html = article.body.html
    if not article.figures:
        return Markup(html)

    def put(match: object) -> str:
        number = int(match.group(1))  # type: ignore[attr-defined]
        if number == article.image_number or number >= len(article.figures):
            return ""
        return figure_html(article.figures[number], links)

    return Markup(MARKER.sub(put, html))


def thumb(article: Article, links: urls.Links) -> dict[str, object] | None:
    """A card's picture: the lead photo's 4:3 crop, small."""
    image = article.image
    if image is None or image.picture.thumb is None:
        return None
    file = image.picture.thumb
    return {
        "src": _href(links, image.picture, file),
        "width": file.width,
        "height": file.height,
    }


def share(picture: Picture | None, alt: str, links: urls.Links) -> dict[str, object] | None:
    """What link previews show (og:image): absolute, or nothing."""
    if picture is None:
        return None
    file = picture.fallback
    address = links.absolute(picture.url(file))
    if address is None:
        return None
    return {"url": address, "width": file.width, "height": file.height, "alt": alt}


def structured(picture: Picture | None, links: urls.Links) -> list[str]:
    """NewsArticle `image`: the lead photo's 16:9, 4:3 and 1:1 crops, absolute."""
    if picture is None:
        return []
    found = [links.absolute(picture.url(file)) for file in picture.crops]
    return [address for address in found if address]
