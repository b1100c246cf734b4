from __future__ import annotations

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from generator.vietnamese import (
    collapse_spaces,
    collation_key,
    fold,
    format_date,
    format_datetime,
    name_tokens,
    slugify,
    spelling_key,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Chi bộ Đồng Tâm", "chi-bo-dong-tam"),
        ("Đại hội", "dai-hoi"),
        ("ĐẢNG ỦY xã Ứng Hòa", "dang-uy-xa-ung-hoa"),
        ("Nhiệm kỳ 2025 – 2030", "nhiem-ky-2025-2030"),
        ("  Sở Ngoại vụ: “Chi bộ bốn tốt”!  ", "so-ngoai-vu-chi-bo-bon-tot"),
        (unicodedata.normalize("NFD", "Đảng uỷ Phường"), "dang-uy-phuong"),
        ("!!!", ""),
    ],
)
def test_slugs_read_well(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_long_slugs_are_cut_at_a_word_boundary() -> None:
    slug = slugify("Đại hội " * 30, max_length=40)
    assert len(slug) <= 40
    assert slug.endswith("hoi")
    assert not slug.endswith("-")


def test_fold_removes_tones_and_maps_d_stroke() -> None:
    assert fold("Đảng ủy Đồng Tâm") == "dang uy dong tam"
    assert fold("Ưu tiên Ăn Ở") == "uu tien an o"


def test_collapse_spaces_handles_tabs_and_nbsp() -> None:
    assert collapse_spaces("  Chi\tbộ \u00a0 Tân\n Hòa ") == "Chi bộ Tân Hòa"


def sort_vi(names: list[str]) -> list[str]:
    return sorted(names, key=collation_key)


def test_vietnamese_alphabet_order() -> None:
    expected = ["An", "Ăn", "Ân", "Bình", "Cao", "Dân", "Dương", "Đảng", "Đoàn", "Em", "Ên",
                "Giang", "Hà", "Ích", "Kim", "Long", "Minh", "Nam", "Oanh", "Ông", "Ơn", "Phú",
                "Quang", "Rạng", "Sơn", "Tâm", "Uy", "Ưu", "Vân", "Xuân", "Yên"]  # fmt: skip
    assert sort_vi(list(reversed(expected))) == expected


def test_case_is_ignored_and_tones_are_secondary() -> None:
    assert sort_vi(["chi bộ B", "Chi bộ A"]) == ["Chi bộ A", "chi bộ B"]
    # tone only decides between otherwise equal names: ngang, huyền, hỏi, ngã, sắc, nặng
    assert sort_vi(["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"]) == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    # a tone never outweighs a letter
    assert sort_vi(["Tán", "Tam"]) == ["Tam", "Tán"]
    assert sort_vi(["Chi bộ Đồng Tâm", "Chi bộ Dương Nội", "Chi bộ Ấp Bình Minh"]) == [
        "Chi bộ Ấp Bình Minh",
        "Chi bộ Dương Nội",
        "Chi bộ Đồng Tâm",
    ]


def test_nfd_and_nfc_sort_the_same() -> None:
    nfd = unicodedata.normalize("NFD", "Đảng ủy")
    assert collation_key(nfd)[:3] == collation_key("Đảng ủy")[:3]


@pytest.mark.parametrize(
    ("old", "new"),
    [("Đảng uỷ", "Đảng ủy"), ("Tân Hoà", "Tân Hòa"), ("khoẻ", "khỏe"), ("thuý", "thúy")],
)
def test_tone_placement_variants_are_one_spelling(old: str, new: str) -> None:
    assert spelling_key(old) == spelling_key(new)
    assert spelling_key(unicodedata.normalize("NFD", old)) == spelling_key(new)


def test_different_words_stay_different() -> None:
    assert spelling_key("Tân Hòa") != spelling_key("Tân Hoa")
    assert spelling_key("Đồng") != spelling_key("Dong")


def test_dates_the_vietnamese_way() -> None:
    moment = datetime(2022, 8, 20, 15, 55, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert format_date(moment) == "20/8/2022"
    assert format_datetime(moment, has_time=True) == "Thứ Bảy, 20/8/2022, 15:55"
    assert format_datetime(moment, has_time=False) == "Thứ Bảy, 20/8/2022"
    sunday = datetime(2025, 6, 15)
    assert format_datetime(sunday, has_time=False) == "Chủ Nhật, 15/6/2025"


@pytest.mark.parametrize(
    "text",
    [
        "Đại hội ĐẢNG ỦY Thuỷ Hoà Nghĩa",
        "Straße café naïve",  # Latin letters that are not Vietnamese
        "Привет й ё",  # Cyrillic letters with marks
        "a\u0483b x\u20d7y",  # marks outside the Latin block
        "ngắt\u034fdòng",  # U+034F looks like a mark but is not one (class 0)
        "日本語 ٱلعربية",
    ],
)
def test_fold_removes_every_combining_mark_and_nothing_else(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text.lower())
    expected = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a person, with each shorter run: "Quốc Xoan" is how colleagues may write it
        (
            "Đồng chí Nguyễn Quốc Xoan phát biểu.",
            {"znguyenquoc", "zquocxoan", "znguyenquocxoan"},
        ),
        # places and the named part of a unit; đ folds to d
        ("Đảng bộ xã Đồng Tâm, huyện Mỹ Đức", {"zdongtam", "zmyduc"}),
        (
            "Chi bộ Phòng Công Thương huyện Cẩm Nam",
            {"zphongcong", "zcongthuong", "zphongcongthuong", "zcamnam"},
        ),
        # punctuation ends a name
        ("Hà Nội, Hải Phòng", {"zhanoi", "zhaiphong"}),
        # a heading in capitals or Title Case is not a list of names
        ("ĐẠI HỘI ĐẢNG BỘ XÃ ĐỒNG TÂM", set()),
        ("Hội Nghị Ban Chấp Hành Đảng Bộ Mở Rộng", set()),
        # a pair the text also writes in lower case is not a name
        ("Hội Nghị lần này khác mọi hội nghị trước", set()),
        ("Đảng ủy thị trấn Đại Hội chuẩn bị Đại hội", set()),
        ("Đảng ủy thị trấn Đại Hội chuẩn bị", {"zdaihoi"}),
        # one capital is not a name; numbers are not names
        ("Đại hội lần thứ III", set()),
        ("Ngày 20 Tháng 5", set()),
    ],
)
def test_names_are_the_runs_of_capitalised_syllables(text: str, names: set[str]) -> None:
    assert set(name_tokens(text).split()) == names


def test_names_are_listed_once_in_the_order_they_come() -> None:
    text = "Nguyễn Văn An gặp Trần Bình. Sau đó Nguyễn Văn An về."
    assert name_tokens(text).split() == ["znguyenvan", "zvanan", "znguyenvanan", "ztranbinh"]


def test_a_sentence_of_names_keeps_its_names() -> None:
    names = name_tokens("Nguyễn Văn An và Trần Văn Bình gặp Lê Thị Hoa").split()
    assert {"znguyenvanan", "ztranvanbinh", "zlethihoa"} <= set(names)


def test_a_pair_the_body_writes_in_lower_case_is_no_name_in_the_title() -> None:
    assert "zdaihoi" not in name_tokens("Tin từ thị trấn Đại Hội", "Chi bộ chuẩn bị Đại hội.")
    assert "zdaihoi" in name_tokens("Tin từ thị trấn Đại Hội", "Chi bộ chuẩn bị họp.")
