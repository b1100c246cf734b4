"""Malformed input, fuzzed: whatever the bytes, reading ends in a Source or in
problems shaped `path:line: message`, quickly and in bounded memory.

Every reader of editors' files is covered: an article (front matter split and
validated), content/units.yaml and archive.yaml. Each example must finish
within a second. The normal suite runs 200 examples per test; a longer run:

    FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from htmlaudit import audit
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator import settings as site_settings
from generator.content import frontmatter, registry
from generator.content.markdown import Markdown
from generator.content.sources import Source, read_source
from generator.errors import BuildError, ContentError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=1),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SHAPE = re.compile(r"[^\n]+:[1-9]\d*: [^\n]+")  # path:line: message, one line
FIELDS = ["title", "unit", "term", "date", "author", "summary", "tags", "slug", "draft", "updated"]

# YAML's own characters, digits, Vietnamese letters, controls, invisibles.
TRICKY = st.sampled_from(
    [*":-[]{}#&*!|>'\"%@`,? \n\t0123456789/.\\aAzđĐơưảẫ", "\x00", "\x07", "\u200b", "\ufeff"]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.dates().map(str)
    | st.text(TRICKY, max_size=40)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(TRICKY, max_size=10), inner, max_size=5)
    ),
    max_leaves=25,
)


def problems_of(call: Callable[[], Any]) -> tuple[Any, list[ContentError]]:
    """Run a reader; its result, or the problems it raised (nothing else may escape)."""
    try:
        return call(), []
    except ContentError as error:
        return None, [error]
    except BuildError as error:
        assert error.problems
        return None, list(error.problems)


def assert_shaped(problems: list[ContentError]) -> None:
    for problem in problems:
        assert SHAPE.fullmatch(str(problem)), str(problem)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("fuzz")
    cwd = os.getcwd()
    os.chdir(path)  # paths show as content/…, as editors see them
    (path / "content").mkdir()
    yield path
    os.chdir(cwd)


def read_article(folder: Path, data: bytes) -> list[ContentError]:
    path = folder / "content" / "bai.md"
    path.write_bytes(data)
    warnings: list[ContentError] = []
    source, problems = problems_of(lambda: read_source(path, ZONE, warnings.append))
    assert isinstance(source, Source) or problems
    assert_shaped(problems + warnings)
    if isinstance(source, Source):  # what later stages rely on
        assert source.title and source.unit and re.fullmatch(r"\d{4}-\d{4}", source.term)
    return problems


def with_fields(text: str, body: str = "Nội dung.") -> bytes:
    return f"---\n{text}\n---\n{body}\n".encode()


@FUZZ
@given(st.binary(max_size=3000))
def test_article_from_random_bytes(folder: Path, data: bytes) -> None:
    read_article(folder, data)
    read_article(folder, b"---\n" + data + b"\n---\n")


@FUZZ
@given(st.text(max_size=2000), st.text(max_size=500))
def test_article_from_random_text(folder: Path, fields: str, body: str) -> None:
    read_article(folder, with_fields(fields, body))


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS) | st.text(TRICKY, max_size=8), VALUES, max_size=12))
def test_article_from_random_yaml(folder: Path, fields: dict[Any, Any]) -> None:
    dumped = yaml.safe_dump(fields, allow_unicode=True)
    read_article(folder, with_fields(dumped))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(FIELDS), st.text(TRICKY, max_size=30)), max_size=10))
def test_article_from_random_field_lines(folder: Path, lines: list[tuple[str, str]]) -> None:
    # written as an editor types them, unquoted: YAML reads what it likes into them
    valid = {"title": "Đại hội", "unit": "Chi bộ A", "term": "2025-2030", "date": "17/6/2025"}
    written = {**valid, **dict(lines)}
    read_article(folder, with_fields("\n".join(f"{k}: {v}" for k, v in written.items())))


@FUZZ
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_units_file_from_random_input(folder: Path, data: bytes) -> None:
    (folder / "content" / "units.yaml").write_bytes(data)
    warnings: list[ContentError] = []
    _, problems = problems_of(lambda: registry.load(folder / "content", warnings.append))
    assert_shaped(problems + warnings)


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(registry.FIELDS), VALUES, max_size=6), max_size=6))
def test_units_file_from_random_yaml(folder: Path, units: list[Any]) -> None:
    text = yaml.safe_dump(units, allow_unicode=True)
    (folder / "content" / "units.yaml").write_text(text, encoding="utf-8")
    warnings: list[ContentError] = []
    _, problems = problems_of(lambda: registry.load(folder / "content", warnings.append))
    assert_shaped(problems + warnings)


SETTINGS = ["title", "description", "base_url", "page_size", "feed_size", "timezone"]
# Values as an editor might type them, with the YAML tags a file may carry.
TAGS = ["", "!!int ", "!!float ", "!!bool ", "!!null ", "!!str ", "!!timestamp ", "!!binary "]
TAGS += ["!!set ", "!!omap ", "!foo ", "!!python/object:os.system ", "!<tag:x> "]
TYPED = st.tuples(
    st.sampled_from(TAGS),
    st.text(TRICKY, max_size=20)
    | st.sampled_from(["Asia", "zone.tab", "posixrules", "/", ".", "..", "0x1F", "1e400"]),
).map("".join)


def settings_read_cleanly(path: Path) -> None:
    """archive.yaml gives clean problems, or settings that work."""
    values, problems = site_settings._read(path)
    assert_shaped(problems)
    if not problems:
        made = site_settings.Settings(**values)
        assert made.zone and made.base_path.startswith("/")


@FUZZ
@given(st.lists(st.tuples(st.sampled_from([*SETTINGS, "other"]), TYPED), max_size=8))
def test_settings_from_typed_lines(folder: Path, lines: list[tuple[str, str]]) -> None:
    path = folder / site_settings.SETTINGS_FILE
    path.write_text("\n".join(f"{k}: {v}" for k, v in lines), encoding="utf-8")
    settings_read_cleanly(path)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(FIELDS), TYPED), max_size=10))
def test_article_from_typed_lines(folder: Path, lines: list[tuple[str, str]]) -> None:
    valid = {"title": "Đại hội", "unit": "Chi bộ A", "term": "2025-2030", "date": "17/6/2025"}
    written = {**valid, **dict(lines)}
    read_article(folder, with_fields("\n".join(f"{k}: {v}" for k, v in written.items())))


@FUZZ
@given(
    st.binary(max_size=1000)
    | st.dictionaries(st.sampled_from(SETTINGS) | st.text(max_size=8), VALUES, max_size=8).map(
        lambda values: yaml.safe_dump(values, allow_unicode=True).encode()
    )
)
def test_settings_from_random_input(folder: Path, data: bytes) -> None:
    path = folder / site_settings.SETTINGS_FILE
    path.write_bytes(data)
    settings_read_cleanly(path)


@FUZZ
@given(st.text(TRICKY, max_size=500) | st.text(max_size=500))
@example("[a](java\tscript:alert(1)) <javascript:alert(1)> [b][c]\n\n[c]: &#106;avascript:x")
def test_markdown_never_emits_markup_it_was_not_built_to(text: str) -> None:
    html = Markdown().render(text).html
    assert not audit(html).problems, html


# --- the known bombs, each refused quickly and in little memory ---------------

LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *[
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ],
    ]
)
BOMBS = {
    "billion laughs": LAUGHS + "\ntitle: *i\nunit: *i\nterm: 2025-2030\ndate: 2025-01-01",
    "laughs in an unknown field": LAUGHS + "\ntitle: A\nunit: B\nterm: 2025-2030\ndate: 2025-01-01",
    "laughs as a key": LAUGHS + "\n? *i\n: x",
    "10,000 nested lists": "title: " + "[" * 10_000 + "]" * 10_000,
    "100,000 unclosed lists": "title: " + "[" * 100_000,
    "10,000 nested block lists": "title:\n" + "- " * 10_000 + "x",
    "10,000 nested maps": "title: " + "{a: " * 10_000 + "}" * 10_000,
    "huge number as date": "title: A\nunit: B\nterm: 2025-2030\ndate: 99999999999999999999",
    "huge number as term": "title: A\nunit: B\nterm: 99999999999999999999\ndate: 2025-01-01",
    "year 1 east of UTC": "title: A\nunit: B\nterm: 2025-2030\ndate: 0001-01-01T00:00+14:00",
    "year 9999 west of UTC": "title: A\nunit: B\nterm: 2025-2030\ndate: 9999-12-31T23:59-12:00",
    "a long line": "title: " + "đ" * 1_000_000,
}


def cheap(call: Callable[[], Any]) -> Any:
    """Run call; it must take under a second and allocate under 50 MB at its peak."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert seconds < 1 and peak < 50_000_000, (seconds, peak)
    return result


@pytest.mark.parametrize("name", BOMBS)
def test_bombs_in_front_matter(folder: Path, name: str) -> None:
    problems = cheap(lambda: read_article(folder, with_fields(BOMBS[name])))
    assert problems, "refused"
    if "laughs" in name:
        assert "(a YAML alias), which is not allowed here" in str(problems[0])


@pytest.mark.parametrize("name", BOMBS)
def test_bombs_in_units_file(folder: Path, name: str) -> None:
    (folder / "content" / "units.yaml").write_text(BOMBS[name], encoding="utf-8")
    _, problems = cheap(lambda: problems_of(lambda: registry.load(folder / "content", print)))
    assert problems
    assert_shaped(problems)


@pytest.mark.parametrize("name", BOMBS)
def test_bombs_in_settings(folder: Path, name: str) -> None:
    text = BOMBS[name].replace("title: *i", "timezone: *i")  # str() of a bomb never ends
    path = folder / site_settings.SETTINGS_FILE
    path.write_text(text, encoding="utf-8")
    _, problems = cheap(lambda: site_settings._read(path))
    assert problems or name == "a long line"  # a long title is a title
    assert_shaped(problems)


def test_an_alias_names_its_line() -> None:
    with pytest.raises(ContentError) as raised:
        frontmatter.split("---\ntitle: &t A\nunit: *t\n---\n", "content/a.md")
    assert str(raised.value) == (
        "content/a.md:3: '*t' repeats another value (a YAML alias), which is not allowed"
        " here; write the value out in full"
    )
