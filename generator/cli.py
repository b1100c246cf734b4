"""Command line: the only place that prints and chooses exit codes.

Exit codes: 0 built, 1 content or settings problems (nothing written),
2 wrong command-line usage.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
from pathlib import Path

from . import __version__, settings
from .build import Project, build
from .errors import BuildError


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
    serve = commands.add_parser("serve", help="serve the built site on http://127.0.0.1:8000/")
    serve.add_argument(
        "--out", type=Path, default=Path("site"), help="folder to serve (default: site)"
    )
    serve.add_argument("--port", type=int, default=8000)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "serve":
        return run_serve(args.out, args.port)
    return run_build(args)


def run_build(args: argparse.Namespace) -> int:
    root = Path.cwd()
    try:
        site_settings = settings.load(root, {"base_url": args.base_url})
        report = build(Project(root, args.content, args.out), site_settings)
    except BuildError as error:
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
        print(
            f"Built {report.articles} articles ({report.drafts} drafts skipped),"
            f" {report.pages} pages, into {args.out.resolve()} in {seconds:.2f} s."
        )
        serve = f"{_invocation()} serve" + (
            "" if args.out == Path("site") else f" --out {args.out}"
        )
        print(f"To read it: run '{serve}', then open http://127.0.0.1:8000/")
    return 0


def _invocation() -> str:
    """How the user started us, so the printed command works when pasted."""
    program = Path(sys.argv[0])
    if program.name == "__main__.py":
        return "python -m generator"
    try:
        return str(program.resolve().relative_to(Path.cwd()))
    except ValueError:
        return program.name


def run_serve(out: Path, port: int) -> int:
    if not (out / "index.html").is_file():
        print(f"{out}/ holds no built site; run 'archive build' first.", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Serving {out}/ at http://127.0.0.1:{port}/ (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
