"""Links stage: where an editor fixes a broken link.

A link written in an article is reported at its Markdown line; one the
layouts make, once per layout line (naming the first page it is on and how
many others); in a built folder whose layouts are unknown, by its page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from generator.build.linkcheck import Broken
from generator.errors import ContentError
from generator.infra.files import display_path


def locate(
    broken: Sequence[Broken],
    sources: Mapping[str, str],
    templates: Mapping[str, str] | None = None,
    layouts: Path | None = None,
    base_path: str = "/",
) -> list[ContentError]:
    """One problem per broken link, where an editor fixes it.

    `sources`: article URL -> its Markdown file; `templates`: page URL -> the
    layout it is made from. A link written in an article is reported at its
    Markdown line; any other once per layout line (or page, when layouts are
    unknown), naming the first page it is on.
    """
    grouped: dict[tuple[str, int | None, str, str], list[str]] = {}
    texts: dict[Path, list[str]] = {}
    in_layouts: dict[tuple[str, str], tuple[Path, int | None, str | None]] = {}

    def lines(path: Path) -> list[str]:
        if path not in texts:
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            texts[path] = text.splitlines()
        return texts[path]

    for link in broken:
        forms = _written_forms(link.target, base_path)
        source = sources.get(link.page)
        place = _find(lines(Path(source)), forms, markdown=True) if source else None
        template = (templates or {}).get(link.page)
        key: tuple[str, int | None, str, str]
        if source and place:
            key = (source, place[0], place[1], link.reason)
        elif template and layouts is not None:
            if (template, link.target) not in in_layouts:
                in_layouts[template, link.target] = _in_layouts(layouts, template, forms, lines)
            layout, number, written = in_layouts[template, link.target]
            key = (display_path(layout), number, written or link.target, link.reason)
        else:
            key = ("", None, link.target, link.reason)
        grouped.setdefault(key, []).append(link.page)
    return [_problem(*key, pages) for key, pages in grouped.items()]


def _problem(
    where: str, line: int | None, target: str, reason: str, pages: list[str]
) -> ContentError:
    """`where:line: link to 'target' reason (on page P and N other pages)`."""
    others = len(dict.fromkeys(pages)) - 1
    more = f" and {others} other page{'s' if others > 1 else ''}" if others else ""
    message = f"link to '{target}' {reason}"
    if where:
        return ContentError(where, line, f"{message} (on page {pages[0]}{more})")
    also = f" (and on{more[4:]})" if more else ""  # a built folder: its layouts are unknown
    return ContentError(f"site page {pages[0]}", line, message + also)


def _written_forms(target: str, base_path: str) -> list[str]:
    """How a link may be written in a source: Markdown adds the base path itself."""
    forms = [target, unescape(target)]
    if base_path != "/" and target.startswith(base_path):
        forms.insert(0, "/" + target[len(base_path) :])
    forms += [unquote(form) for form in forms if "%" in form]
    return list(dict.fromkeys(forms))


def _find(lines: list[str], forms: list[str], markdown: bool) -> tuple[int, str] | None:
    """(line number, form) of the first line holding a form; a link's `](` first."""
    patterns = [(f"]({form}", form) for form in forms] if markdown else []
    patterns += [(f"{quote}{form}{quote}", form) for form in forms for quote in "\"'"]
    patterns += [(form, form) for form in forms]
    for pattern, form in patterns:
        for number, line in enumerate(lines, 1):
            if pattern in line:
                return number, form
    return None


def _in_layouts(
    layouts: Path, template: str, forms: list[str], lines: Callable[[Path], list[str]]
) -> tuple[Path, int | None, str | None]:
    """The layout line that writes the link: the page's own layout first, then the others."""
    others = sorted(p for p in layouts.rglob("*.html") if p != layouts / template)
    for path in [layouts / template, *others]:
        place = _find(lines(path), forms, markdown=False)
        if place:
            return path, *place
    return layouts / template, None, None
