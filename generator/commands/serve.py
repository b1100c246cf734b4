"""Command line, `archive serve`: the editors' live preview, or a built folder as is.

Part of the command line (it prints); the server, watcher and live reload are
in preview.py, the build in build/pipeline.py.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from generator import settings
from generator.build.pipeline import build
from generator.build.publish import remove_output
from generator.build.run import Options, Project
from generator.commands.output import count
from generator.commands.preview import Preview
from generator.errors import BuildError, BuildFailure


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content", type=Path, default=Path("content"), help="articles folder (default: content)"
    )
    parser.add_argument(
        "--port", type=_port, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free)"
    )
    parser.add_argument(
        "--site",
        "--out",
        dest="site",
        type=Path,
        metavar="DIR",
        help="serve this built folder as is, without building or watching",
    )


def run(args: argparse.Namespace) -> int:
    """The editors' live preview of the project; with --site, a built folder as is."""
    if args.site is not None:
        if not (args.site / "index.html").is_file():
            print(f"{args.site}/ holds no built site; run 'archive build' first.", file=sys.stderr)
            return 1
        return _serve(args.site, args.port, None)
    # A private folder, never site/: the preview shows drafts, and site/ is what gets published.
    folder = Path(tempfile.mkdtemp(prefix="archive-xem-truoc-"))
    project = Project(Path.cwd(), args.content, folder / "site")
    try:
        return _serve(project.out, args.port, project)
    finally:
        remove_output(project.out)
        shutil.rmtree(folder, ignore_errors=True)


def _serve(folder: Path, port: int, project: Project | None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    try:
        server = Preview(folder, port, live=project is not None)
    except OSError as error:
        print(_port_problem(port, error), file=sys.stderr)
        return 1
    with contextlib.closing(server), contextlib.suppress(KeyboardInterrupt):
        if project is None:
            print(f"Serving {folder}/ at {server.url} (Ctrl+C stops)", flush=True)
        else:
            server.watch(_watched(project), functools.partial(_rebuild_preview, project))
            print(f"Preview with drafts at {server.url} (Ctrl+C stops)", flush=True)
        server.serve_forever()
    print("Stopped.", flush=True)
    return 0


def _stop(signum: int, frame: object) -> None:
    """SIGTERM stops like Ctrl+C: cleanly, the private folder removed."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not break the cleanup
    raise KeyboardInterrupt


def _port_problem(port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is already in use; choose another, e.g. --port {port + 1}"
    return f"port {port} cannot be opened: {error.strerror or error}"


def _watched(project: Project) -> tuple[Path, ...]:
    """Everything a preview build reads (content/ holds units.yaml); missing paths are fine."""
    settings_file = project.root / settings.SETTINGS_FILE
    return (project.content, project.layouts, project.assets, settings_file)


def _rebuild_preview(project: Project) -> tuple[str, ...]:
    """One preview build, drafts included and linked from /; prints its result."""
    start = time.perf_counter()
    try:
        site_settings = settings.load(project.root, {"base_url": "/"})
        report = build(project, site_settings, Options(drafts=True))
    except BuildError as error:
        problems = tuple(str(problem) for problem in error.problems)
    except BuildFailure as error:
        problems = (str(error),)
    except Exception as error:
        # A bug rather than the content: show it and keep watching instead of dying silently.
        traceback.print_exc()
        problems = (f"internal error, not a problem in the content: {error!r}",)
    else:
        for warning in report.warnings:
            print(f"{warning} (warning)", file=sys.stderr)
        seconds = time.perf_counter() - start
        drafts = f", {count(report.drafts, 'draft')}" if report.drafts else ""
        built = count(report.articles, "article")
        print(f"Rebuilt in {seconds:.2f} s: {built}{drafts}", flush=True)
        return ()
    for problem in problems:
        print(problem, file=sys.stderr, flush=True)
    if (project.out / "index.html").is_file():
        shown = "the last good preview is still served"
    else:
        shown = "the browser shows the problems"
    noun = "problem" if len(problems) == 1 else "problems"
    print(f"Not rebuilt: {len(problems)} {noun}; {shown}.", flush=True)
    return problems


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0-65535)")
    return int(text)
