"""The one configured Markdown renderer (CommonMark + tables + strikethrough).

Content is data from strangers: raw HTML is shown as text, links may only use
safe schemes, and body headings are shifted so the article title stays the
page's only <h1>.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from generator.content.photos import PhotoRef, file_name, is_own, marker

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# Ignored inside an address by a lenient reader: controls, spaces, invisible characters.
_IGNORED = re.compile(
    "[\x00-\x20\x7f-\xa0\u00ad\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufffd]+"
)
SUMMARY_LENGTH = 220


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    text: str  # plain text of the first paragraph, for summaries
    refused: tuple[str, ...] = ()  # link and image addresses not kept (shown as text)
    photos: tuple[PhotoRef, ...] = ()  # the article's own photos, by marker number
    textless: tuple[tuple[str, int], ...] = ()  # (address, line) of images with no text


def _validate_link(url: str) -> bool:
    """Whether a link or image address may go into the page.

    markdown-it hands over the address with entities decoded and the rest
    percent-encoded (`java&#9;script:` arrives as `java%09script:`). It is
    judged the way the most lenient reader would see it: entities and percent
    escapes decoded (twice nested at most), then control characters, white
    space and invisible characters removed anywhere, as browsers drop tabs and
    newlines inside a scheme. Then only no scheme at all (an address on this
    site or a relative one) or a scheme in SAFE_SCHEMES passes. Stricter than
    a browser, never looser: a refused link is shown as text.
    """
    seen = url
    for _ in range(3):
        decoded = unquote(unescape(seen))
        if decoded == seen:
            break
        seen = decoded
    match = _SCHEME.match(_IGNORED.sub("", seen))
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def _align_cells(tokens: list[Token]) -> None:
    """Table alignment as a class (`align-right`), not a style attribute.

    The Content-Security-Policy (security.py) allows no inline styles;
    the stylesheet has the three classes.
    """
    for token in tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrGet("style")
            if isinstance(style, str) and style.startswith("text-align:"):
                del token.attrs["style"]
                token.attrSet("class", "align-" + style.removeprefix("text-align:"))


def _shift_headings(tokens: list[Token]) -> None:
    """Make the body's top heading level an <h2>, keeping the hierarchy below it."""
    levels = [int(t.tag[1]) for t in tokens if t.type in ("heading_open", "heading_close")]
    if not levels:
        return
    shift = max(0, 2 - min(levels))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + shift)}"


class Markdown:
    """Renders article bodies; root-relative links get the site's base path."""

    def __init__(self, base_path: str = "/") -> None:
        self.base_path = base_path
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        self._refused: dict[str, None] = {}
        md.validateLink = self._validate  # type: ignore[method-assign]
        prefix = self._prefix

        # markdown-it binds render rules to its renderer, hence plain functions.
        def link_open(
            renderer: RendererHTML,
            tokens: Sequence[Token],
            idx: int,
            options: OptionsDict,
            env: EnvType,
        ) -> str:
            token = tokens[idx]
            prefix(token, "href")
            if str(token.attrGet("href") or "").startswith(("http://", "https://")):
                token.attrSet("rel", "noopener")
            return renderer.renderToken(tokens, idx, options, env)

        def image(
            renderer: RendererHTML,
            tokens: Sequence[Token],
            idx: int,
            options: OptionsDict,
            env: EnvType,
        ) -> str:
            # an image inside a paragraph of text (a photo alone is a figure: _figures)
            token = tokens[idx]
            alt = renderer.renderInlineAsText(token.children or [], options, env)
            src = str(token.attrGet("src") or "")
            line = int(token.meta.get("line", 0))
            if not alt:
                env["textless"].append((file_name(src), line))
            prefix(token, "src")
            token.attrSet("loading", "lazy")
            token.attrSet("decoding", "async")
            return renderer.image(tokens, idx, options, env)

        md.add_render_rule("link_open", link_open)
        md.add_render_rule("image", image)
        self._md = md

    def _prefix(self, token: Token, attr: str) -> None:
        value = token.attrGet(attr)
        if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
            token.attrSet(attr, self.base_path + value.lstrip("/"))

    def _validate(self, url: str) -> bool:
        if _validate_link(url):
            return True
        self._refused[url] = None  # the editor is told (load.py)
        return False

    def render(self, source: str) -> Rendered:
        """The HTML of a body; lines are counted from its first line (0)."""
        self._refused = {}
        tokens = self._md.parse(source)
        _shift_headings(tokens)
        _align_cells(tokens)
        env: dict[str, Any] = {"photos": [], "textless": []}
        lines = source.splitlines()
        _number_images(tokens, lines)
        text = first_paragraph(tokens)
        tokens = self._figures(tokens, env)
        html = self._md.renderer.render(tokens, self._md.options, env)
        return Rendered(
            html, text, tuple(self._refused), tuple(env["photos"]), tuple(env["textless"])
        )

    def _figures(self, tokens: list[Token], env: dict[str, Any]) -> list[Token]:
        """A paragraph that is one image (and its italic caption, on the next
        line or as the next paragraph) becomes a figure: a marker for a photo
        of the article's own, the figure itself for any other image."""
        out: list[Token] = []
        index = 0
        while index < len(tokens):
            found = _alone(tokens, index)
            if found is None:
                if tokens[index].type == "inline":
                    self._inline_photos(tokens[index], env)
                out.append(tokens[index])
                index += 1
                continue
            image, caption, used = found
            out.append(self._figure(image, caption, env))
            index += used
        return out

    def _inline_photos(self, inline: Token, env: dict[str, Any]) -> None:
        """Photos of the article's own inside a paragraph of text: markers."""
        renderer, options = self._html, self._md.options
        children = inline.children or []
        for number, child in enumerate(children):
            src = str(child.attrGet("src") or "") if child.type == "image" else ""
            if not src or not is_own(src):
                continue
            alt = renderer.renderInlineAsText(child.children or [], options, env)
            line = int(child.meta.get("line", 0))
            if not alt:
                env["textless"].append((file_name(src), line))
            env["photos"].append(PhotoRef(src, line, alt, "", inline=True))
            placed = Token("html_inline", "", 0)
            placed.content = marker(len(env["photos"]) - 1)
            children[number] = placed

    @property
    def _html(self) -> RendererHTML:
        renderer = self._md.renderer
        assert isinstance(renderer, RendererHTML)
        return renderer

    def _figure(self, image: Token, caption: list[Token] | None, env: dict[str, Any]) -> Token:
        renderer, options = self._html, self._md.options
        alt = renderer.renderInlineAsText(image.children or [], options, env)
        shown = renderer.renderInline(caption, options, env).strip() if caption else ""
        src = str(image.attrGet("src") or "")
        line = int(image.meta.get("line", 0))
        if not alt and not shown:
            env["textless"].append((file_name(src), line))
        block = Token("html_block", "", 0)
        if is_own(src):
            text = alt or " ".join(plain_text(shown).split())
            env["photos"].append(PhotoRef(src, line, text, shown))
            block.content = marker(len(env["photos"]) - 1) + "\n"
            return block
        self._prefix(image, "src")
        image.attrSet("loading", "lazy")
        image.attrSet("decoding", "async")
        img = renderer.image([image], 0, options, env)
        below = f"\n<figcaption>{shown}</figcaption>" if shown else ""
        block.content = f'<figure class="photo">{img}{below}</figure>\n'
        return block


def _number_images(tokens: list[Token], lines: list[str]) -> None:
    """Give every image the line it is written on (`meta["line"]`, from 0)."""
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        start, end = token.map
        for child in token.children or []:
            if child.type != "image":
                continue
            child.meta["line"] = start
            wanted = file_name(str(child.attrGet("src") or ""))
            for number in range(start, end):
                if wanted and wanted in file_name(lines[number]):
                    child.meta["line"] = number
                    start = number  # two images on a line: the second is after it
                    break


def _words(children: list[Token]) -> list[Token]:
    return [c for c in children if not (c.type == "text" and not c.content.strip())]


def _emphasis(children: list[Token]) -> list[Token] | None:
    """What is inside an emphasis that is all of `children`, or None."""
    kept = _words(children)
    if len(kept) >= 2 and kept[0].type == "em_open" and kept[-1].type == "em_close":
        inner = kept[1:-1]
        if not any(c.type in ("em_open", "em_close") for c in inner):
            return inner
    return None


def _alone(tokens: list[Token], index: int) -> tuple[Token, list[Token] | None, int] | None:
    """(image, caption, tokens used) when tokens[index] opens a paragraph that
    is an image alone, with its caption if it has one."""
    if tokens[index].type != "paragraph_open" or index + 2 >= len(tokens):
        return None
    children = _words(tokens[index + 1].children or [])
    if not children or children[0].type != "image":
        return None
    image, rest = children[0], children[1:]
    if not rest:  # the caption may be the next paragraph, in italics
        after = index + 3
        if (
            after + 2 < len(tokens)
            and tokens[after].type == "paragraph_open"
            and (caption := _emphasis(tokens[after + 1].children or [])) is not None
        ):
            return image, caption, 6
        return image, None, 3
    if rest[0].type in ("softbreak", "hardbreak"):
        caption = _emphasis(rest[1:])
        if caption is not None:
            return image, caption, 3
    return None


def first_paragraph(tokens: list[Token]) -> str:
    """Plain text of the first paragraph that is not only emphasis (a photo caption)."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0 or tokens[index - 1].type != "paragraph_open":
            continue
        children = token.children or []
        kinds = {c.type for c in children if c.type not in ("softbreak", "hardbreak")}
        if (
            kinds <= {"em_open", "em_close", "text"}
            and children[:1]
            and children[0].type == "em_open"
        ):
            continue
        text = "".join(c.content for c in children if c.type in ("text", "code_inline"))
        text = " ".join(text.split())
        if text:
            return text
    return ""


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Cut text at a word boundary and add an ellipsis when it is too long."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.–- ")
    return cut + "…"


_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """The text of rendered HTML, tags dropped and entities decoded."""
    return unescape(_TAG.sub(" ", html))
