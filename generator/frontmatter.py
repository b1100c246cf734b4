"""Load stage, part one: split a file's text into front matter fields and body.

Pure. Lines are counted from the top of the file (line 1 is the opening
`---`), also for YAML syntax errors, so an editor's tool jumps to the right
place. Values stay YAML nodes: the content stage decides what they mean,
because PyYAML's own guesses (`no` -> False, `2024` -> int) are not ours.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .errors import BuildError, ContentError

try:  # the C loader is ~8x faster and still gives line marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FENCE = "---"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    node: yaml.Node
    line: int  # file line of the key


@dataclass(frozen=True, slots=True)
class Document:
    fields: dict[str, Field]
    body: str
    body_line: int  # file line where the body starts


def clean_text(text: str) -> str:
    """Strip a byte-order mark and turn CRLF / CR line endings into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _closing_fence(lines: list[str]) -> int | None:
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return index
    return None


def split(text: str, path: str) -> Document:
    """Split cleaned text into fields and body.

    Raises ContentError for a problem that stops reading, BuildError for several.
    """
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise ContentError(
            path, 1, "the file must start with front matter: a line '---', the fields, then '---'"
        )
    end = _closing_fence(lines)
    if end is None:
        raise ContentError(path, 1, "front matter is not closed: add a line '---' after the fields")
    source = "\n".join(lines[1:end])
    try:
        root = yaml.compose(source, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else 1
        problem = error.problem or error.context or "unreadable"
        raise ContentError(path, line, f"front matter is not valid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise ContentError(path, 1, f"front matter is not valid YAML: {error}") from None
    if root is None:
        raise ContentError(
            path, 1, "front matter is empty: title, unit, term and date are required"
        )
    if not isinstance(root, yaml.MappingNode):
        raise ContentError(
            path, root.start_mark.line + 2, "front matter must be fields written as 'name: value'"
        )
    return Document(_fields(root, path), "\n".join(lines[end + 1 :]), end + 2)


def _fields(root: yaml.MappingNode, path: str) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    problems: list[ContentError] = []
    for key, value in root.value:
        line = key.start_mark.line + 2
        if not isinstance(key, yaml.ScalarNode):
            problems.append(ContentError(path, line, "a field name must be plain text"))
            continue
        name = str(key.value).strip()
        if name in fields:
            first = fields[name].line
            problems.append(
                ContentError(path, line, f"field '{name}' is given twice (first on line {first})")
            )
            continue
        fields[name] = Field(name, value, line)
    if problems:
        raise BuildError(problems)
    return fields
