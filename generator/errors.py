"""The one error type: a problem in an input file, with the line it is on.

Every stage reports problems as ContentError values; the CLI prints them as
`path:line: message`, the form editors' tools jump to.
"""

from __future__ import annotations

from collections.abc import Iterable


class ContentError(Exception):
    """A problem an editor can fix, located in a file (and a line when known)."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


class BuildError(Exception):
    """Raised when a stage found problems; carries all of them, sorted."""

    def __init__(self, problems: Iterable[ContentError]) -> None:
        self.problems = tuple(sorted(problems, key=ContentError.sort_key))
        super().__init__("\n".join(str(p) for p in self.problems))
