"""`archive check`: every problem of the content without building; or, with
--links, every broken link of a built folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import settings
from generator.build import links
from generator.build.pipeline import check
from generator.build.run import Project
from generator.commands.output import count, invocation, print_found
from generator.content.sources import parse_term
from generator.errors import BuildError, ContentError
from generator.site.board import Board, Entry, board, congresses


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content", type=Path, default=Path("content"), help="articles folder (default: content)"
    )
    parser.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text (default), github (GitHub Actions annotations) or json",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as problems")
    parser.add_argument(
        "--links",
        nargs="?",
        const=Path("site"),
        type=Path,
        metavar="DIR",
        help="instead, check that every link, image and asset inside the built site"
        " in DIR (default: site) points somewhere",
    )
    parser.add_argument(
        "--congress",
        metavar="TERM",
        help="also list the units without news of their congress for TERM (e.g. 2025-2030)",
    )


def run(args: argparse.Namespace) -> int:
    """Load and validate everything a build reads; print every problem."""
    if args.links is not None:
        return run_links(args)
    term = None
    if args.congress is not None:
        try:
            term = parse_term(args.congress)
        except ValueError as error:
            print(f"--congress: {error}", file=sys.stderr)
            return 2
    root = Path.cwd()
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    articles = 0
    site = None
    try:
        site_settings = settings.load(root, {})
    except BuildError as error:
        errors = list(error.problems)
    else:
        # drafts count: a congress reported in a draft is still to be published
        checked = check(Project(root, args.content, Path("site")), site_settings, drafts=True)
        errors = list(checked.problems)
        site = checked.site
        articles = len(site.articles) if site else 0
        warnings = [w for w in checked.warnings if w not in errors]
    if args.strict:
        errors, warnings = sorted(errors + warnings, key=ContentError.sort_key), []
    found = [(e, "error") for e in errors] + [(w, "warning") for w in warnings]
    summary = _summary(len(errors), len(warnings), articles)
    data: dict[str, object] = {"ok": not errors, "articles": articles}
    report: list[str] = []
    if term is not None and site is not None and not errors:
        made = board(site, term, congresses(site.articles), everyone=True)
        data["congress"] = _board_data(made)
        report = _board_lines(made)
    print_found(args.format, found, data, summary)
    if args.format == "text":
        for line in report:
            print(line)
    return 1 if errors else 0


def _board_data(made: Board) -> dict[str, object]:
    """The congress board as JSON: every unit without news of its congress,
    with the units above it."""
    return {
        "term": made.term,
        "held": made.held,
        "units": made.total,
        "missing": [
            {"unit": entry.name, "parents": list(parents)} for entry, parents in _missing(made)
        ],
    }


def _board_lines(made: Board) -> list[str]:
    """What the staff chasing the missing reports read: the count, then each
    unit without news of its congress, with the unit above it."""
    missing = _missing(made)
    if not made.total:
        return [f"Term {made.term}: no units."]
    lines = [
        f"Term {made.term}: {made.held} of {count(made.total, 'unit')} have news of their"
        f" congress; {len(missing)} not yet{':' if missing else '.'}"
    ]
    for entry, parents in missing:
        above = f" (in {parents[0]})" if parents else ""
        below = len(entry.children)
        progress = f"; {entry.held} of {below} below it have news of theirs" if below else ""
        lines.append(f"  {entry.name}{above}{progress}")
    return lines


def _missing(made: Board) -> list[tuple[Entry, tuple[str, ...]]]:
    """Every unit without news of its congress, in the board's order, with
    the names of the units above it (nearest first)."""
    found: list[tuple[Entry, tuple[str, ...]]] = []

    def walk(entries: tuple[Entry, ...], parents: tuple[str, ...]) -> None:
        for entry in entries:
            if entry.congress is None:
                found.append((entry, parents))
            walk(entry.children, (entry.name, *parents))

    walk(made.entries, ())
    return found


def run_links(args: argparse.Namespace) -> int:
    """Check the links of a built folder on disk, as every build does before the swap."""
    folder: Path = args.links
    if not (folder / "index.html").is_file():
        print(
            f"{folder}/ holds no built site (no index.html); run '{invocation()} build' first",
            file=sys.stderr,
        )
        return 1
    root = Path.cwd()
    try:
        site_settings = settings.load(root, {})
    except BuildError as error:
        found = [(problem, "error") for problem in error.problems]
        print_found(args.format, found, {"ok": False, "pages": 0}, "The settings have problems.")
        return 1

    def sources() -> dict[str, str]:
        """Where each article's Markdown is, to name the line of a broken link in it;
        none when content/ is missing or has problems (each link's page is named)."""
        site = check(Project(root, args.content, folder), site_settings).site
        return {article.url: article.source for article in site.articles} if site else {}

    result = links.check_folder(folder, site_settings, sources)
    problems = result.problems
    noun = count(len(problems), "broken link")
    summary = f"{noun} to fix." if problems else f"No broken links: {result.pages} pages checked."
    found = [(problem, "error") for problem in problems]
    print_found(args.format, found, {"ok": not problems, "pages": result.pages}, summary)
    return 1 if problems else 0


def _summary(errors: int, warnings: int, articles: int) -> str:
    def count(n: int, noun: str) -> str:
        return f"{n} {noun}{'' if n == 1 else 's'}"

    if errors:
        return f"{count(errors, 'problem')} to fix, {count(warnings, 'warning')}."
    tail = f" ({count(warnings, 'warning')})" if warnings else ""
    return f"No problems: {count(articles, 'article')} checked{tail}."
