"""Command line: parse the arguments, run one command, exit with its code.

Exit codes: 0 built, 1 content or settings problems (nothing written),
2 wrong command-line usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator import __version__
from generator.commands import build, check, import_, new, serve
from generator.infra import cache


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
    commands = {"serve": serve.run, "check": check.run, "new": new.run, "import": import_.run}
    return commands.get(args.command, build.run)(args)


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
