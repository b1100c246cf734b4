"""`archive import`: news texts to articles; print each path and what to check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import settings
from generator.commands.output import count, warn
from generator.errors import BuildError, ContentError
from generator.importing import importer
from generator.infra.files import display_path


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "--into", type=Path, default=Path("content"), metavar="DIR",
        help="content folder to write into; its units.yaml names the units (default: content)",
    )  # fmt: skip
    for name in ("unit", "term", "date", "author"):
        parser.add_argument(f"--{name}", help=f"the {name} of every article, not read from text")


def run(args: argparse.Namespace) -> int:
    """Write one article per news text; name what the editor must check."""
    try:
        zone = settings.load(Path.cwd(), {}).zone
        given = importer.Given.from_flags(args.unit, args.term, args.date, args.author, zone)
        done = importer.import_files(args.files, args.into, given, zone, warn)
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
    print(f"Imported {count(len(done), 'article')} ({count(drafts, 'draft')} to check).")
    return 0
