"""`archive import`: news texts (the seeds, our own texts) become checked articles."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import pytest
from helpers import ROOT, article, write_tree
from pictures import phone_jpeg

from generator.cli import main
from generator.content import kinds, markdown
from generator.content.sources import Source, read_source
from generator.importing import fields as importfields
from generator.importing import text as importtext
from generator.importing import units as importunits

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "import"
GOOD_TEXT = FIXTURES / "01-dateline-chieu.txt"  # a text that imports cleanly
MARK = "[Chưa có ảnh]"
STOPPED = "Import stopped; nothing was written."
QUOTE = {'"': "&quot;"}


@dataclass(frozen=True)
class Expected:
    """What an input must become, and how its lines are laid out."""

    title: str
    unit: str
    term: str
    date: tuple[int, ...]  # (year, month, day) or with (hour, minute)
    author: str | None
    captions: tuple[str, ...]
    chrome: tuple[str, ...] = ()
    byline: str | None = None
    checks: tuple[str, ...] = ()  # fields the article is a draft for


def read(path: Path) -> Source:
    return read_source(path, ZONE, lambda problem: None)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def written(out: str) -> list[Path]:
    return [Path(line) for line in out.splitlines() if line.endswith(".md")]


def imported(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[list[Path], str, str]:
    """Run an import that must succeed: the articles it wrote, its output and its errors."""
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return written(out), out, err


def articles(project: Path) -> list[Path]:
    """Every article file in the project's content folder."""
    return list((project / "content").rglob("*.md"))


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def use_registry(project: Path, registry: Path) -> None:
    """Give the project a copy of the unit registry `registry`."""
    write_tree(project / "content", {"units.yaml": registry.read_text(encoding="utf-8")})


def expected_body(text: str, expected: Expected) -> str:
    """The input's lines in order: title, chrome and byline left out, captions marked."""
    lines = [line.strip() for line in unicodedata.normalize("NFC", text).splitlines()]
    kept = [line for line in lines if line][1:]  # the first line is the title
    kept = [line for line in kept if line not in expected.chrome and line != expected.byline]
    blocks = [f"*{MARK} {line}*" if line in expected.captions else line for line in kept]
    return "\n\n".join(blocks) + "\n"


def assert_article(path: Path, text: str, expected: Expected, source: str) -> None:
    got = read(path)
    assert got.title == expected.title
    assert got.unit == expected.unit
    assert got.term == expected.term
    moment = got.date.moment
    assert (moment.year, moment.month, moment.day) == expected.date[:3]
    assert got.date.has_time == (len(expected.date) == 5)
    if len(expected.date) == 5:
        assert (moment.hour, moment.minute) == expected.date[3:]
    assert got.author == expected.author
    assert got.draft == bool(expected.checks)
    assert got.body.lstrip("\n") == expected_body(text, expected)
    raw = path.read_text(encoding="utf-8")
    assert f'source: "{source}"' in raw
    for check in expected.checks:
        assert check in raw.split("draft: true", 1)[1].split("\n", 1)[0]
    for caption in expected.captions:  # the page shows them as captions (italic paragraphs)
        html = markdown.Markdown().render(f"*{MARK} {caption}*").html
        assert html == f"<p><em>{MARK} {escape(caption, QUOTE)}</em></p>\n"


# --- the two seeds ---------------------------------------------------------

SEED_EXPECTED = {
    "000_9424570cc927fdac.txt": Expected(
        title="Chi bộ Sở Ngoại vụ tổ chức Đại hội lần thứ III, nhiệm kỳ 2025 - 2030",
        unit="Chi bộ Sở Ngoại vụ tỉnh Phú Thọ",
        term="2025-2030",
        date=(2025, 6, 17),
        author="Hằng Mến",
        byline="Hằng Mến",
        captions=(
            "Đại biểu biểu quyết thông qua Nghị quyết Đại hội.",
            "Lãnh đạo Đảng uỷ UBND tỉnh chúc mừng Đại hội.",
            "Đồng chí Vũ Ngọc Quang - Đảng ủy viên, Phó Trưởng ban Tổ chức Đảng ủy UBND"
            " phát biểu tại Đại hội",
            "Các Đại biểu chụp ảnh lưu niệm",
        ),
    ),
    "004_d67b910b96335f0e.txt": Expected(
        title="“Đoàn kết, chủ động, sáng tạo, phát huy dân chủ”",
        unit="Chi bộ Vụ Hợp tác quốc tế",
        term="2022-2025",
        date=(2022, 8, 20, 15, 55),
        author=None,
        chrome=("03:55 PM 20/08/2022\xa0|\xa0 \xa0Lượt xem: 830\xa0|\xa0 \xa0In bài viết\xa0|",),
        captions=(
            "Đồng chí Nguyễn Mạnh Huấn, Ủy viên Ban Thường vụ Đảng ủy, Vụ trưởng vụ Kế hoạch"
            " - Tài chính chúc mừng cấp ủy nhiệm kỳ 2022 - 2025 của Chi bộ Vụ Hợp tác quốc tế",
            "Quang cảnh Đại hội",
            "Tập thể Chi bộ Vụ Hợp tác quốc tế và các đại biểu tham dự Đại hội chụp ảnh lưu niệm",
        ),
    ),
}


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed texts are not here: {SEEDS} (the shared/ folder beside the project)")
    return SEEDS


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_seed_becomes_the_right_article(
    name: str, seeds: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    use_registry(project, ROOT / "content/units.yaml")
    [path], _, err = imported(capsys, seeds / name)
    text = (seeds / name).read_text(encoding="utf-8")
    expected = SEED_EXPECTED[name]
    assert_article(path, text, expected, name)
    # every body paragraph is byte for byte a line of the seed
    lines = text.split("\n")
    for block in read(path).body.strip().split("\n\n"):
        assert block.startswith(f"*{MARK} ") or block in lines
    assert "draft" not in err
    assert f"{len(expected.captions)} photo captions without the photo" in err


# --- our own texts, one per variation -------------------------------------

EXPECTED = {
    "01-dateline-chieu.txt": Expected(
        title="Chi bộ thôn Đông Hạ tổ chức Đại hội nhiệm kỳ 2025 - 2030",
        unit="Chi bộ thôn Đông Hạ",
        term="2025-2030",
        date=(2025, 5, 15, 16, 20),  # the dateline's, not the congress's 14/5
        author="Minh Châu",
        byline="Minh Châu",
        chrome=("Thứ Năm, 15/05/2025 - 16:20 | Lượt xem: 1.204 | In bài viết",),
        captions=(
            "Các đảng viên biểu quyết thông qua chương trình Đại hội.",
            "Đồng chí Phạm Thu Trang phát biểu chỉ đạo Đại hội",
        ),
    ),
    "02-dang-bo-ngay.txt": Expected(
        title="Đại hội đại biểu Đảng bộ phường Bình Minh lần thứ VII, nhiệm kỳ 2025 – 2030",
        unit="Đảng bộ phường Bình Minh",
        term="2025-2030",
        date=(2025, 4, 9),
        author="Thu Hà - Quốc Việt",
        byline="Thu Hà - Quốc Việt",
        captions=(
            "Toàn cảnh phiên khai mạc Đại hội.",
            "Ban Chấp hành Đảng bộ phường khóa mới ra mắt Đại hội",
        ),
    ),
    "03-sang-truong-hoc.txt": Expected(
        title="Chi bộ Tiểu học Hoa Sen: Đại hội thành công, nhiệm kỳ 2025-2027",
        unit="Chi bộ Trường Tiểu học Hoa Sen",
        term="2025-2027",
        date=(2025, 3, 21),
        author=None,
        captions=("Các đảng viên bỏ phiếu bầu Chi ủy khóa mới (Ảnh: Ngọc Lan)",),
    ),
    "04-khong-co-ngay.txt": Expected(
        title="Chi bộ khu phố 4 hoàn thành Đại hội điểm của phường Bình Minh",
        unit="Chi bộ khu phố 4",
        term="2025-2030",
        date=(0, 0, 0),  # today: see below
        author="Hoàng Yến",
        byline="Hoàng Yến",
        captions=(),
        checks=("date", "term"),
    ),
    "05-don-vi-moi.txt": Expected(
        title="Đảng bộ Công ty Cổ phần Cấp nước Yên Lạc tổ chức Đại hội lần thứ IV",
        unit="Đảng bộ Công ty Cổ phần Cấp nước Yên Lạc",
        term="2025-2030",
        date=(2025, 6, 28, 9, 40),
        author="Thanh Bình",
        byline="Thanh Bình",
        chrome=("09:40 AM 28/06/2025 | Lượt xem: 356 | In bài viết |",),
        captions=("Quang cảnh Đại hội",),
        checks=("unit",),
    ),
    "06-nhieu-nhiem-ky.txt": Expected(
        title='"Đoàn kết, kỷ cương, chuyên nghiệp" - phương châm của nhiệm kỳ mới',
        unit="Chi bộ Phòng Tài chính - Kế hoạch huyện Yên Lạc",
        term="2025-2030",  # not 2020-2025 nor 2015-2020, the past terms
        date=(2025, 5, 12),
        author=None,
        captions=("Đồng chí Bí thư Chi bộ trình bày báo cáo chính trị tại Đại hội",),
    ),
    "07-chieu-ngay-bo-dau-cu.txt": Expected(
        title="Chi bộ Bệnh viện Đa khoa Hoà An bầu Bí thư nhiệm kỳ 2025 - 2030",
        unit="Chi bộ Bệnh viện Đa khoa Hòa An",  # `Hoà` in the text, `Hòa` in the registry
        term="2025-2030",
        date=(2025, 6, 3),
        author="Phương Thảo",
        byline="Tin, ảnh: Phương Thảo",
        captions=("Bác sĩ Đinh Quang Hùng phát biểu tham luận tại Đại hội",),
    ),
    "08-ngay-dang-va-ngay-trong-bai.txt": Expected(
        title="Đại hội Chi bộ Trung tâm Y tế Hòa An nhiệm kỳ 2020 - 2025",
        unit="Chi bộ Bệnh viện Đa khoa Hòa An",  # its former name is in the text
        term="2020-2025",
        date=(2020, 10, 5, 10, 15),
        author=None,
        chrome=("Ngày đăng: 05/10/2020 | 10:15 | Lượt đọc: 92 | Chia sẻ",),
        captions=(),
    ),
    "09-khong-ghi-nam.txt": Expected(
        title="Đảng ủy xã Thanh Lâm tổ chức Đại hội đại biểu lần thứ XXV",
        unit="Đảng bộ xã Thanh Lâm",
        term="2025-2030",
        date=(2025, 5, 12),  # "Sáng 12/5": the year is the term's, to be checked
        author="Lê Hồng Quân và Mai Anh",
        byline="Lê Hồng Quân và Mai Anh",
        captions=("Các đại biểu bỏ phiếu bầu Ban Chấp hành khóa mới",),
        checks=("date",),
    ),
}


@pytest.fixture
def editor(project: Path) -> Path:
    """A project whose registry names the units of our texts."""
    use_registry(project, FIXTURES / "units.yaml")
    return project


def expectation(name: str) -> Expected:
    expected = EXPECTED[name]
    if expected.date == (0, 0, 0):
        now = datetime.now(ZONE)
        return Expected(**{**expected.__dict__, "date": (now.year, now.month, now.day)})
    return expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_own_text_becomes_the_right_article(
    name: str, editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [path], out, _ = imported(capsys, FIXTURES / name)
    expected = expectation(name)
    assert path.parent == Path("content") / str(expected.date[0])
    assert_article(path, fixture_text(name), expected, name)
    draft_lines = [line for line in out.splitlines() if "a draft until you check" in line]
    assert len(draft_lines) == bool(expected.checks)


def test_imported_texts_pass_check_and_build(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths, out, _ = imported(capsys, *(FIXTURES / name for name in sorted(EXPECTED)))
    assert len(paths) == len(EXPECTED)
    assert out.splitlines()[-1] == "Imported 9 articles (3 drafts to check)."
    assert main(["check"]) == 0
    checked = capsys.readouterr().out.splitlines()
    # the only warning: the unit that is not in the registry yet
    assert [line for line in checked if "(warning)" in line] == [
        f"{paths[4]}:3: unit 'Đảng bộ Công ty Cổ phần Cấp nước Yên Lạc' is not in"
        " content/units.yaml; check the spelling, or add the unit to content/units.yaml (warning)"
    ]
    for path in paths:  # publish the drafts too, so that every article is built
        text = path.read_text(encoding="utf-8")
        path.write_text("\n".join(line for line in text.split("\n") if "draft:" not in line))
    assert main(["build", "--quiet"]) == 0, capsys.readouterr().err
    page = editor / "site/2025/chi-bo-thon-dong-ha-to-chuc-dai-hoi-nhiem-ky-2025-2030/index.html"
    html = page.read_text(encoding="utf-8")
    assert f"<p><em>{MARK} Đồng chí Phạm Thu Trang phát biểu chỉ đạo Đại hội</em></p>" in html
    assert "Lượt xem" not in html and "<img" not in html.split("<main", 1)[1]


def test_what_is_unsure_is_listed_as_file_line_message(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = FIXTURES / "05-don-vi-moi.txt"
    code, out, err = run(capsys, source)
    assert code == 0
    shown = source  # outside the project: shown as an absolute path
    assert err.splitlines() == [
        f"{shown}:1: unit 'Đảng bộ Công ty Cổ phần Cấp nước Yên Lạc' is not in"
        " content/units.yaml; check the name (warning)",
        f"{shown}:7: 1 photo caption without the photo (line 7): put each photo above its"
        f" caption and delete '{MARK} ' (warning)",
    ]
    path = "content/2025/dang-bo-cong-ty-co-phan-cap-nuoc-yen-lac-to-chuc-dai-hoi-lan-thu-iv.md"
    assert out.splitlines() == [
        path,
        f"{path}:10: a draft until you check unit",
        "Imported 1 article (1 draft to check).",
    ]
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    assert lines[9] == "draft: true  # check unit; then delete this line"
    # what it reports, read from "tổ chức Đại hội lần thứ IV" in the title
    assert lines[6:8] == ["kind: dai-hoi", 'congress_number: "IV"']


def test_flags_give_fields_and_a_sure_article_is_no_draft(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [path], _, err = imported(
        capsys,
        FIXTURES / "04-khong-co-ngay.txt",
        "--date", "20/5/2025 08:30", "--term", "2025 – 2030", "--author", "Hoàng  Yến",
        "--unit", "Chi bộ khu phố 4",
    )  # fmt: skip
    got = read(path)
    assert path.parent == Path("content/2025")
    assert (got.date.moment.day, got.date.moment.hour, got.date.moment.minute) == (20, 8, 30)
    assert (got.term, got.author, got.unit, got.draft) == (
        "2025-2030",
        "Hoàng Yến",
        "Chi bộ khu phố 4",
        False,
    )
    assert "date" not in err
    # a unit given by an alias is written with its registered name
    paths, _, _ = imported(
        capsys, FIXTURES / "05-don-vi-moi.txt", "--unit", "đảng ủy phường bình minh"
    )
    assert read(paths[0]).unit == "Đảng bộ phường Bình Minh"


def test_a_date_given_settles_the_term_of_a_text_without_one(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths, _, _ = imported(capsys, FIXTURES / "04-khong-co-ngay.txt", "--date", "2025-05-20")
    got = read(paths[0])
    assert (got.term, got.draft) == ("2025-2030", False)


def test_an_all_capitals_title_and_a_portal_breadcrumb(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "ĐẠI HỘI CHI BỘ THÔN ĐÔNG HẠ NHIỆM KỲ 2025-2030\n"
        "Trang chủ > Tin tức > Xây dựng Đảng\n"
        "Thứ bảy, 17/05/2025, 08:05 (GMT+7)\n"
        "Sáng nay (17/5), các đảng viên thôn Đông Hạ dự Đại hội Chi bộ.\n"
    )
    write_tree(editor, {"tin.txt": text})
    paths, _, _ = imported(capsys, "tin.txt")
    got = read(paths[0])
    assert (got.unit, got.term, got.draft) == ("Chi bộ thôn Đông Hạ", "2025-2030", False)
    assert (got.date.moment.day, got.date.moment.hour, got.date.moment.minute) == (17, 8, 5)
    assert got.body == "\nSáng nay (17/5), các đảng viên thôn Đông Hạ dự Đại hội Chi bộ.\n"


def test_a_broken_registry_stops_the_import(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (editor / "content/units.yaml").write_text("- name: [\n", encoding="utf-8")
    code, _, err = run(capsys, GOOD_TEXT)
    assert code == 1
    assert err.splitlines()[0].startswith("content/units.yaml:2: not valid YAML")
    assert err.splitlines()[-1] == STOPPED


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        (
            "--date",
            "31/2/2025",
            "archive import: error: --date: date '31/2/2025' is not a valid date",
        ),
        (
            "--term",
            "2030-2025",
            "archive import: error: --term: term '2030-2025' ends before it starts; write it as 2025-2030",
        ),
        ("--unit", " ", "archive import: error: --unit must not be empty"),
    ],
)
def test_wrong_flag_values_are_a_command_line_error(
    flag: str, value: str, message: str, editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, GOOD_TEXT, flag, value)
    assert code == 2
    assert err.strip() == message
    assert not articles(editor)


def test_reimporting_the_same_text_is_refused(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = FIXTURES / "07-chieu-ngay-bo-dau-cu.txt"
    [first], _, _ = imported(capsys, source)
    # the same text again, also as a Windows copy in decomposed Unicode under another name
    text = source.read_text(encoding="utf-8")
    copy = editor / "ban-sao.txt"
    copy.write_bytes(
        b"\xef\xbb\xbf" + unicodedata.normalize("NFD", text).replace("\n", "\r\n").encode()
    )
    for again in (source, copy):
        code, _, err = run(capsys, again)
        assert code == 1
        shown = "ban-sao.txt" if again == copy else str(again)
        assert err.splitlines() == [f"{shown}: already imported, as {first}", STOPPED]
    # an editor removed the fingerprint line: same file name and title still tell
    edited = first.read_text(encoding="utf-8").replace("# archive import: text fingerprint", "#")
    first.write_text(edited, encoding="utf-8")
    assert run(capsys, source)[0] == 1
    # one text given twice in one command
    code, _, err = run(capsys, GOOD_TEXT, GOOD_TEXT)
    assert code == 1
    assert "01-dateline-chieu.txt: the same text as" in err
    assert len(articles(editor)) == 1


def test_news_already_in_the_archive_is_imported_as_a_draft_to_check(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(
        editor / "content",
        {
            "2025/viet-tay.md": article(
                title="Chi bộ Bệnh viện Đa khoa Hòa An bầu Bí thư nhiệm kỳ 2025–2030",
                unit="Chi bộ Bệnh viện Đa khoa Hòa An",
                date="3/6/2025",
            )
        },
    )
    [path], _, err = imported(capsys, FIXTURES / "07-chieu-ngay-bo-dau-cu.txt")
    assert path.name == "chi-bo-benh-vien-da-khoa-hoa-an-bau-bi-thu-nhiem-ky-2025-2030.md"
    assert read(path).draft
    assert (
        "content/2025/viet-tay.md has the same title and date; check that this is other news" in err
    )


def test_never_overwrites_an_existing_file(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = editor / "content/2025/chi-bo-thon-dong-ha-to-chuc-dai-hoi-nhiem-ky-2025-2030.md"
    write_tree(editor / "content", {str(taken.relative_to(editor / "content")): "không phải bài\n"})
    paths, _, _ = imported(capsys, GOOD_TEXT)
    assert paths == [
        Path("content/2025/chi-bo-thon-dong-ha-to-chuc-dai-hoi-nhiem-ky-2025-2030-2.md")
    ]
    assert taken.read_text(encoding="utf-8") == "không phải bài\n"


def docx(paragraphs: list[str]) -> bytes:
    """A minimal Word document; the second paragraph has a soft line break."""
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(
        "<w:p>"
        + "<w:r><w:br/></w:r>".join(
            f"<w:r><w:t>{escape(part)}</w:t></w:r>" for part in p.split("\n")
        )
        + "</w:p>"
        for p in paragraphs
    )
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as document:
        document.writestr("[Content_Types].xml", "<Types/>")
        document.writestr(
            "word/document.xml", f"<w:document {ns}><w:body>{body}</w:body></w:document>"
        )
    return data.getvalue()


SAME_TEXT = "02-dang-bo-ngay.txt"


def assert_same_article(
    capsys: pytest.CaptureFixture[str], editor: Path, name: str, data: bytes
) -> None:
    """The editor's file `name`, holding data, imports as our text SAME_TEXT does."""
    write_tree(editor, {name: data})
    [path], _, _ = imported(capsys, name)
    assert_article(path, fixture_text(SAME_TEXT), EXPECTED[SAME_TEXT], name)


def test_a_word_document_gives_the_same_article(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paragraphs = [line for line in fixture_text(SAME_TEXT).splitlines() if line]
    paragraphs[1:3] = [paragraphs[1] + "\n" + paragraphs[2]]  # lead and caption: one soft break
    assert_same_article(capsys, editor, "tin.docx", docx(paragraphs))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_notepad_unicode_file_gives_the_same_article(
    encoding: str, editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Notepad's "Unicode" is UTF-16 with a byte-order mark, and CRLF line ends."""
    text = fixture_text(SAME_TEXT)
    data = "\ufeff".encode(encoding) + text.replace("\n", "\r\n").encode(encoding)
    assert_same_article(capsys, editor, "tin.txt", data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("trong.txt", b"", "trong.txt:1: the file is empty; there is nothing to import"),
        ("utf16-hong.txt", b"\xff\xfeT\x00\x00\xd8",  # a lone surrogate half
         "utf16-hong.txt: the file is not readable UTF-16 text; save it as UTF-8"),
        ("trang.txt", b" \n\t\n", "trang.txt:1: the file is empty; there is nothing to import"),
        ("cp1258.txt", b"Tin\n\xd0a\xf2i h\xf4\xf2i\n",  # Windows-1258, not UTF-8
         "cp1258.txt:2: the file is not UTF-8 text (byte 0xD0); save it as UTF-8"),
        ("cu.doc", b"\xd0\xcf\x11\xe0", "cu.doc: .doc files cannot be read; save it as .docx or as plain text"),
        ("hong.docx", b"PK not a zip", "hong.docx: this is not a readable .docx file; save it again"),
        ("nhi-phan.txt", b"ab\x00cd\n", "nhi-phan.txt: this is not a text file; save the article as plain text"),
        ("bai.md", article().encode(), "bai.md:1: this is already an article (it starts with '---')"),
        ("tieu-de.txt", "Chỉ có tiêu đề\n\n".encode(), "tieu-de.txt:1: there is no text after the title"),
        ("chi-dong-ngay.txt", "20/08/2022 15:55 | Lượt xem: 3\n".encode(),
         "chi-dong-ngay.txt:1: the file has only portal lines; there is nothing to import"),
    ],
)  # fmt: skip
def test_unreadable_inputs_are_reported_and_nothing_is_written(
    name: str, data: bytes, message: str, editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(editor, {name: data})
    code, out, err = run(capsys, name, GOOD_TEXT)
    assert code == 1
    assert err.splitlines() == [message, STOPPED]
    assert out == ""
    assert not articles(editor)


def test_missing_files_and_folders(editor: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (editor / "thu-muc").mkdir()
    code, _, err = run(capsys, "khong-co.txt", "thu-muc")
    assert code == 1
    assert err.splitlines() == [
        "khong-co.txt: there is no such file",
        "thu-muc: this is a folder; give the text files in it",
        STOPPED,
    ]
    code, _, err = run(capsys, GOOD_TEXT, "--into", "noi-khac")
    assert code == 1
    assert err.splitlines()[0] == "noi-khac: the content folder does not exist"


# --- the rules, one by one ---------------------------------------------------


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("03:55 PM 20/08/2022\xa0|\xa0 Lượt xem: 830", (2022, 8, 20, 15, 55)),
        ("12:10 AM 01/01/2024 | In bài viết", (2024, 1, 1, 0, 10)),
        ("Thứ Hai, 02/06/2025 - 07:05", (2025, 6, 2, 7, 5)),
        ("09:30 SA 3/6/2025", (2025, 6, 3, 9, 30)),
        ("02:15 CH 3/6/2025", (2025, 6, 3, 14, 15)),
        ("Ngày đăng: 17-06-2025", (2025, 6, 17, None, 0)),
        ("31/02/2025 | Lượt xem: 1", None),
    ],
)
def test_dateline(line: str, day: tuple[int | None, ...] | None) -> None:
    assert importtext.is_chrome(line)
    found = importfields.dateline_day(line)
    assert (found and (found.year, found.month, found.day, found.hour, found.minute)) == day


@pytest.mark.parametrize(
    ("text", "day", "opening"),
    [
        ("Sáng 17/6/2025, Chi bộ tổ chức Đại hội.", (2025, 6, 17, None), True),
        ("Chiều ngày 5/6/2025, Đảng bộ xã khai mạc Đại hội.", (2025, 6, 5, None), True),
        ("Ngày 9 tháng 4 năm 2025, Đảng bộ phường họp.", (2025, 4, 9, None), True),
        ("Trong 2 ngày 14-15/6/2025, Đảng bộ tổ chức Đại hội.", (2025, 6, 14, None), True),
        ("Vào lúc 2 giờ 30 phút chiều ngày 1/7/2025, Chi bộ họp.", (2025, 7, 1, 14), True),
        ("Chi bộ thôn Điền tổ chức Đại hội vào sáng 12/5/2025.", (2025, 5, 12, None), True),
        ("Chi bộ có 32/35 đảng viên. Sáng 12/5/2025 Đại hội khai mạc.", (2025, 5, 12, None), False),
        ("Thực hiện Quyết định số 12/QĐ-ĐU ngày 3/4/2025, Chi bộ họp.", None, False),
        ("Chi bộ đã hoàn thành 16/18 chỉ tiêu.", None, False),
    ],
)
def test_date_in_the_text(text: str, day: tuple[int | None, ...] | None, opening: bool) -> None:
    found, first, _ = importfields.text_day(text, [2025])
    assert (found and (found.year, found.month, found.day, found.hour)) == day
    assert first == opening


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Hằng Mến", "Hằng Mến"),
        ("Minh Anh - Thu Hà", "Minh Anh - Thu Hà"),
        ("Nguyễn Văn An, Trần Thị Bình", "Nguyễn Văn An, Trần Thị Bình"),
        ("Tin, ảnh: Lan Phương", "Lan Phương"),
        ("(Bài và ảnh: Quốc Việt)", "Quốc Việt"),
        ("Ảnh: PV", "PV"),
        ("Quang cảnh Đại hội", None),
        ("Quang Cảnh Đại Hội", None),
        ("Theo Báo Phú Thọ", None),
        ("Thảo", None),
        ("Đại hội thành công tốt đẹp.", None),
    ],
)
def test_byline(line: str, author: str | None) -> None:
    assert importtext.byline_names(line) == author


@pytest.mark.parametrize(
    ("title", "text", "year", "term", "sure"),
    [
        ("Đại hội Chi bộ X nhiệm kỳ 2025 - 2030", "Nhiệm kỳ 2020 - 2025, Chi bộ làm tốt.", 2025, "2025-2030", True),
        ("Đại hội Chi bộ X", "Tổng kết nhiệm kỳ 2020-2025 và bầu cấp ủy nhiệm kỳ 2025–2030.", 2025, "2025-2030", True),
        ("Đại hội Chi bộ X", "Nghị quyết Đại hội nhiệm kỳ 2022 - 2025 và nhiệm kỳ 2020 - 2022.", 2022, "2022-2025", True),
        ("Đại hội Chi bộ X (2025-2030)", "Chi bộ họp.", None, "2025-2030", True),
        ("Đại hội Chi bộ X", "Trong nhiệm kỳ 2020 - 2025, Chi bộ làm tốt.", 2025, "2020-2025", False),
        ("Đại hội Chi bộ X nhiệm kỳ 2020-2025", "Bầu cấp ủy nhiệm kỳ 2025 - 2030.", 2025, "2020-2025", False),
        ("Giai đoạn 2021-2025", "Chi bộ họp.", 2025, None, None),
    ],
)  # fmt: skip
def test_the_congress_term_not_a_past_one(
    title: str, text: str, year: int | None, term: str | None, sure: bool | None
) -> None:
    page = importtext.layout(f"{title}\n{text}\n")
    found = importfields.find_term(importfields.terms_in(page), year)
    assert (found and found.value, found and found.sure) == (term, sure)


def test_units_from_the_registry_or_the_text(editor: Path) -> None:
    from generator.content import registry

    units = registry.load(editor / "content", lambda problem: None)

    def unit(text: str) -> tuple[str, bool] | None:
        found = importunits.find_unit(importtext.layout(text), units)
        return found and (found.value, found.sure)

    # the parent organisation attends the unit's congress
    assert unit("Tin\nĐảng uỷ xã Thanh Lâm dự Đại hội Chi bộ thôn Đông Hạ.\n") == (
        "Chi bộ thôn Đông Hạ",
        True,
    )
    # two unrelated units, neither with the Đại hội: the editor decides
    assert unit("Tin\nChi bộ thôn Đông Hạ và Chi bộ khu phố 4 giao lưu.\n") == (
        "Chi bộ thôn Đông Hạ",
        False,
    )
    # a name the registry does not know, read up to the verb
    assert unit("Chi bộ Ấp Tân Lập tổ chức Đại hội\nChi bộ Ấp Tân Lập đã họp.\n") == (
        "Chi bộ Ấp Tân Lập",
        False,
    )
    # a registered name followed by more of a name is not taken for sure
    assert unit("Tin\nChi bộ khu phố 4 Tây tổ chức Đại hội.\n") == ("Chi bộ khu phố 4", False)
    assert unit("Tin\nChi bộ đã họp.\n") is None


def test_captions_render_as_the_sites_caption_and_are_skipped_in_summaries() -> None:
    from generator.importing.importer import caption_markdown

    source = (
        caption_markdown("Đồng chí *A* [phát biểu] <b>tại</b> Đại hội_") + "\n\nĐoạn văn đầu.\n"
    )
    rendered = markdown.Markdown().render(source)
    assert rendered.html.startswith(
        f"<p><em>{MARK} Đồng chí *A* [phát biểu] &lt;b&gt;tại&lt;/b&gt; Đại hội_</em></p>"
    )
    assert rendered.text == "Đoạn văn đầu."
    assert "<a" not in rendered.html and "<img" not in rendered.html


def docx_with_photos(blocks: list[str | tuple[str, bytes, str]]) -> bytes:
    """A Word document whose photos are embedded (word/media/), each in a
    paragraph of its own, as Word saves a picture put between paragraphs."""
    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    )
    body, rels, media = [], [], []
    for block in blocks:
        if isinstance(block, str):
            body.append(f"<w:p><w:r><w:t>{escape(block)}</w:t></w:r></w:p>")
            continue
        name, data, alt = block
        rid = f"rId{len(rels) + 10}"
        rels.append(
            f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/image" Target="media/{name}"/>'
        )
        media.append((name, data))
        body.append(
            f'<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture" descr="{escape(alt)}"/>'
            f'<a:graphic><a:graphicData><a:blip r:embed="{rid}"/></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing></w:r></w:p>"
        )
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as document:
        document.writestr("[Content_Types].xml", "<Types/>")
        document.writestr(
            "word/document.xml", f"<w:document {ns}><w:body>{''.join(body)}</w:body></w:document>"
        )
        document.writestr(
            "word/_rels/document.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels)
            + "</Relationships>",
        )
        for name, content in media:
            document.writestr(f"word/media/{name}", content)
    return data.getvalue()


def test_a_word_documents_photos_are_put_above_their_captions(
    editor: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vote, hall = phone_jpeg(900, 600, seed=3), phone_jpeg(800, 600, seed=4)
    document = docx_with_photos(
        [
            "Đại hội Chi bộ thôn Đông Hạ nhiệm kỳ 2025-2030",
            "Sáng 20/5/2025, Chi bộ thôn Đông Hạ tổ chức Đại hội nhiệm kỳ 2025-2030.",
            ("image1.jpeg", vote, "Đảng viên giơ thẻ biểu quyết"),
            "Các đảng viên biểu quyết thông qua Nghị quyết Đại hội.",
            "Đại hội đã bầu Chi ủy khóa mới gồm 3 đồng chí, bầu Bí thư Chi bộ.",
            ("image2.png", hall, ""),
            "Đại hội kết thúc tốt đẹp. Các đại biểu thống nhất cao. Chi bộ ra mắt Chi ủy mới.",
            "Quang cảnh Đại hội Chi bộ thôn Đông Hạ",
            "Các đảng viên hứa thực hiện thắng lợi Nghị quyết nhiệm kỳ mới của Chi bộ.",
            ("image3.emf", b"\x01\x00\x00\x00", ""),
        ]
    )
    write_tree(editor, {"tin-anh.docx": document})
    [path], _, err = imported(capsys, "tin-anh.docx")
    text = path.read_text(encoding="utf-8")
    folder = path.with_suffix("")
    # the photo is in place, above its caption, which has no "photo to come" mark
    assert (
        f"![Đảng viên giơ thẻ biểu quyết]({folder.name}/anh-1.jpg)\n"
        "*Các đảng viên biểu quyết thông qua Nghị quyết Đại hội.*"
    ) in text
    # a paragraph under a photo is not its caption (three sentences)
    assert f"![]({folder.name}/anh-2.png)\n\nĐại hội kết thúc" in text
    # a caption the document gives no photo for keeps its mark
    assert f"*{MARK} Quang cảnh Đại hội Chi bộ thôn Đông Hạ*" in text
    assert (folder / "anh-1.jpg").read_bytes() == vote
    assert (folder / "anh-2.png").read_bytes() == hall
    assert sorted(p.name for p in folder.iterdir()) == ["anh-1.jpg", "anh-2.png"]
    assert "'image3.emf' is a drawing the site cannot show" in err
    assert "1 photo caption without the photo" in err
    # and the article builds, with its photos as figures (once the editor has checked it)
    lines = [line for line in text.splitlines() if not line.startswith("draft:")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["build", "--quiet"]) == 0
    capsys.readouterr()
    page = next((editor / "site/2025").glob("*/index.html")).read_text(encoding="utf-8")
    assert page.count("<figure") == 2 and 'fetchpriority="high"' in page


@pytest.mark.parametrize(
    ("title", "opening", "kind", "sure"),
    [
        ("Chi bộ Sở Ngoại vụ tổ chức Đại hội lần thứ III", "", "dai-hoi", True),
        ("Đại hội đại biểu Đảng bộ xã lần thứ XXV", "", "dai-hoi", True),
        ("Chi bộ thôn Điền tổ chức Đại hội điểm", "", "dai-hoi", True),
        # a slogan for a title: the first paragraph says what happened
        ("Đoàn kết, chủ động, sáng tạo", "Sáng 20/8, Chi bộ tổ chức Đại hội nhiệm kỳ mới.", "dai-hoi", True),
        ("Chi bộ quán triệt Nghị quyết Đại hội", "Chi bộ học tập Nghị quyết.", "tin", True),
        ("Đảng bộ xã chuẩn bị Đại hội", "", "tin", True),
        # the title names Đại hội otherwise, the first paragraph reports one held
        ("Chào mừng Đại hội", "Hôm nay, Chi bộ tổ chức Đại hội lần thứ II.", "dai-hoi", False),
        ("Ban Chấp hành họp Hội nghị lần thứ nhất", "", "hoi-nghi", True),
        ("Kỷ niệm ngày thành lập Đảng", "Chi bộ tổ chức gặp mặt.", "tin", True),
    ],
)  # fmt: skip
def test_what_an_article_reports_is_read_from_its_title_and_first_paragraph(
    title: str, opening: str, kind: str, sure: bool
) -> None:
    read = kinds.read_kind(title, opening)
    assert (read.kind, read.sure) == (kind, sure)
    assert bool(read.note) != sure


def test_the_congress_number_is_read_as_written_or_in_figures() -> None:
    assert (
        kinds.read_congress_number("Chi bộ tổ chức Đại hội lần thứ III, nhiệm kỳ 2025 – 2030")
        == "III"
    )
    assert kinds.read_congress_number("Đại hội Chi bộ lần thứ 4") == "IV"
    assert kinds.read_congress_number("Hội nghị lần thứ nhất") is None
    # a congress to come, named in passing, is not the one reported
    opening = "Chi bộ thôn tổ chức Đại hội, tiến tới Đại hội Đảng bộ xã lần thứ XXV."
    assert kinds.read_congress_number(opening) is None
