"""Editors' commands: `archive new` makes a valid article, `archive check` reports."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import ROOT, article, run_cli, write_tree
from pictures import phone_jpeg

REGISTRY = """\
- name: Chi bộ Sở Ngoại vụ tỉnh Phú Thọ
  aliases: [Chi bộ Sở Ngoại vụ Phú Thọ]
- name: Chi bộ Tân Hòa
"""

BROKEN = "---\ntitle: Tin\nunit: Chi bộ Tân Hòa\nterm: 2030-2025\ndate: 2025-13-45\n---\nChữ.\n"


@pytest.fixture
def editor(project: Path) -> Path:
    write_tree(
        project / "content",
        {
            "units.yaml": REGISTRY,
            "2025/dai-hoi.md": article(unit="Chi bộ Tân Hòa", date="2025-05-20"),
        },
    )
    return project


def test_new_with_flags_writes_an_article_that_checks_and_builds(editor: Path) -> None:
    made = run_cli(
        "new",
        "--title",
        "Chi bộ Sở Ngoại vụ học tập Nghị quyết",
        "--unit",
        "ngoại vụ",
        "--date",
        "17/6/2025 08:30",
        "--author",
        "Hằng Mến",
        "--no-input",
        cwd=editor,
    )
    assert made.returncode == 0, made.stderr
    path = made.stdout.splitlines()[0]
    assert path == "content/2025/chi-bo-so-ngoai-vu-hoc-tap-nghi-quyet.md"
    text = (editor / path).read_text(encoding="utf-8")
    # the unit was completed from the registry; the term is the one in use in 2025
    assert 'unit: "Chi bộ Sở Ngoại vụ tỉnh Phú Thọ"' in text
    assert 'term: "2025-2030"' in text
    assert 'date: "17/6/2025 08:30"' in text
    assert 'author: "Hằng Mến"' in text
    assert "'ngoại vụ' is written as 'Chi bộ Sở Ngoại vụ tỉnh Phú Thọ'" in made.stderr
    (editor / path).write_text(text + "Sáng 17/6/2025, Chi bộ học tập Nghị quyết.\n", "utf-8")
    checked = run_cli("check", "--strict", cwd=editor)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.strip() == "No problems: 2 articles checked."
    built = run_cli("build", cwd=editor)
    assert built.returncode == 0, built.stderr
    page = (editor / "site/2025/chi-bo-so-ngoai-vu-hoc-tap-nghi-quyet/index.html").read_text()
    assert "Thứ Ba, 17/6/2025, 08:30" in page


def test_new_with_a_photo_copies_it_beside_the_article(editor: Path) -> None:
    (editor / "IMG_0042.JPG").write_bytes(phone_jpeg(900, 600))
    made = run_cli(
        "new",
        "--title",
        "Chi bộ Tân Hòa ra mắt Chi ủy",
        "--unit",
        "Chi bộ Tân Hòa",
        "--date",
        "21/5/2025",
        "--image",
        "IMG_0042.JPG",
        "--no-input",
        cwd=editor,
    )
    assert made.returncode == 0, made.stderr
    photo, path = made.stdout.splitlines()[:2]
    assert photo == "content/2025/chi-bo-tan-hoa-ra-mat-chi-uy/img-0042.jpg"
    assert (editor / photo).read_bytes() == (editor / "IMG_0042.JPG").read_bytes()
    text = (editor / path).read_text(encoding="utf-8")
    assert 'image: "chi-bo-tan-hoa-ra-mat-chi-uy/img-0042.jpg"' in text
    # the photo is in place; until it has a caption, check says so
    checked = run_cli("check", cwd=editor)
    assert checked.returncode == 0, checked.stdout
    assert "photo 'chi-bo-tan-hoa-ra-mat-chi-uy/img-0042.jpg' has no caption" in checked.stdout
    (editor / path).write_text(text + "*Chi ủy khóa mới ra mắt.*\n\nSáng 21/5/2025.\n", "utf-8")
    assert run_cli("check", "--strict", cwd=editor).returncode == 0
    built = run_cli("build", cwd=editor)
    assert built.returncode == 0, built.stderr
    page = (editor / "site/2025/chi-bo-tan-hoa-ra-mat-chi-uy/index.html").read_text()
    assert (
        'fetchpriority="high"' in page
        and "<figcaption>Chi ủy khóa mới ra mắt.</figcaption>" in page
    )


def test_check_reports_a_missing_photo(editor: Path) -> None:
    body = "Mở đầu.\n\n![Quang cảnh](anh/khong-co.jpg)\n"
    write_tree(editor / "content", {"2025/anh.md": article(title="Có ảnh", body=body)})
    checked = run_cli("check", cwd=editor)
    assert checked.returncode == 1
    assert checked.stdout.splitlines()[0] == (
        "content/2025/anh.md:10: photo 'anh/khong-co.jpg' does not exist (looked for"
        " content/2025/anh/khong-co.jpg); check the file name, or copy the photo there"
    )


def test_new_defaults_to_today_and_never_overwrites(editor: Path) -> None:
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    args = ("new", "--title", "Đại hội Chi bộ Tân Hòa", "--unit", "Chi bộ Tân Hòa")
    first = run_cli(*args, "--term", "2025-2030", "--no-input", cwd=editor)
    second = run_cli(*args, "--term", "2025-2030", "--no-input", cwd=editor)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    one, two = first.stdout.splitlines()[0], second.stdout.splitlines()[0]
    assert one == f"content/{now.year}/dai-hoi-chi-bo-tan-hoa.md"
    assert two == f"content/{now.year}/dai-hoi-chi-bo-tan-hoa-2.md"
    assert f'date: "{now.day}/{now.month}/{now.year}"' in (editor / one).read_text()
    assert "kind: dai-hoi" in (editor / one).read_text()  # read from the title


def test_new_asks_for_what_is_missing_and_asks_again_after_a_mistake(editor: Path) -> None:
    answers = "Hội nghị Chi bộ Tân Hoà\ntân hoà\n31/2/2025\n20/8/2025\n\nĐỗ Thị Lan\nhop\n\n"
    made = subprocess.run(
        [sys.executable, "-m", "generator", "new"],
        cwd=editor,
        input=answers,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert "date '31/2/2025' is not a valid date" in made.stderr
    path = editor / made.stdout.splitlines()[-2].split(": ")[-1]
    text = path.read_text(encoding="utf-8")
    assert 'unit: "Chi bộ Tân Hòa"' in text
    assert 'date: "20/8/2025"' in text
    assert 'term: "2025-2030"' in text  # the default offered, accepted with Enter
    assert 'author: "Đỗ Thị Lan"' in text
    # what it reports: asked, with the choices; the title's reading offered
    assert "kind (dai-hoi, hoi-nghi, tin) [hoi-nghi]: " in made.stdout
    assert "kind 'hop' is not one of dai-hoi (Đại hội)" in made.stderr
    assert "kind: hoi-nghi" in text


def test_new_without_input_names_the_missing_field(editor: Path) -> None:
    made = run_cli("new", "--title", "Tin", "--no-input", cwd=editor)
    assert made.returncode == 1
    assert made.stderr.strip() == "unit is missing; give it as --unit"
    bad = run_cli("new", "--title", "Tin", "--unit", "Chi bộ Tân Hòa", "--date", "2025-13-45",
                  "--no-input", cwd=editor)  # fmt: skip
    assert bad.returncode == 1
    assert bad.stderr.startswith("--date: date '2025-13-45' is not a valid date")
    assert not (editor / "content/2025/tin.md").exists()


def test_check_text_format_lists_every_problem_and_exits_1(editor: Path) -> None:
    write_tree(
        editor / "content",
        {"2025/hong.md": BROKEN, "2025/la.md": article(title="Lạ", unit="Chi bộ xã Tân Hòa")},
    )
    checked = run_cli("check", cwd=editor)
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        "content/2025/hong.md:4: term '2030-2025' ends before it starts; write it as 2025-2030",
        "content/2025/hong.md:5: date '2025-13-45' is not a valid date",
        "content/2025/la.md:3: unit 'Chi bộ xã Tân Hòa' is not in content/units.yaml;"
        " did you mean 'Chi bộ Tân Hòa'? (warning)",
        "2 problems to fix, 1 warning.",
    ]
    assert not (editor / "site").exists()  # check never builds


def test_check_warnings_pass_unless_strict(editor: Path) -> None:
    write_tree(editor / "content", {"2025/la.md": article(title="Lạ", unit="Chi bộ xã Tân Hòa")})
    warning = (
        "content/2025/la.md:3: unit 'Chi bộ xã Tân Hòa' is not in content/units.yaml;"
        " did you mean 'Chi bộ Tân Hòa'?"
    )
    loose = run_cli("check", cwd=editor)
    assert loose.returncode == 0
    assert loose.stdout.splitlines() == [
        f"{warning} (warning)",
        "No problems: 2 articles checked (1 warning).",
    ]
    strict = run_cli("check", "--strict", cwd=editor)
    assert strict.returncode == 1
    assert strict.stdout.splitlines() == [warning, "1 problem to fix, 0 warnings."]


def test_check_github_format_annotates_lines(editor: Path) -> None:
    write_tree(
        editor / "content",
        {"2025/hong.md": BROKEN, "2025/la, mới.md": article(title="Lạ", unit="Chi bộ X")},
    )
    checked = run_cli("check", "--format", "github", cwd=editor)
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        "::error file=content/2025/hong.md,line=4::term '2030-2025' ends before it starts;"
        " write it as 2025-2030",
        "::error file=content/2025/hong.md,line=5::date '2025-13-45' is not a valid date",
        "::warning file=content/2025/la%2C mới.md,line=3::unit 'Chi bộ X' is not in"
        " content/units.yaml; check the spelling, or add the unit to content/units.yaml",
    ]


def test_check_json_format_for_tools(editor: Path) -> None:
    write_tree(editor / "content", {"2025/hong.md": BROKEN})
    checked = run_cli("check", "--format", "json", cwd=editor)
    assert checked.returncode == 1
    data = json.loads(checked.stdout)
    assert data["ok"] is False
    assert data["problems"][0] == {
        "level": "error",
        "file": "content/2025/hong.md",
        "line": 4,
        "message": "term '2030-2025' ends before it starts; write it as 2025-2030",
    }
    assert len(data["problems"]) == 2
    (editor / "content/2025/hong.md").unlink()
    clean = json.loads(run_cli("check", "--format", "json", cwd=editor).stdout)
    assert clean == {"ok": True, "articles": 1, "problems": []}


def test_check_on_the_bundled_archive_is_clean() -> None:
    checked = run_cli("check", "--strict", cwd=ROOT)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.startswith("No problems: 31 articles checked")
