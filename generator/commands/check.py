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
from generator.errors import BuildError, ContentError


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


def run(args: argparse.Namespace) -> int:
    """Load and validate everything a build reads; print every problem."""
    if args.links is not None:
        return run_links(args)
    root = Path.cwd()
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    articles = 0
    try:
        site_settings = settings.load(root, {})
    except BuildError as error:
        errors = list(error.problems)
    else:
        checked = check(Project(root, args.content, Path("site")), site_settings, drafts=True)
        errors = list(checked.problems)
        articles = len(checked.site.articles) if checked.site else 0
        warnings = [w for w in checked.warnings if w not in errors]
    if args.strict:
        errors, warnings = sorted(errors + warnings, key=ContentError.sort_key), []
    found = [(e, "error") for e in errors] + [(w, "warning") for w in warnings]
    summary = _summary(len(errors), len(warnings), articles)
    print_found(args.format, found, {"ok": not errors, "articles": articles}, summary)
    return 1 if errors else 0


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
