"""Load stage, part one: split a file's text into front matter fields and body.

Pure. Lines are counted from the top of the file (line 1 is the opening
`---`), also for YAML syntax errors, so an editor's tool jumps to the right
place. Values stay YAML nodes: the content stage decides what they mean,
because PyYAML's own guesses (`no` -> False, `2024` -> int) are not ours.

`compose` is the one way YAML is read (front matter, units.yaml,
archive.yaml): whatever the bytes, it returns nodes or raises ContentError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from generator.errors import BuildError, ContentError

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


# C0 and C1 control characters but tab and newline; vertical tab and form feed
# (Word's manual line and page breaks) become spaces, the rest go. NUL stays: it
# marks a file that is not text (the importer refuses such files, YAML refuses
# it in front matter, Markdown shows it as U+FFFD).
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _control(found: re.Match[str]) -> str:
    return " " if found.group(0) in "\x0b\x0c" else ""


def clean_text(text: str) -> str:
    """Strip a byte-order mark, turn CRLF / CR line endings into LF, drop control characters.

    Control characters are invisible, refused by YAML and not allowed in the
    Atom feeds: one pasted into an article would break the feed of the whole
    archive.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(_control, text) if _CONTROL.search(text) else text


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
    root = compose("\n".join(lines[1:end]), path, 2, "front matter is ")
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


def compose(text: str, path: str, first_line: int, subject: str = "") -> yaml.Node | None:
    """YAML text as nodes (None when empty), or ContentError at the file's line.

    `first_line` is the file line of the text's first line. Aliases (`*name`)
    are refused: no field needs them, and a few lines of them can stand for
    billions of values ("billion laughs") once anything walks the tree.
    Nesting deeper than libyaml's limit (1,000) is a YAML error; the pure
    Python loader would hit Python's recursion limit instead.
    """
    problem = f"{subject}not valid YAML"
    try:
        root = yaml.compose(text, Loader=_Loader)
        if "*" in text:  # every alias is written *name: most files need no second look
            _refuse_aliases(text, path, first_line)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark is not None else first_line
        detail = _one_line(error.problem or error.context or "unreadable")
        raise ContentError(path, line, f"{problem}: {detail}") from None
    except yaml.reader.ReaderError as error:
        line = first_line + text.count("\n", 0, max(0, error.position))
        character = error.character
        detail = (
            f"character U+{character:04X} is not allowed"
            if isinstance(character, int)
            else _one_line(error.reason)
        )
        raise ContentError(path, line, f"{problem}: {detail}") from None
    except yaml.YAMLError as error:
        raise ContentError(path, first_line, f"{problem}: {_one_line(str(error))}") from None
    except RecursionError:
        raise ContentError(path, first_line, f"{problem}: lists nested too deeply") from None
    return root


def _refuse_aliases(text: str, path: str, first_line: int) -> None:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise ContentError(
                path,
                first_line + (mark.line if mark is not None else 0),
                f"'*{event.anchor}' repeats another value (a YAML alias), which is not"
                " allowed here; write the value out in full",
            )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
