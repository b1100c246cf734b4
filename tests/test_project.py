"""The project's promises to a newcomer: README commands and CI agree."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ROOT


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
        ".ci", ".gitignore", ".github", ".gitlab-ci.yml",
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


def pipeline_commands() -> dict[str, list[str]]:
    """Every shell command the GitHub and GitLab pipelines run, by file."""
    github = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    steps = [step for job in github["jobs"].values() for step in job["steps"]]
    return {
        "github": [step["run"].strip() for step in steps if "run" in step],
        "gitlab": [
            line
            for job in gitlab.values()
            if isinstance(job, dict)
            for line in job.get("script", [])
        ],
    }


def test_pipelines_run_only_what_the_readme_documents() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    publishing = text[text.index("## Publishing") :]
    documented = {
        line
        for block in re.findall(r"```sh\n(.+?)\n```", publishing, re.S)
        for line in block.splitlines()
    }
    commands = pipeline_commands()
    for name, lines in commands.items():
        assert lines, name
        for line in lines:
            assert line in documented, (
                f"{name} runs '{line}', which README's Publishing does not show"
            )
    # both check before they build, and GitHub's check marks the pull request's lines
    assert any("check --strict --format github" in line for line in commands["github"])
    for lines in commands.values():
        check = next(i for i, line in enumerate(lines) if "archive check" in line)
        assert check < next(i for i, line in enumerate(lines) if "archive build" in line)


def test_documented_publishing_commands_work(tmp_path: Path) -> None:
    """The build line the pipelines use, with a sub-path address, on the bundled archive."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for name in ("layouts", "assets"):
        (tmp_path / name).symlink_to(ROOT / name)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BASE_URL": "https://example.github.io/luu-tru"}
    archive = f"{sys.executable} -m generator"
    for line in ("check --strict --format github", 'build --base-url "$BASE_URL"'):
        result = subprocess.run(
            f"{archive} {line}", shell=True, cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.github.io/luu-tru/">' in home
