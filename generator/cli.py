"""Command line: the only place that prints and chooses exit codes.

Exit codes: 0 built, 1 content or settings problems (nothing written),
2 wrong command-line usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from . import __version__, cache, importer, linkcheck, progress, settings
from .build import Options, Project, Report, build, read
from .content import display_path
from .errors import BuildError, ContentError, as_dict, github_annotation
from .newcmd import run as run_new
from .servecmd import run_serve


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="archive", description="Build the static archive of Party-congress news."
    )
    main.add_argument("--version", action="version", version=f"archive {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    make = commands.add_parser("build", help="build the site from content/ into site/")
    make.add_argument(
        "--content", type=Path, default=Path("content"), help="articles folder (default: content)"
    )
    make.add_argument(
        "--out", type=Path, default=Path("site"), help="output folder (default: site)"
    )
    make.add_argument(
        "--base-url", help="address the site is published at, e.g. https://example.org/archive/"
    )
    make.add_argument("--quiet", action="store_true", help="print only problems")
    make.add_argument("--strict", action="store_true", help="treat warnings as problems")
    make.add_argument(
        "--clean",
        action="store_true",
        help="ignore the build cache and the published site: rebuild everything",
    )
    make.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help=f"build cache folder (default: {cache.DEFAULT_DIR}); safe to keep between CI runs",
    )
    make.add_argument(
        "--jobs", type=_jobs, default=0, metavar="N", help="processes to use (default: all cores)"
    )
    check = commands.add_parser("check", help="check all content without building")
    check.add_argument(
        "--content", type=Path, default=Path("content"), help="articles folder (default: content)"
    )
    check.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text (default), github (GitHub Actions annotations) or json",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as problems")
    check.add_argument(
        "--links",
        nargs="?",
        const=Path("site"),
        type=Path,
        metavar="DIR",
        help="instead, check that every link, image and asset inside the built site"
        " in DIR (default: site) points somewhere",
    )
    new = commands.add_parser("new", help="create a new article file and print its path")
    new.add_argument(
        "--content", type=Path, default=Path("content"), help="articles folder (default: content)"
    )
    new.add_argument("--title")
    new.add_argument("--unit", help="unit name; a registered alias or a unique part completes")
    new.add_argument("--term", help="e.g. 2025-2030 (default: the term in use for the date)")
    new.add_argument("--date", help="e.g. 17/6/2025 or 17/6/2025 08:30 (default: today)")
    new.add_argument("--author")
    new.add_argument("--draft", action="store_true", help="mark the article as a draft")
    new.add_argument(
        "--no-input", action="store_true", help="never ask; fail when a field is missing"
    )
    imports = commands.add_parser(
        "import", help="turn news texts (.txt, .docx) into articles; print their paths"
    )
    imports.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imports.add_argument(
        "--into", type=Path, default=Path("content"), metavar="DIR",
        help="content folder to write into; its units.yaml names the units (default: content)",
    )  # fmt: skip
    for name in ("unit", "term", "date", "author"):
        imports.add_argument(f"--{name}", help=f"the {name} of every article, not read from text")
    serve = commands.add_parser(
        "serve", help="live preview of content/ with drafts on http://127.0.0.1:8000/"
    )
    serve.add_argument(
        "--content", type=Path, default=Path("content"), help="articles folder (default: content)"
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free)"
    )
    serve.add_argument(
        "--site",
        "--out",
        dest="site",
        type=Path,
        metavar="DIR",
        help="serve this built folder as is, without building or watching",
    )
    return main


def entry() -> None:
    """The `archive` command (and `python -m generator`): main(), then an exit
    that does not take the site model apart object by object (0.2 s at 10,000
    articles). Everything was written and closed by then; output is flushed."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "serve":
        return run_serve(args)
    if args.command == "check":
        return run_check(args)
    if args.command == "new":
        return run_new(args)
    if args.command == "import":
        return run_import(args)
    return run_build(args)


def run_build(args: argparse.Namespace) -> int:
    root = Path.cwd()
    options = Options(strict=args.strict, clean=args.clean, cache_dir=args.cache, jobs=args.jobs)
    bar = progress.Bar(sys.stderr) if not args.quiet else None
    report = Report(
        on_stage=None if args.quiet else progress.stage_line(sys.stdout, bar),
        progress=bar.update if bar else None,
    )
    try:
        site_settings = settings.load(root, {"base_url": args.base_url})
        with _terminate_as_interrupt():
            build(
                Project(root, args.content, args.out), site_settings, options=options, report=report
            )
    except KeyboardInterrupt:
        if bar:
            bar.clear()
        print(f"Build interrupted; {args.out}/ was not changed.", file=sys.stderr)
        return 130
    except BuildError as error:
        if bar:
            bar.clear()
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        noun = "problem" if count == 1 else "problems"
        print(f"Build stopped: {count} {noun}; {args.out}/ was not changed.", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    if not args.quiet:
        seconds = sum(report.timings.values())
        if report.up_to_date:
            print(
                f"Nothing changed: {args.out.resolve()} is up to date"
                f" ({report.articles} articles, {report.files} files; checked in {seconds:.2f} s)."
            )
        else:
            print(
                f"Built {report.articles} articles ({report.drafts} drafts skipped),"
                f" {report.pages} pages, into {args.out.resolve()} in {seconds:.2f} s."
            )
        print(
            f"To read it: run '{_invocation()} serve --site {args.out}',"
            " then open http://127.0.0.1:8000/"
        )
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Write one article per news text; name what the editor must check."""
    try:
        zone = settings.load(Path.cwd(), {}).zone
        given = importer.Given.from_flags(args.unit, args.term, args.date, args.author, zone)
        done = importer.import_files(args.files, args.into, given, zone, _warn)
    except ValueError as error:  # a flag's value
        print(f"archive import: error: {error}", file=sys.stderr)
        return 2
    except BuildError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("Import stopped; nothing was written.", file=sys.stderr)
        return 1
    except ContentError as error:  # writing failed: the message says what was written
        print(error, file=sys.stderr)
        return 1
    for article in done:
        for note in article.draft.notes:
            print(f"{note} (warning)", file=sys.stderr)
        print(display_path(article.path))
        if article.draft_line is not None:
            where = f"{display_path(article.path)}:{article.draft_line}"
            print(f"{where}: a draft until you check {'; '.join(article.draft.checks)}")
    drafts = sum(article.draft_line is not None for article in done)
    print(f"Imported {_count(len(done), 'article')} ({_count(drafts, 'draft')} to check).")
    return 0


def _warn(problem: ContentError) -> None:
    print(f"{problem} (warning)", file=sys.stderr)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def run_check(args: argparse.Namespace) -> int:
    """Load and validate everything a build reads; print every problem."""
    if args.links is not None:
        return run_check_links(args)
    root = Path.cwd()
    report = Report()
    errors: list[ContentError] = []
    try:
        site_settings = settings.load(root, {})
        site = read(Project(root, args.content, Path("site")), site_settings, report, drafts=True)
        articles = len(site.articles)
    except BuildError as error:
        errors, articles = list(error.problems), 0
    warnings = [w for w in report.warnings if w not in errors]
    if args.strict:
        errors, warnings = sorted(errors + warnings, key=ContentError.sort_key), []
    found = [(e, "error") for e in errors] + [(w, "warning") for w in warnings]
    summary = _check_summary(len(errors), len(warnings), articles)
    _print_found(args.format, found, {"ok": not errors, "articles": articles}, summary)
    return 1 if errors else 0


def run_check_links(args: argparse.Namespace) -> int:
    """Check the links of a built folder on disk, as every build does before the swap."""
    folder: Path = args.links
    if not (folder / "index.html").is_file():
        print(
            f"{folder}/ holds no built site (no index.html); run '{_invocation()} build' first",
            file=sys.stderr,
        )
        return 1
    root = Path.cwd()
    try:
        site_settings = settings.load(root, {})
    except BuildError as error:
        found = [(problem, "error") for problem in error.problems]
        _print_found(args.format, found, {"ok": False, "pages": 0}, "The settings have problems.")
        return 1
    files = linkcheck.files_in(folder)
    pages = {
        name: linkcheck.links_of((folder / name).read_text(encoding="utf-8", errors="replace"))
        for name in sorted(files)
        if name.endswith(".html")
    }
    base = site_settings.base_path
    broken = linkcheck.check(pages, files, base, site_settings.absolute_base)
    sources: dict[str, str] = {}
    if broken:  # name the Markdown line of a link written in an article
        try:
            site = read(Project(root, args.content, folder), site_settings, Report())
            sources = {article.url: article.source for article in site.articles}
        except BuildError:
            sources = {}  # content/ is missing or has problems: name each link's page
    problems = sorted(linkcheck.locate(broken, sources, base_path=base), key=ContentError.sort_key)
    noun = f"{len(problems)} broken link{'' if len(problems) == 1 else 's'}"
    summary = f"{noun} to fix." if problems else f"No broken links: {len(pages)} pages checked."
    found = [(problem, "error") for problem in problems]
    _print_found(args.format, found, {"ok": not problems, "pages": len(pages)}, summary)
    return 1 if problems else 0


def _print_found(
    fmt: str, found: list[tuple[ContentError, str]], data: dict[str, object], summary: str
) -> None:
    """Print problems as text (with a summary line), GitHub annotations or JSON."""
    if fmt == "json":
        data["problems"] = [as_dict(problem, level) for problem, level in found]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "github":
        for problem, level in found:
            print(github_annotation(problem, level))
    else:
        for problem, level in found:
            print(problem if level == "error" else f"{problem} (warning)")
        print(summary)


def _check_summary(errors: int, warnings: int, articles: int) -> str:
    def count(n: int, noun: str) -> str:
        return f"{n} {noun}{'' if n == 1 else 's'}"

    if errors:
        return f"{count(errors, 'problem')} to fix, {count(warnings, 'warning')}."
    tail = f" ({count(warnings, 'warning')})" if warnings else ""
    return f"No problems: {count(articles, 'article')} checked{tail}."


def _invocation() -> str:
    """How the user started us, so the printed command works when pasted."""
    program = Path(sys.argv[0])
    if program.name == "__main__.py":
        return "python -m generator"
    try:
        return str(program.resolve().relative_to(Path.cwd()))
    except ValueError:
        return program.name


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI job cancelled) stops the build like Ctrl-C: cleanly."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (0: all cores)")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0-65535)")
    return int(text)
