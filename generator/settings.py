"""Site settings: defaults, then `archive.yaml` in the project root, then flags.

The settings file is optional; every key in it is optional. Problems are
reported like content problems, as `archive.yaml:LINE: message`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from generator.content import frontmatter
from generator.content.sources import decode
from generator.errors import BuildError, ContentError
from generator.vietnamese import collapse_spaces

SETTINGS_FILE = "archive.yaml"


@dataclass(frozen=True, slots=True)
class Settings:
    title: str = "Lưu trữ tin Đại hội Đảng"
    description: str = "Tin bài về đại hội các chi bộ, đảng bộ qua các nhiệm kỳ."
    base_url: str = "/"  # "/" or "https://example.org/archive/"; links use its path
    page_size: int = 10
    feed_size: int = 20
    # At most this many articles per base part of the search index (search.parts):
    # a reader's query fetches files from every part, and Pagefind needs about
    # 0.39 MB per article of the part it indexes.
    search_part_size: int = 12500
    # At least this many base parts once the archive has more than 2,000
    # articles: a full build indexes that many at once (one per core helps).
    search_min_parts: int = 1
    timezone: str = "Asia/Ho_Chi_Minh"
    # Widths of the WebP files made of each photo, for srcset (never wider than the photo).
    image_widths: tuple[int, ...] = (480, 960, 1600)
    # The picture link previews show for a page without a photo of its own
    # (a file in the project, e.g. assets/chia-se.png); none by default.
    default_image: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """Path part of base_url, always starting and ending with '/'."""
        path = urlsplit(self.base_url).path or "/"
        return "/" + path.strip("/") + "/" if path.strip("/") else "/"

    @property
    def absolute_base(self) -> str | None:
        """`https://host/path/` when base_url is absolute, else None."""
        parts = urlsplit(self.base_url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}{self.base_path}"
        return None


def _check(name: str, value: Any) -> str | None:
    """Return what is wrong with one setting, or None."""
    if name in ("title", "description"):
        return None if isinstance(value, str) and value.strip() else f"{name} must be text"
    if name in ("page_size", "feed_size"):
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000
        return None if ok else f"{name} must be a whole number from 1 to 1000"
    if name == "search_min_parts":
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 64
        return None if ok else "search_min_parts must be a whole number from 1 to 64"
    if name == "search_part_size":
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1_000_000
        return None if ok else f"{name} must be a whole number from 1 to 1000000"
    if name == "image_widths":
        return _check_widths(value)
    if name == "default_image":
        ok = isinstance(value, str) and not value.startswith("/") and ".." not in value.split("/")
        example = "e.g. assets/chia-se.png"
        return None if ok else f"default_image must be a file in the project, {example}"
    if name == "timezone":
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder
            return f"timezone '{value}' is not a known time zone (e.g. Asia/Ho_Chi_Minh)"
        return None
    if name == "base_url":
        return check_base_url(value)
    known = ", ".join(f.name for f in dataclasses.fields(Settings))
    return f"unknown setting '{name}' (known settings: {known})"


def widths(value: Any) -> tuple[int, ...]:
    """`[480, 960]` or `"480, 960"` as a sorted tuple; ValueError when it is neither."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not items:
        raise ValueError(value)
    found = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise ValueError(item)
        found.append(int(str(item).strip()))
    return tuple(sorted(set(found)))


def _check_widths(value: Any) -> str | None:
    try:
        found = widths(value)
    except ValueError:
        found = ()
    if found and len(found) <= 8 and all(16 <= w <= 4000 for w in found):
        return None
    return "image_widths must be a list of up to 8 widths in pixels, e.g. [480, 960, 1600]"


def check_base_url(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "base_url must be text such as / or https://example.org/archive/"
    parts = urlsplit(value.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    if not parts.scheme and not parts.netloc and value.startswith("/"):
        return None
    return f"base_url '{value}' must start with / or https://"


def load(root: Path, overrides: dict[str, Any]) -> Settings:
    """Read `archive.yaml` under root (if present) and apply the flags' overrides."""
    values: dict[str, Any] = {}
    path = root / SETTINGS_FILE
    problems: list[ContentError] = []
    if path.is_file():
        values, problems = _read(path)
    for name, value in overrides.items():
        if value is None:
            continue
        message = _check(name, value)
        if message:
            problems.append(ContentError(f"--{name.replace('_', '-')}", None, message))
        values[name] = value
    if problems:
        raise BuildError(problems)
    if "image_widths" in values:
        values["image_widths"] = widths(values["image_widths"])
    return Settings(**values)


def _read(path: Path) -> tuple[dict[str, Any], list[ContentError]]:
    name = SETTINGS_FILE
    try:
        root = frontmatter.compose(decode(path.read_bytes(), name), name, 1)
    except ContentError as error:
        return {}, [error]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [ContentError(name, 1, "settings must be written as 'name: value' lines")]
    known = {f.name for f in dataclasses.fields(Settings)}
    values: dict[str, Any] = {}
    problems = []
    for key, node in root.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode):
            problems.append(ContentError(name, line, "a setting name must be plain text"))
            continue
        setting = str(key.value)
        if setting == "image_widths" and isinstance(node, yaml.SequenceNode):
            items = [_scalar(item) for item in node.value if isinstance(item, yaml.ScalarNode)]
            message = _check(setting, items)
            if message:
                problems.append(ContentError(name, line, message))
            else:
                values[setting] = items
            continue
        if setting in known and not isinstance(node, yaml.ScalarNode):
            problems.append(ContentError(name, line, f"{setting} must be a single value"))
            continue
        value = _scalar(node) if setting in known else None
        if isinstance(value, str):
            value = collapse_spaces(value)
        message = _check(setting, value)
        if message:
            problems.append(ContentError(name, line, message))
        else:
            values[setting] = value
    return values, problems


def _scalar(node: yaml.ScalarNode) -> Any:
    """The value as YAML reads it (`10` a number, `"10"` text), or its text when YAML
    cannot make it what it says (`!!int abc`, or `2025-99-99` as a date)."""
    try:
        return yaml.SafeLoader("").construct_object(node)
    except Exception:  # PyYAML's constructors raise whatever int(), date() ... raise
        return node.value  # then _check says what is wrong with it
