"""The project's promises to a newcomer: README commands and CI agree."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_ci_runs_the_readme_test_command_exactly() -> None:
    build, test = readme_commands()[:2]
    assert "archive build" in build
    assert "pytest" in test
    ci_lines = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert test in ci_lines


def test_top_level_layout_is_what_the_design_fixes() -> None:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    if not files:
        pytest.skip("not a git checkout")
    top = {name.split("/")[0] for name in files}
    assert top == {
        "content", "layouts", "generator", "assets", "tests", "pyproject.toml", "README.md",
        ".ci", ".gitignore",
    }  # fmt: skip
    assert not [name for name in files if name.startswith("site/")]


def test_code_is_lint_and_type_clean() -> None:
    """ruff and mypy --strict, as the house style asks (they come with '.[test]')."""
    bin_dir = Path(sys.executable).parent
    for command in (
        ["ruff", "check", "generator", "tests"],
        ["ruff", "format", "--check", "generator", "tests"],
        ["mypy"],
    ):
        tool = bin_dir / command[0]
        if not tool.exists():
            pytest.skip(f"{command[0]} is not installed")
        result = subprocess.run([str(tool), *command[1:]], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
