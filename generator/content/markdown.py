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
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

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
            prefix(tokens[idx], "src")
            tokens[idx].attrSet("loading", "lazy")
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
        self._refused = {}
        tokens = self._md.parse(source)
        _shift_headings(tokens)
        _align_cells(tokens)
        html = self._md.renderer.render(tokens, self._md.options, {})
        return Rendered(html, first_paragraph(tokens), tuple(self._refused))


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
