"""Bad input: one clear `path:line: message` per problem, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import BuildSite, article, files_of, run_cli, write_tree

GOOD = article(title="Bài tốt")

CASES = {
    "yaml-syntax": (
        "---\ntitle: Tin\nunit: [Chi bộ\nterm: 2025-2030\ndate: 2025-01-01\n---\nBody\n",
        "content/bad.md:4: front matter is not valid YAML:",
    ),
    "not-closed": (
        "---\ntitle: Tin\nunit: Chi bộ A\n\nBody without a closing line\n",
        "content/bad.md:1: front matter is not closed: add a line '---' after the fields",
    ),
    "no-front-matter": (
        "# Just a heading\n",
        "content/bad.md:1: the file must start with front matter",
    ),
    "missing-unit": (
        "---\ntitle: Tin\nterm: 2025-2030\ndate: 2025-01-01\n---\n",
        "content/bad.md:1: required field 'unit' is missing",
    ),
    "title-list": (
        "---\ntitle: [1, 2]\nunit: Chi bộ A\nterm: 2025-2030\ndate: 2025-01-01\n---\n",
        "content/bad.md:2: title must be text, not a list",
    ),
    "empty-title": (
        "---\ntitle:\nunit: Chi bộ A\nterm: 2025-2030\ndate: 2025-01-01\n---\n",
        "content/bad.md:2: title is empty",
    ),
    "bad-date": (
        "---\ntitle: Tin\nunit: Chi bộ A\nterm: 2025-2030\ndate: 2025-13-45\n---\n",
        "content/bad.md:5: date '2025-13-45' is not a valid date",
    ),
    "reversed-term": (
        "---\ntitle: Tin\nunit: Chi bộ A\nterm: 2030-2025\ndate: 2025-01-01\n---\n",
        "content/bad.md:4: term '2030-2025' ends before it starts; write it as 2025-2030",
    ),
    "same-year-term": (
        "---\ntitle: Tin\nunit: Chi bộ A\nterm: 2025-2025\ndate: 2025-01-01\n---\n",
        "content/bad.md:4: term '2025-2025' ends before it starts",
    ),
    "term-words": (
        "---\ntitle: Tin\nunit: Chi bộ A\nterm: khóa mới\ndate: 2025-01-01\n---\n",
        "content/bad.md:4: term 'khóa mới' is not a term such as 2025-2030",
    ),
    "slug-escape": (
        "---\ntitle: Tin\nunit: Chi bộ A\nterm: 2025-2030\ndate: 2025-01-01\nslug: ../x\n---\n",
        "content/bad.md:6: slug '../x' is not a plain URL segment: use only a-z, 0-9 and hyphens, e.g. 'x'",
    ),
    "draft-word": (
        "---\ntitle: Tin\nunit: Chi bộ A\nterm: 2025-2030\ndate: 2025-01-01\ndraft: maybe\n---\n",
        "content/bad.md:6: draft must be true or false",
    ),
}


def old_site(project: Path) -> dict[str, bytes]:
    """Publish a first good build and return its files."""
    write_tree(project / "content", {"good.md": GOOD})
    assert run_cli("build", cwd=project).returncode == 0
    return files_of(project / "site")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_old_site_kept(case: str, project: Path) -> None:
    before = old_site(project)
    text, expected = CASES[case]
    write_tree(project / "content", {"bad.md": text})
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first_line = result.stderr.splitlines()[0]
    assert first_line.startswith(expected), result.stderr
    assert "Built" not in result.stdout  # stage lines only, no success message
    after = files_of(project / "site")
    assert after == before
    # only the previous generation (kept to make the next build fast) may be there
    leftovers = [
        p.name
        for p in project.iterdir()
        if p.name.startswith(".site") and not p.name.startswith((".site-prev", ".site.lock"))
    ]
    assert leftovers == []


def test_file_that_is_not_utf8(build_site: BuildSite) -> None:
    legacy = "---\ntitle: Tin\nunit: Chi bộ Tân Hòa\n".encode() + "term: Hòa\n".encode("cp1252")
    result = build_site({"cp1252.md": legacy})
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/cp1252.md:4: the file is not UTF-8 text (byte 0xF2); save it as UTF-8"
    )


def test_every_problem_in_one_run(build_site: BuildSite) -> None:
    result = build_site(
        {
            "2025/a.md": "---\ntitle: [1, 2]\nunit: Chi bộ A\nterm: 2030-2025\ndate: 32/1/2025\n---\n",
            "2025/b.md": "---\ntitle: Tin\nunit: Chi bộ A\nterm: 2025-2030\n---\n",
            "2024/c.md": "---\ntitle: ok\n",
        }
    )
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/2024/c.md:1: front matter is not closed: add a line '---' after the fields",
        'content/2025/a.md:2: title must be text, not a list; put it in quotes: title: "…"',
        "content/2025/a.md:4: term '2030-2025' ends before it starts; write it as 2025-2030",
        "content/2025/a.md:5: date '32/1/2025' is not a valid date",
        "content/2025/b.md:1: required field 'date' is missing;"
        " add a line 'date: …' above the second '---'",
        "Build stopped: 5 problems; site/ was not changed.",
    ]
    assert not result.site.exists()


def test_units_that_would_share_a_page_name_both_files(build_site: BuildSite) -> None:
    result = build_site(
        {
            "a.md": article(title="A", unit="Chi bộ Đồng Tâm"),
            "b.md": article(title="B", unit="Chi bộ Dong Tam"),
        }
    )
    assert result.code == 1
    line = result.err.splitlines()[0]
    assert "content/a.md:3" in line and "content/b.md:3" in line
    assert "/don-vi/chi-bo-dong-tam/" in line


def test_unknown_field_is_a_warning_not_a_failure(build_site: BuildSite) -> None:
    result = build_site({"a.md": article(title="Tin", autor="Hằng")})
    assert result.code == 0
    assert "content/a.md:6: unknown field 'autor' is ignored" in result.err


def test_bad_settings_file(build_site: BuildSite, project: Path) -> None:
    (project / "archive.yaml").write_text("title: Thử\npage_size: nhiều\n", encoding="utf-8")
    result = build_site({"a.md": GOOD})
    assert result.code == 1
    assert (
        result.err.splitlines()[0]
        == "archive.yaml:2: page_size must be a whole number from 1 to 1000"
    )


def test_bad_search_settings_name_their_line(build_site: BuildSite, project: Path) -> None:
    (project / "archive.yaml").write_text(
        "search_part_size: 0\nsearch_min_parts: hai\n", encoding="utf-8"
    )
    result = build_site({"a.md": GOOD})
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        "archive.yaml:1: search_part_size must be a whole number from 1 to 1000000",
        "archive.yaml:2: search_min_parts must be a whole number from 1 to 64",
    ]


def test_bad_base_url_flag(build_site: BuildSite) -> None:
    result = build_site({"a.md": GOOD}, "--base-url", "javascript:alert(1)")
    assert result.code == 1
    assert "--base-url: base_url 'javascript:alert(1)' must start with / or https://" in result.err


def test_output_folder_that_would_destroy_sources_is_refused(build_site: BuildSite) -> None:
    result = build_site({"a.md": GOOD}, "--out", ".")
    assert result.code == 1
    assert "the output folder must not contain" in result.err


def test_broken_layout_names_template_and_line(build_site: BuildSite, project: Path) -> None:
    (project / "layouts").unlink()
    shutil.copytree(Path(__file__).parent.parent / "layouts", project / "layouts")
    broken = (
        (project / "layouts/article.html")
        .read_text(encoding="utf-8")
        .replace("{{ article.title }}</h1>", "{{ article.titel }}</h1>")
    )
    (project / "layouts/article.html").write_text(broken, encoding="utf-8")
    result = build_site({"a.md": GOOD})
    assert result.code == 1
    line = result.err.splitlines()[0]
    assert line.startswith("layouts/article.html:")
    assert "titel" in line


def test_both_entry_points_behave_the_same(project: Path) -> None:
    import subprocess
    import sys

    write_tree(project / "content", {"a.md": "---\ntitle: x\n"})
    module = run_cli("build", cwd=project)
    script = Path(sys.executable).parent / "archive"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    console = subprocess.run([str(script), "build"], cwd=project, capture_output=True, text=True)
    assert (
        (module.returncode, module.stderr)
        == (console.returncode, console.stderr)
        == (
            1,
            "content/a.md:1: front matter is not closed: add a line '---' after the fields\n"
            "Build stopped: 1 problem; site/ was not changed.\n",
        )
    )


def test_a_refused_link_is_reported_as_a_warning_with_its_line(build_site: BuildSite) -> None:
    body = "Đoạn đầu.\n\nXem [biên bản](javascript:alert(1)) và [ảnh](https://example.org/a).\n"
    result = build_site({"2025/a.md": article(body=body)})
    assert result.code == 0, result.err
    expected = (
        "content/2025/a.md:10: link 'javascript:alert(1)' is shown as text: only http, https,"
        " mailto and tel addresses and addresses on this site are kept (warning)"
    )
    assert expected in result.err.splitlines()
    assert "example.org" not in result.err  # an allowed link is not reported
    assert "[biên bản](javascript:alert(1))" in result.page("/2025/dai-hoi-chi-bo-tan-hoa/")
    again = build_site({}, "--strict")  # nothing changed, still a warning: strict stops
    assert again.code == 1
    assert "a.md:10: link 'javascript:alert(1)'" in again.err
