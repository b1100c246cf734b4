"""The error types: a problem in an input file, and a build that could not run.

Every stage reports problems in the content, the layouts or the settings as
ContentError values (collected into one BuildError); the CLI prints them as
`path:line: message`, the form editors' tools jump to. What is nobody's
content (a lock held by another build, a full disk, the search indexer
failing) is a BuildFailure, printed the same way without a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Line breaks and control characters (a YAML "\e" escape in a field name, say):
# shown escaped, so a problem stays one line and cannot drive the terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda found: repr(found.group(0))[1:-1], text)


class ContentError(Exception):
    """A problem an editor can fix, located in a file (and a line when known)."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        message = _visible(message)
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        if self.line is None:
            return f"{_visible(self.path)}: {self.message}"
        return f"{_visible(self.path)}:{self.line}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


class BuildError(Exception):
    """Raised when a stage found problems; carries all of them, sorted."""

    def __init__(self, problems: Iterable[ContentError]) -> None:
        self.problems = tuple(sorted(problems, key=ContentError.sort_key))
        super().__init__("\n".join(str(p) for p in self.problems))


class StaleInput(Exception):
    """Something the build took from its cache is not what was stored: the
    build starts again without the cache (never the content's fault)."""


class BuildFailure(Exception):
    """The build could not be carried out, through no fault of the content: the
    output folder is locked or cannot be written, the search indexer failed."""

    def __init__(self, where: str, message: str) -> None:
        message = _visible(message)
        super().__init__(where, message)
        self.where = where
        self.message = message

    def __str__(self) -> str:
        return f"{_visible(self.where)}: {self.message}"


def github_annotation(problem: ContentError, level: str) -> str:
    """A GitHub Actions workflow command, e.g. `::error file=a.md,line=4::message`.

    Property values escape `%`, CR, LF, `:` and `,`; the message `%`, CR, LF.
    https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    """

    def escape(text: str, extra: bool) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if extra else text

    where = f"file={escape(problem.path, True)}"
    if problem.line is not None:
        where += f",line={problem.line}"
    return f"::{level} {where}::{escape(problem.message, False)}"


def as_dict(problem: ContentError, level: str) -> dict[str, str | int | None]:
    return {"level": level, "file": problem.path, "line": problem.line, "message": problem.message}
