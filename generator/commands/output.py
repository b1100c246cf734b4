"""What every command prints the same way: problems, counts, the command's own name."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from generator.errors import ContentError, as_dict, github_annotation


def warn(problem: ContentError) -> None:
    print(f"{problem} (warning)", file=sys.stderr)


def count(n: int, noun: str) -> str:
    """`1 article`, `2 articles`, `12,500 articles`."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def print_found(
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


def invocation() -> str:
    """How the user started us, so the printed command works when pasted."""
    program = Path(sys.argv[0])
    if program.name == "__main__.py":
        return "python -m generator"
    try:
        return str(program.resolve().relative_to(Path.cwd()))
    except ValueError:
        return program.name
