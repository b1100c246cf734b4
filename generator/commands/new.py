"""Command line, `archive new`: ask for (or take) the fields, write the file.

Part of the command line (it prompts and prints); what the file says and
where it goes is decided by the pure functions in scaffold.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from generator import settings
from generator.content import kinds, registry, scaffold
from generator.content.sources import parse_term
from generator.dates import parse_date
from generator.errors import BuildError, ContentError
from generator.infra.files import display_path
from generator.vietnamese import collapse_spaces, slugify

KIND_CHOICES = ", ".join(kinds.KINDS)


class Missing(Exception):
    """A field was not given (or given wrong) and cannot be asked for."""

    def __init__(self, name: str, message: str | None = None) -> None:
        super().__init__(name)
        self.name = name
        self.message = message or f"{name} is missing; give it as --{name}"


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content", type=Path, default=Path("content"), help="articles folder (default: content)"
    )
    parser.add_argument("--title")
    parser.add_argument("--unit", help="unit name; a registered alias or a unique part completes")
    parser.add_argument("--term", help="e.g. 2025-2030 (default: the term in use for the date)")
    parser.add_argument("--date", help="e.g. 17/6/2025 or 17/6/2025 08:30 (default: today)")
    parser.add_argument("--author")
    parser.add_argument(
        "--kind",
        help="what it reports: dai-hoi (Đại hội), hoi-nghi (Hội nghị) or tin (Tin hoạt động);"
        " default: read from the title",
    )
    parser.add_argument("--draft", action="store_true", help="mark the article as a draft")
    parser.add_argument(
        "--image", type=Path, help="a photo to lead the article: copied into a folder beside it"
    )
    parser.add_argument(
        "--no-input", action="store_true", help="never ask; fail when a field is missing"
    )


def run(args: argparse.Namespace) -> int:
    try:
        site_settings = settings.load(Path.cwd(), {})
        units = registry.load(args.content, lambda w: print(f"{w} (warning)", file=sys.stderr))
    except (BuildError, ContentError) as error:
        problems = error.problems if isinstance(error, BuildError) else (error,)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    known_units, known_terms = scaffold.in_use(args.content)
    ask = Asker(args.no_input, [*units.names(), *known_units])
    try:
        title = ask.field("title", args.title, _text)
        unit_typed = ask.field("unit", args.unit, _text, completions=True)
        now = datetime.now(site_settings.zone)
        today = f"{now.day}/{now.month}/{now.year}"
        date = ask.field("date", args.date, _date(site_settings), default=today)
        year = parse_date(date, site_settings.zone).moment.year
        term = ask.field("term", args.term, parse_term, scaffold.default_term(known_terms, year))
        author = ask.field("author", args.author, _optional, default="", optional=True)
        guess = kinds.read_kind(title, "").kind
        kind = ask.field("kind", args.kind, kinds.parse_kind, default=guess, hint=KIND_CHOICES)
    except Missing as error:
        print(error.message, file=sys.stderr)
        return 1
    unit, completed = scaffold.resolve_unit(unit_typed, units, known_units)
    if completed:
        print(f"unit: '{unit_typed}' is written as '{unit}'", file=sys.stderr)
    elif units and units.find(unit) is None:
        nearest = units.suggest(unit)
        hint = f"; did you mean {' or '.join(repr(n) for n in nearest)}?" if nearest else ""
        print(f"unit '{unit}' is not in {units.path}{hint} (warning)", file=sys.stderr)
    if args.image is not None and not args.image.is_file():
        print(f"--image: {display_path(args.image)} is not a file", file=sys.stderr)
        return 1
    path = scaffold.target(args.content, year, title)
    photo = _photo_place(path, args.image) if args.image is not None else None
    image = f"{photo.parent.name}/{photo.name}" if photo else None
    new = scaffold.NewArticle(title, unit, term, date, author or None, args.draft, image, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(scaffold.file_text(new))
    if photo is not None:
        photo.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.image, photo)
        print(display_path(photo))
    print(display_path(path))
    print("Write the article below the second '---' line; 'archive serve' shows it as you save.")
    if photo is not None:
        print("Write what the photo shows in italics on the line under it: *…*")
    return 0


def _photo_place(article: Path, photo: Path) -> Path:
    """Where a new article's photo goes: a folder named like the article, beside it."""
    stem = slugify(photo.stem) or "anh"
    return article.with_suffix("") / f"{stem}{photo.suffix.lower()}"


def _text(raw: str) -> str:
    value = collapse_spaces(raw)
    if not value:
        raise ValueError("it must not be empty")
    return value


def _optional(raw: str) -> str:
    return collapse_spaces(raw)


def _date(site: settings.Settings) -> Callable[[str], str]:
    def check(raw: str) -> str:
        value = collapse_spaces(raw)
        parse_date(value, site.zone)  # raises ValueError with the reason
        return value

    return check


class Asker:
    """Takes a flag's value, or asks on the terminal (with Tab completion)."""

    def __init__(self, no_input: bool, completions: Sequence[str]) -> None:
        self.no_input = no_input
        self.completions = list(dict.fromkeys(completions))

    def field(
        self,
        name: str,
        given: str | None,
        check: Callable[[str], str],
        default: str | None = None,
        optional: bool = False,
        completions: bool = False,
        hint: str = "",  # the choices, shown in the question
    ) -> str:
        if given is not None:
            try:
                return check(given)
            except ValueError as error:
                raise Missing(name, f"--{name}: {error}") from None
        if self.no_input:
            if default is not None:
                return check(default)
            raise Missing(name)
        while True:
            shown = f" [{default}]" if default else (" (optional)" if optional else "")
            choices = f" ({hint})" if hint else ""
            answer = self._input(f"{name}{choices}{shown}: ", completions)
            if answer is None:
                raise Missing(name)
            try:
                return check(answer.strip() or (default or ""))
            except ValueError as error:
                print(f"  {error}", file=sys.stderr)

    def _input(self, prompt: str, completions: bool) -> str | None:
        if completions and sys.stdin.isatty():
            _complete_from(self.completions)
            print("  (Tab completes unit names)", file=sys.stderr)
        try:
            return input(prompt)
        except EOFError:
            return None
        finally:
            if completions and sys.stdin.isatty():
                _complete_from([])


def _complete_from(names: list[str]) -> None:
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return

    def complete(text: str, state: int) -> str | None:
        line = readline.get_line_buffer()
        matches = [n for n in names if n.casefold().startswith(line.casefold())]
        return matches[state] if state < len(matches) else None

    readline.set_completer_delims("")  # complete the whole line: names have spaces
    readline.set_completer(complete if names else None)
    readline.parse_and_bind("tab: complete")
