"""Import, part two: the date and the term of a news text, each with the line
it was read from and whether the reading is sure.

Pure. A reading is sure only when the text leaves no real choice; otherwise
it carries a note that tells the editor what was taken and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from generator.importing.text import Layout, Line


@dataclass(frozen=True, slots=True)
class Found:
    value: str  # as it is written into the front matter
    line: int  # where in the input it was read
    sure: bool
    note: str = ""  # for the editor when not sure


@dataclass(frozen=True, slots=True)
class Day:
    year: int
    month: int
    day: int
    hour: int | None = None
    minute: int = 0

    def text(self) -> str:
        clock = f" {self.hour:02d}:{self.minute:02d}" if self.hour is not None else ""
        return f"{self.day}/{self.month}/{self.year}{clock}"

    def key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day)


def _day(year: int, month: int, day: int, hour: int | None = None, minute: int = 0) -> Day | None:
    try:
        datetime(year, month, day, hour or 0, minute)
    except ValueError:
        return None
    return Day(year, month, day, hour, minute)


# --- dates -----------------------------------------------------------------

_DL_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_DL_CLOCK = re.compile(r"(?<!\d)(\d{1,2})[:h](\d{2})(?::\d{2})?(?:\s*(AM|PM|SA|CH))?", re.I)


def dateline_day(text: str) -> Day | None:
    """`03:55 PM 20/08/2022`, `Thứ Năm, 15/05/2025 - 16:20` -> the day and time."""
    date = _DL_DATE.search(text)
    if date is None:
        return None
    hour, minute = None, 0
    clock = _DL_CLOCK.search(_DL_DATE.sub(" ", text))
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        half = (clock.group(3) or "").upper()
        if half in ("PM", "CH") and hour < 12:
            hour += 12
        elif half in ("AM", "SA") and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            hour, minute = None, 0
    return _day(int(date.group(3)), int(date.group(2)), int(date.group(1)), hour, minute)


_RANGE = (  # "14 và 15/6/2025", "14-15/6": the first day
    r"(?P<first>\d{1,2})\s*(?:-|–|và|đến)\s*\d{1,2}\s*[/.-]\s*(?P<rm>\d{1,2})"
    r"(?:\s*[/.-]\s*(?P<ry>\d{4}))?"
)
_NUMERIC = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?"
_WORDS = r"(?P<wd>\d{1,2})\s+tháng\s+(?P<wm>\d{1,2})(?:\s*(?:năm|,)\s*(?P<wy>\d{4}))?"
_TEXT_DATE = re.compile(rf"(?<![\d/.])(?:{_RANGE}|{_WORDS}|{_NUMERIC})(?![\d/])", re.I)
# What may stand before the date in an opening sentence: "Sáng", "Chiều ngày",
# "Vào lúc 8 giờ 30 phút sáng ngày", "Trong hai ngày", "Hôm nay (thứ Ba),".
_LEAD_END = re.compile(
    r"(?:^|\b(?:sáng|chiều|trưa|tối|đêm|ngày|nay|vào|lúc|hồi|trong|nhật|hai|ba|tư|năm|sáu"
    r"|bảy|phút|giờ|\d{1,2}h\d{0,2})\)?)\s*[,(]?\s*$",
    re.I,
)
_DOCUMENT = re.compile(r"(?:số|/[^\s]*)\s+ngày\s*$", re.I)
_TEXT_CLOCK = re.compile(r"(\d{1,2})\s*(?:h|giờ|:)\s*(\d{1,2})?\s*(?:phút)?", re.I)
_AFTERNOON = re.compile(r"\b(?:chiều|tối|đêm)\b", re.I)


def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"[.!?…]+[\"”’)]*\s+(?=[\"“(]*[^\W\d_])", text)]


def text_day(text: str, years: Iterable[int]) -> tuple[Day | None, bool, int | None]:
    """The first date a sentence opens with: (day or None, in the first sentence, year given).

    Dates elsewhere (of decrees, of earlier meetings) are not the article's.
    """
    starts = _sentence_starts(text)
    for match in _TEXT_DATE.finditer(text):
        start = max(s for s in starts if s <= match.start())
        lead = text[start : match.start()]
        if len(lead) > 200 or not _LEAD_END.search(lead) or _DOCUMENT.search(lead):
            continue
        parts = match.groupdict()
        day = int(parts["first"] or parts["wd"] or parts["d"])
        month = int(parts["rm"] or parts["wm"] or parts["m"])
        written = parts["ry"] or parts["wy"] or parts["y"]
        hour, minute = None, 0
        clock = _TEXT_CLOCK.search(lead)
        if clock and int(clock.group(1)) < 24:
            hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
            if _AFTERNOON.search(lead) and hour < 12:
                hour += 12
        for year in [int(written)] if written else years:
            found = _day(year, month, day, hour, minute)
            if found is not None:
                return found, start == 0, int(written) if written else None
    return None, False, None


def find_date(layout: Layout, term_years: list[int]) -> Found | None:
    """The dateline's date and time when there is one, else the opening sentence's date."""
    datelines = ((line, dateline_day(line.text)) for line in layout.chrome)
    dateline = next(((line, day) for line, day in datelines if day is not None), None)
    guesses = [dateline[1].year] if dateline else []
    in_text: tuple[Line, Day, bool, int | None] | None = None
    for rank, line in enumerate(layout.paragraphs[:3]):
        day, opening, year = text_day(line.text, [*guesses, *term_years])
        if day is not None:
            in_text = (line, day, opening and rank == 0, year)
            break
    if dateline:
        line, day = dateline
        if in_text and in_text[3] and in_text[1].key() > day.key():
            later = in_text[1].text()
            return Found(
                day.text(), line.number, False,
                f"the dateline says {day.text()} but the text says {later}; check the date",
            )  # fmt: skip
        return Found(day.text(), line.number, True)
    if in_text is None:
        return None
    line, day, opening, year = in_text
    if year is None:
        return Found(
            day.text(), line.number, False,
            f"the date in the text has no year; took {day.year}; check the date",
        )  # fmt: skip
    if not opening:
        return Found(
            day.text(), line.number, False,
            f"date {day.text()} is not in the opening sentence; check that it is the article's",
        )  # fmt: skip
    return Found(day.text(), line.number, True)


# --- terms -----------------------------------------------------------------

_DASH = r"\s*[-‐‑‒–—―]\s*"
_TERM = re.compile(rf"(?:nhiệm\s+k[ỳì]|\bNK)\s*:?\s*\(?\s*(\d{{4}}){_DASH}(\d{{4}})(?!\d)", re.I)
_TITLE_TERM = re.compile(rf"{_TERM.pattern}|\(\s*(\d{{4}}){_DASH}(\d{{4}})\s*\)", re.I)


@dataclass(frozen=True, slots=True)
class Term:
    start: int
    end: int
    line: int
    in_title: bool

    @property
    def text(self) -> str:
        return f"{self.start}-{self.end}"


def terms_in(layout: Layout) -> list[Term]:
    """Every `nhiệm kỳ 2020 - 2025` of the title and the body, in order."""
    found = []
    lines = [layout.title] if layout.title else []
    for line in [*lines, *(block.line for block in layout.blocks)]:
        title = line is layout.title
        pattern = _TITLE_TERM if title else _TERM
        for match in pattern.finditer(line.text):
            years = [int(g) for g in match.groups() if g]
            start, end = years[0], years[1]
            if 0 < end - start <= 10:
                found.append(Term(start, end, line.number, title))
    return found


def find_term(terms: list[Term], year: int | None) -> Found | None:
    """The congress's own term: the title's, else the latest named (the others are past)."""
    if not terms:
        return None
    latest = max(terms, key=lambda t: (t.start, t.end))
    titled = [t for t in terms if t.in_title]
    chosen = titled[0] if titled else latest
    named = ", ".join(dict.fromkeys(t.text for t in sorted(terms, key=lambda t: t.start)))
    if latest.start > chosen.start:
        note = f"the title names term {chosen.text} but the text also {latest.text}; check it"
        return Found(chosen.text, chosen.line, False, note)
    if year is not None and not chosen.start - 1 <= year <= chosen.start:
        note = (
            f"term {chosen.text} does not start in or just after the article's year {year}"
            f" (terms named: {named}); check it"
        )
        return Found(chosen.text, chosen.line, False, note)
    follows = any(t.end == chosen.start for t in terms)  # the past term, handed over
    if year is None and not (titled or follows):
        return Found(chosen.text, chosen.line, False, f"terms named: {named}; check the term")
    return Found(chosen.text, chosen.line, True)
