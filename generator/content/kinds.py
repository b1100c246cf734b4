"""Load stage: what an article reports (its `kind`), and which congress.

Editors write `kind: dai-hoi` (a congress), `kind: hoi-nghi` (a conference or
meeting) or `kind: tin` (other news); an article without the field has its
kind read from its title and first paragraph, as `archive import` does, so
an archive written before the field still has its congresses. The number of
a congress (`congress_number: III`) is read from "Đại hội ... lần thứ III".

Pure functions over text: no file, no site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.vietnamese import collapse_spaces, fold, slugify

CONGRESS = "dai-hoi"
MEETING = "hoi-nghi"
NEWS = "tin"
# the values editors may write, with what the site calls them
KINDS = {CONGRESS: "Đại hội", MEETING: "Hội nghị", NEWS: "Tin hoạt động"}

# "Đại hội" as the event held (folded): "tổ chức Đại hội", "Đại hội đại biểu" ...
_HELD = re.compile(
    r"\b(?:to chuc|khai mac|be mac|dien ra)\s+dai hoi\b"
    r"|\bdai hoi\s+(?:dai bieu|diem|chi bo|dang bo|lan thu|nhiem ky|thanh cong)\b"
    r"|^dai hoi\b"
)
# "Đại hội" named as something else: its resolution, its preparation ...
_NOT_HELD = re.compile(
    r"\b(?:nghi quyet|chuan bi|chao mung|van kien|huong toi|tien toi|truoc|sau|"
    r"ke hoach|to chuc thuc hien|trien khai)\s+(?:\w+\s+){0,2}?dai hoi\b"
)
_MEETING = re.compile(r"\bhoi nghi\b")
# the span may not cross a comma: "tổ chức Đại hội, tiến tới Đại hội … lần thứ XXV"
_NUMBER = re.compile(r"Đại hội\b[^.;:,]{0,80}?\blần thứ\s+([IVXLC]+|\d{1,3})\b", re.IGNORECASE)
_ROMAN_FULL = re.compile(r"C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


@dataclass(frozen=True, slots=True)
class Reading:
    """A kind read from an article's text, and whether the reading is sure."""

    kind: str
    sure: bool
    note: str = ""  # why it is not sure


def parse_kind(raw: str) -> str:
    """`dai-hoi`, `Đại hội`, `dai hoi` ... -> `dai-hoi`; ValueError names the choices."""
    value = slugify(collapse_spaces(raw))
    by_label = {slugify(label): kind for kind, label in KINDS.items()}
    found = value if value in KINDS else by_label.get(value)
    if found is None:
        choices = ", ".join(f"{kind} ({label})" for kind, label in KINDS.items())
        raise ValueError(f"kind '{raw}' is not one of {choices}")
    return found


def parse_congress_number(raw: str) -> str:
    """`III`, `iii`, `3` -> `III`; ValueError when it is no number of a congress."""
    value = collapse_spaces(raw).upper()
    if value.isdigit() and 0 < int(value) < 400:
        return roman(int(value))
    if value and _ROMAN_FULL.fullmatch(value):
        return value
    raise ValueError(f"congress_number '{raw}' is not a number such as III or 3")


def roman(number: int) -> str:
    parts = []
    for value, letters in (
        (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
        (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def read_kind(title: str, opening: str) -> Reading:
    """What an article reports, read from its title, then its first paragraph.

    Unsure only when they disagree: the first paragraph reports a congress
    held while the title names Đại hội as something else (its resolution,
    its preparation)."""
    heading, first = _plain(title), _plain(opening)
    if _held(heading):
        return Reading(CONGRESS, True)
    if _MEETING.search(heading):
        return Reading(MEETING, True)
    if _held(first):
        if "dai hoi" in heading:
            note = "the first paragraph reports a congress, the title names Đại hội otherwise"
            return Reading(CONGRESS, False, note)
        return Reading(CONGRESS, True)
    if re.search(r"\b(?:to chuc|hop)\s+hoi nghi\b", first):
        return Reading(MEETING, True)
    return Reading(NEWS, True)


def read_congress_number(*texts: str) -> str | None:
    """The number of the congress a text reports: "Đại hội lần thứ III" -> "III"."""
    for text in texts:
        for match in _NUMBER.finditer(text):
            # "tiến tới Đại hội ... lần thứ XXV" names another congress, to come
            before = _plain(text[max(0, match.start() - 40) : match.start()] + " Đại hội")
            if _NOT_HELD.search(before):
                continue
            try:
                return parse_congress_number(match.group(1))
            except ValueError:
                continue
    return None


def _held(folded: str) -> bool:
    """Whether a folded text names a congress as held, not only as the
    resolution or the preparation of one."""
    if not _HELD.search(folded):
        return False
    rest = _NOT_HELD.sub(" ", folded)
    return bool(_HELD.search(rest))


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))
