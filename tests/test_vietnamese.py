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
