"""The Vietnamese language in one place: normalisation, slugs, sort order, dates.

Pure functions only; every other module asks here instead of guessing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime

# Combining marks that carry the five Vietnamese tones, in dictionary order
# (ngang, huyền, hỏi, ngã, sắc, nặng), as CLDR's `vi` collation orders them.
TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a different letter (ă â ê ô ơ ư): part of the primary weight.
LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}

ALPHABET = (
    "a", "a\u0306", "a\u0302", "b", "c", "d", "đ", "e", "e\u0302", "f", "g", "h",
    "i", "j", "k", "l", "m", "n", "o", "o\u0302", "o\u031b", "p", "q", "r", "s",
    "t", "u", "u\u031b", "v", "w", "x", "y", "z",
)  # fmt: skip
LETTER_RANK = {letter: 100 + rank for rank, letter in enumerate(ALPHABET)}

_SPACES = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def nfc(text: str) -> str:
    """Unicode NFC: Word and some keyboards produce decomposed text."""
    return unicodedata.normalize("NFC", text)


def collapse_spaces(text: str) -> str:
    """Trim, drop invisible characters, and turn every run of white space into one space.

    Invisible: control characters, zero-width spaces and joiners, BOM, soft
    hyphens, direction marks (categories Cc, Cf, Cs). Pasted from web pages or
    Word they would make two spellings of one name, and control characters
    are not allowed in the Atom feeds at all. White space includes tabs, NBSP
    and newlines.
    """
    if not text.isprintable():  # rare: the common case stays one C-level check
        text = "".join(
            char for char in text if char.isspace() or unicodedata.category(char)[0] != "C"
        )
    return _SPACES.sub(" ", text).strip()


_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")  # U+034F is not a mark


def fold(text: str) -> str:
    """Lower-case ASCII skeleton: tones and letter marks removed, đ -> d."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    # Vietnamese marks are all in the Latin block: one regex pass (C-level);
    # marks of other scripts, rarely seen, are removed one by one
    stripped = _LATIN_MARKS.sub("", decomposed).replace("đ", "d")
    if not stripped.isascii():
        stripped = "".join(c for c in stripped if not unicodedata.combining(c))
    return stripped


def slugify(text: str, max_length: int = 80) -> str:
    """A URL segment that reads well: `Chi bộ Đồng Tâm` -> `chi-bo-dong-tam`.

    Long slugs are cut at a word boundary; the result may be empty when the
    text has no letters or digits at all (the caller decides what to do).
    """
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug.strip("-")


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """Split text into (base letter with its letter marks, tone, is_upper)."""
    out: list[tuple[str, int, bool]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if char in TONE_MARKS and out:
                base, _, upper = out[-1]
                out[-1] = (base, TONE_MARKS[char], upper)
            elif char in LETTER_MARKS and out:
                base, tone, upper = out[-1]
                out[-1] = (base + char, tone, upper)
            continue
        out.append((char.lower(), 0, char != char.lower()))
    return out


def _primary(letter: str) -> int:
    if letter in LETTER_RANK:
        return LETTER_RANK[letter]
    if letter.isspace():
        return 1
    if letter.isdigit():
        return 10 + int(letter) if letter.isascii() else 20
    if letter.isalpha():
        return 1000 + ord(letter[0])
    return 2  # punctuation sorts with spaces, before digits and letters


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]:
    """Sort key for Vietnamese alphabetical order.

    Primary: letters in the order a ă â b c d đ e ê ... (case and tone ignored);
    secondary: tones (ngang < huyền < hỏi < ngã < sắc < nặng); tertiary: lower
    before upper case; finally the text itself so the order is total.
    """
    letters = _letters(nfc(text))
    primary = tuple(_primary(base) for base, _, _ in letters)
    secondary = tuple(tone for _, tone, _ in letters)
    tertiary = tuple(int(upper) for _, _, upper in letters)
    return (primary, secondary, tertiary, text)


@functools.lru_cache(maxsize=65536)  # names repeat across thousands of articles
def spelling_key(text: str) -> str:
    """Identity of a name regardless of old/new tone placement (`uỷ` = `ủy`).

    The tone mark of each syllable is moved to the end of the syllable, so
    `Đảng uỷ`, `Đảng ủy` and their NFD forms all give the same key.
    """
    words = []
    for word in nfc(text).split(" "):
        tones = ""
        kept = []
        for char in unicodedata.normalize("NFD", word):
            if char in TONE_MARKS:
                tones += char
            else:
                kept.append(char)
        words.append("".join(kept) + tones)
    return " ".join(words)


def format_date(moment: datetime) -> str:
    """Short Vietnamese date for lists: `17/6/2025`."""
    return f"{moment.day}/{moment.month}/{moment.year}"


def format_datetime(moment: datetime, has_time: bool) -> str:
    """Full Vietnamese date for an article: `Thứ Bảy, 20/8/2022, 15:55`."""
    text = f"{WEEKDAYS[moment.weekday()]}, {format_date(moment)}"
    if has_time:
        text += f", {moment.hour:02d}:{moment.minute:02d}"
    return text


def format_month(month: int, year: int) -> str:
    """Month heading: `Tháng 6/2025`."""
    return f"Tháng {month}/{year}"


_D_WORD = re.compile(r"\w*đ\w*")


def folded_words(*texts: str) -> str:
    """Distinct đ -> d forms of the words that contain đ, in first-seen order.

    Pagefind folds tone marks but not đ; these forms let `dang uy` find
    `Đảng ủy`.
    """
    # distinct chunks first (C-level), then the few with đ: an article repeats
    # its words, and a regex over the whole text is much slower
    chunks = dict.fromkeys(
        chunk for text in texts for chunk in dict.fromkeys(text.lower().split()) if "đ" in chunk
    )
    words = dict.fromkeys(word for chunk in chunks for word in _D_WORD.findall(chunk))
    return " ".join(dict.fromkeys(_fold_word(word) for word in words))


@functools.lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    return fold(word)


# Where a run of names ends: punctuation (a hyphen or apostrophe stays inside a
# word) and line breaks.
_CLAUSE = re.compile(r"[^\w\s'’-]+|\n")
# Longest run of capitalised syllables indexed whole, and the most syllables
# a joined name has: "Chi bộ Phòng Công Thương huyện Cẩm Nam" gives "Phòng Công
# Thương", "Cẩm Nam"; a full name has two to four syllables.
_RUN_LIMIT = 8
_NAME_LIMIT = 5
NAME_PREFIX = "z"  # no Vietnamese syllable starts with z: joined names sort apart


def name_tokens(*texts: str) -> str:
    """Every name the texts spell in capitals, joined into one search word:
    `Nguyễn Quốc Xoan` gives `znguyenquoc znguyenquocxoan zquocxoan`.

    A name is a run of two or more capitalised syllables inside a clause
    (`Đồng Tâm`, `Nguyễn Quốc Xoan`), and each shorter run within it. The
    search page looks a typed name up as one such word: one small part of
    the index instead of the large ones of common syllables (`nguyen`,
    `quoc`). Not names: words in capitals (`ĐẠI HỘI`), clauses in Title Case
    (headings: four or more syllables, every one capitalised) and pairs the
    text also writes with its second syllable in lower case (`Đại Hội`, a
    town, in an article that says `Đại hội`).
    """
    found: dict[str, None] = {}
    text = "\n".join(texts)  # a pair is common if any of the texts writes it so
    for clause in _CLAUSE.split(text):
        words = clause.split()
        if len(words) < 2:
            continue
        capital = [_capitalised(word) for word in words]
        if len(words) >= 4 and all(capital):  # a heading in Title Case
            continue
        run: list[str] = []
        for word, is_name in zip([*words, ""], [*capital, False], strict=True):
            if is_name and run and _also_common(run[-1], word, text):
                _add_runs(run, found)
                run = []
            if is_name and len(run) < _RUN_LIMIT:
                run.append(word)
                continue
            _add_runs(run, found)
            run = [word] if is_name else []
    return " ".join(found)


def _also_common(first: str, second: str, text: str) -> bool:
    """Whether the text also writes the pair with its second syllable in
    lower case (`Đại hội`, `đại hội` beside `thị trấn Đại Hội`): then the
    pair is a common word here, and a reader typing it means that word."""
    second = second.lower()
    return f"{first} {second}" in text or f"{first.lower()} {second}" in text


def _capitalised(word: str) -> bool:
    """`Xoan`, `Đồng`, `A`: a capital, then lower case letters only."""
    return word[0].isupper() and (len(word) == 1 or word[1:].islower()) and word.isalpha()


def _add_runs(run: list[str], found: dict[str, None]) -> None:
    if len(run) < 2:
        return
    folded = [_fold_word(word) for word in run]
    for size in range(2, min(len(run), _NAME_LIMIT) + 1):
        for start in range(len(run) - size + 1):
            found[NAME_PREFIX + "".join(folded[start : start + size])] = None
