"""`archive new`: what a new article file says and where it goes.

Pure functions, plus a quick scan of the content folder for the units and
terms already in use (so the editor is offered them).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.content.files import article_files
from generator.content.registry import Registry
from generator.content.sources import parse_term
from generator.vietnamese import collapse_spaces, fold, slugify

FALLBACK_SLUG = "bai-viet"
_FIELD_LINE = re.compile(r"^(unit|term):\s*[\"']?(.*?)[\"']?\s*$")


@dataclass(frozen=True, slots=True)
class NewArticle:
    title: str
    unit: str
    term: str  # "2025-2030"
    date: str  # as the editor gave it, already checked: "22/11/2026" or "2026-11-22 08:30"
    author: str | None = None
    draft: bool = False
    image: str | None = None  # the lead photo, relative to the article file
    kind: str | None = None  # what it reports (kinds.KINDS)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def file_text(new: NewArticle) -> str:
    lines = [
        "---",
        f"title: {_quoted(new.title)}",
        f"unit: {_quoted(new.unit)}",
        f"term: {_quoted(new.term)}",
        f"date: {_quoted(new.date)}",
    ]
    if new.author:
        lines.append(f"author: {_quoted(new.author)}")
    if new.kind:
        lines.append(f"kind: {new.kind}")
    if new.draft:
        lines.append("draft: true")
    if new.image:
        lines.append(f"image: {_quoted(new.image)}")
        # the photo placed where it shows; its caption goes on the line under it
        return "\n".join([*lines, "---", "", "", f"![]({new.image})", "", ""])
    return "\n".join([*lines, "---", "", ""])


def target(content_dir: Path, year: int, title: str) -> Path:
    """`content/<year>/<slug>.md`, with -2, -3 ... when that file exists."""
    slug = slugify(title) or FALLBACK_SLUG
    folder = content_dir / str(year)
    path, number = folder / f"{slug}.md", 1
    while path.exists():
        number += 1
        path = folder / f"{slug}-{number}.md"
    return path


def in_use(content_dir: Path) -> tuple[list[str], list[str]]:
    """Units and terms the existing articles name, most used first.

    A line scan of each file's front matter: cheap, and a broken file must not
    stop an editor from starting a new one.
    """
    units: Counter[str] = Counter()
    terms: Counter[str] = Counter()
    for path in article_files(content_dir) if content_dir.is_dir() else ():
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle):
                if (number and line.rstrip() == "---") or number > 40:
                    break
                match = _FIELD_LINE.match(line)
                if match and match.group(1) == "unit":
                    units[collapse_spaces(match.group(2))] += 1
                elif match:
                    with contextlib.suppress(ValueError):
                        terms[parse_term(match.group(2))] += 1
    return [u for u, _ in units.most_common()], [t for t, _ in terms.most_common()]


def resolve_unit(typed: str, registry: Registry, known: Iterable[str]) -> tuple[str, bool]:
    """The unit name to write, and whether it was completed from a shorter one.

    A registered name (or alias) becomes the canonical name; otherwise a name
    whose words include every word typed, when exactly one does, is taken.
    """
    typed = collapse_spaces(typed)
    unit = registry.find(typed)
    if unit is not None:
        return unit.name, unit.name != typed
    names = list(dict.fromkeys([*(u.name for u in registry.units), *known]))
    if typed in names:
        return typed, False
    words = set(fold(typed).split())
    matches = [name for name in names if words and words <= set(fold(name).split())]
    if len(matches) == 1:
        return matches[0], True
    return typed, False


def default_term(terms: Iterable[str], year: int) -> str | None:
    """The newest term in use that covers the year (a congress year starts its term)."""
    covering = []
    for term in terms:
        start, _, end = term.partition("-")
        if start.isdigit() and end.isdigit() and int(start) <= year < int(end):
            covering.append(term)
    return max(covering, default=None)
