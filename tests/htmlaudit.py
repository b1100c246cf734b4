"""What in a page could run: every tag, attribute, URL and script, as a browser sees them.

Used on built pages and on Markdown output by the hostile-content and fuzz tests.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcset", "poster"}
ALLOWED_TAGS = frozenset(
    (  # noqa: SIM905 - a list of words reads better as words
        "html head body title meta link script main header footer nav section aside article"
        " div span p a img h1 h2 h3 h4 h5 h6 ul ol li dl dt dd time strong em del s code pre"
        " blockquote hr br table thead tbody tr th td form label input button select option"
        " fieldset legend noscript figure figcaption picture source"
    ).split()
)


def scheme(url: str) -> str | None:
    """The scheme a lenient browser would see: entities, escapes, controls, spaces dropped."""
    seen = unquote(unescape(url))
    compact = re.sub(r"[\x00-\x20\x7f-\xa0\u200b-\u200f\ufeff]", "", seen)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", compact)
    return match.group(1).lower() if match else None


class Audit(HTMLParser):
    """Every tag, attribute and script of a page, judged as the browser would run it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[str] = []  # JSON-LD texts
        self.script: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in values.items():
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and scheme(value) not in (None, *SAFE_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and values.get("http-equiv", "Content-Security-Policy") != (
            "Content-Security-Policy"
        ):
            self.problems.append(f"<meta http-equiv={values['http-equiv']!r}>")
        if tag == "form" and not values.get("action", "").endswith("/tim-kiem/"):
            self.problems.append(f"<form action={values.get('action')!r}>")
        if tag == "script":
            if values.get("type") == "application/ld+json":
                self.script = ""
            elif not re.fullmatch(r"/assets/js/[\w.-]+\.js", values.get("src", "")):
                self.problems.append(f"<script {values}>")

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script += data
        else:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.scripts.append(self.script)
            self.script = None


def audit(html: str) -> Audit:
    found = Audit()
    found.feed(html)
    found.close()
    return found
