from __future__ import annotations

import pytest

from generator.content.frontmatter import clean_text, split
from generator.errors import BuildError, ContentError


def test_fields_carry_their_file_line() -> None:
    doc = split("---\ntitle: A\n\nunit: B\n---\nBody\n", "x.md")
    assert doc.fields["title"].line == 2
    assert doc.fields["unit"].line == 4
    assert doc.body.strip() == "Body"
    assert doc.body_line == 6


def test_bom_and_crlf_are_accepted() -> None:
    text = clean_text("\ufeff---\r\ntitle: A\r\n---\r\nBody\r\n")
    doc = split(text, "x.md")
    assert doc.fields["title"].node.value == "A"
    assert doc.body == "Body\n"


def error_of(text: str) -> str:
    with pytest.raises((ContentError, BuildError)) as info:
        split(text, "content/x.md")
    return str(info.value)


def test_yaml_syntax_error_line_counts_from_top_of_file() -> None:
    message = error_of("---\ntitle: A\nunit: [B\ndate: 2025-01-01\n---\n")
    assert message.startswith("content/x.md:")
    line = int(message.split(":")[1])
    assert line in (4, 5)  # the line where YAML noticed the open bracket
    assert "front matter is not valid YAML" in message


def test_bad_indentation_is_reported_on_its_line() -> None:
    assert error_of("---\ntitle: A\n  unit: B\n---\n").startswith("content/x.md:3:")


def test_missing_opening_fence() -> None:
    assert error_of("title: A\n").startswith(
        "content/x.md:1: the file must start with front matter"
    )


def test_unclosed_front_matter() -> None:
    assert error_of("---\ntitle: A\n") == (
        "content/x.md:1: front matter is not closed: add a line '---' after the fields"
    )


def test_duplicate_field_names_both_lines() -> None:
    assert error_of("---\ntitle: A\ntitle: B\n---\n") == (
        "content/x.md:3: field 'title' is given twice (first on line 2)"
    )


def test_front_matter_that_is_not_fields() -> None:
    assert error_of("---\n- a\n- b\n---\n").startswith(
        "content/x.md:2: front matter must be fields"
    )
