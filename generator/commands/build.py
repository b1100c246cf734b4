"""`archive build`: build the site, print a line per stage and what was built."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from generator import settings
from generator.build.pipeline import build
from generator.build.run import Clock, Options, Project, Report
from generator.commands.output import count, invocation
from generator.errors import BuildError, BuildFailure
from generator.infra import cache, progress


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content", type=Path, default=Path("content"), help="articles folder (default: content)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("site"), help="output folder (default: site)"
    )
    parser.add_argument(
        "--base-url", help="address the site is published at, e.g. https://example.org/archive/"
    )
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    parser.add_argument("--strict", action="store_true", help="treat warnings as problems")
    parser.add_argument(
        "--clean",
        action="store_true",
        help="ignore the build cache and the published site: rebuild everything",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help=f"build cache folder (default: {cache.DEFAULT_DIR}); safe to keep between CI runs",
    )
    parser.add_argument(
        "--jobs", type=_jobs, default=0, metavar="N", help="processes to use (default: all cores)"
    )


def run(args: argparse.Namespace) -> int:
    root = Path.cwd()
    options = Options(strict=args.strict, clean=args.clean, cache_dir=args.cache, jobs=args.jobs)
    bar = progress.Bar(sys.stderr) if not args.quiet else None
    clock = Clock(
        on_stage=None if args.quiet else progress.stage_line(sys.stdout, bar),
        progress=bar.update if bar else None,
    )
    try:
        site_settings = settings.load(root, {"base_url": args.base_url})
        with _terminate_as_interrupt():
            report = build(Project(root, args.content, args.out), site_settings, options, clock)
    except KeyboardInterrupt:
        if bar:
            bar.clear()
        print(f"Build interrupted; {args.out}/ was not changed.", file=sys.stderr)
        return 130
    except (BuildError, BuildFailure) as error:
        if bar:
            bar.clear()
        problems = error.problems if isinstance(error, BuildError) else (error,)
        for problem in problems:
            print(problem, file=sys.stderr)
        noun = count(len(problems), "problem")
        print(f"Build stopped: {noun}; {args.out}/ was not changed.", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    if not args.quiet:
        _summary(report, args.out)
        if site_settings.absolute_base is None:
            print(PUBLISHING_NOTE)
    return 0


# Said once per build without the site's full address: fine for a look at
# the site, not for publishing it.
PUBLISHING_NOTE = (
    "Note: no full address (https://...) was given, so pages have no canonical link and"
    " there is no sitemap; to publish, build with --base-url https://your.host/path/"
    " (or base_url in archive.yaml)."
)


def _summary(report: Report, out: Path) -> None:
    """What was built (or that nothing had to be), and how to look at it."""
    seconds = sum(report.timings.values())
    skipped = f" ({count(report.drafts, 'draft')} skipped)" if report.drafts else ""
    if report.up_to_date:
        print(
            f"Nothing changed: {out.resolve()} is up to date"
            f" ({count(report.articles, 'article')}, {count(report.files, 'file')};"
            f" checked in {seconds:.2f} s)."
        )
    else:
        print(
            f"Built {count(report.articles, 'article')}{skipped},"
            f" {count(report.pages, 'page')}, into {out.resolve()} in {seconds:.2f} s."
        )
    print(f"To read it: run '{invocation()} serve --site {out}', then open http://127.0.0.1:8000/")


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
