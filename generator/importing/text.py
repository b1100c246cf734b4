"""Import, part one: the layout of a news text copied from a portal or Word.

Pure. Text in, a Layout out: the title line; the portal's chrome (datelines,
view counts, "In bài viết") set aside; body paragraphs kept exactly as
written; short photo-caption lines told apart from paragraphs; the author's
name when it stands alone on the last line. One line of the input is one
paragraph: Word and news portals put each paragraph on a line of its own,
and captions often sit directly above their paragraph without a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.vietnamese import collapse_spaces, spelling_key

PHOTO = "\ufffc"  # a photo's place in a document's text (importing/read.py)

CAPTION_MAX_WORDS = 45  # a caption is one sentence; paragraphs run longer
SHORT_CAPTION_WORDS = 25  # a caption ending with a full stop is shorter still
TITLE_MAX_WORDS = 40


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # line of the input, from 1 (for a .docx: its paragraph)
    text: str  # without surrounding white space, otherwise exactly as written


@dataclass(frozen=True, slots=True)
class Block:
    line: Line
    caption: bool  # a photo caption
    photo: int | None = None  # a photo of the document (its number), not text


@dataclass(frozen=True, slots=True)
class Note:
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Layout:
    title: Line | None
    chrome: tuple[Line, ...]  # portal lines left out; datelines among them
    blocks: tuple[Block, ...]  # paragraphs and captions, in order
    byline: Line | None  # the last line, when it names the author(s)
    author: str | None  # the names on the byline, without "Tin, ảnh:"
    notes: tuple[Note, ...]  # what the editor should look at

    @property
    def paragraphs(self) -> tuple[Line, ...]:
        return tuple(
            block.line for block in self.blocks if not block.caption and block.photo is None
        )


_BREAKS = re.compile(r"[\v\f\u2028\u2029\x85]")
_CLOCK = r"\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:AM|PM|SA|CH))?"
_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s+nhật)"
_PREFIX = r"(?:ngày\s+đăng|đăng\s+ngày|đăng\s+lúc|cập\s+nhật(?:\s+lúc)?|thời\s+gian|ngày)"
DATETIME = re.compile(
    rf"(?:{_PREFIX}\s*:?\s*)?(?:{_WEEKDAY}\s*,?\s*)?"
    rf"(?:(?:{_CLOCK}|{_DATE}|\(?GMT\s*[+-]\s*\d{{1,2}}\)?)[\s,-]*)+",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"(?:(?:số\s+)?lượt\s+(?:xem|đọc|truy\s+cập)|views?)\s*:?\s*[\d.,]+"
    r"|[\d.,]+\s+lượt\s+(?:xem|đọc)|in\s+bài(?:\s+viết)?|bản\s+in|in|print"
    r"|gửi\s+(?:email|e-mail|bài\s+viết|cho\s+bạn\s+bè)|e-?mail|chia\s+sẻ|share"
    r"|facebook|zalo|twitter|tweet|lưu(?:\s+bài)?|cỡ\s+chữ|font\s+size|a\s*[-+]"
    r"|quay\s+lại|về\s+đầu\s+trang|bình\s+luận|nghe\s+bài\s+viết|[-+]",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"trang\s+chủ\s*[>»›/|]", re.IGNORECASE)


def is_chrome(text: str) -> bool:
    """A portal's line around the article: dateline, view count, print and share links."""
    if _BREADCRUMB.match(text):
        return True
    segments = [s.strip() for s in re.split(r"[|｜]", text)]
    filled = [s for s in segments if s]
    if not filled:
        return False
    if len(segments) == 1:  # no separator: only a date or a label of several words
        return bool(DATETIME.fullmatch(text) or (_LABEL.fullmatch(text) and " " in text))
    return all(DATETIME.fullmatch(s) or _LABEL.fullmatch(s) for s in filled)


def lines_of(text: str) -> list[Line]:
    return [Line(n, raw.strip()) for n, raw in enumerate(_BREAKS.sub("\n", text).split("\n"), 1)]


def photo_number(text: str, photos: int) -> int | None:
    """The number of the photo a line stands for (read.PHOTO + number), if it does."""
    if text.startswith(PHOTO) and text[1:].isdigit() and int(text[1:]) < photos:
        return int(text[1:])
    return None


def layout(text: str, photos: int = 0) -> Layout:
    """Read the layout of a cleaned (NFC, LF) text with `photos` photos in it."""
    lines = lines_of(text)
    chrome = tuple(line for line in lines if line.text and is_chrome(line.text))
    content = [line for line in lines if line.text and line not in chrome]
    notes: list[Note] = []
    words = [line for line in content if photo_number(line.text, photos) is None]
    if not words:
        return Layout(None, chrome, (), None, None, ())
    title = words[0]
    body = [line for line in content if line != title]
    if len(title.text.split()) > TITLE_MAX_WORDS:
        notes.append(Note(title.number, "the first line is long for a title; check the title"))
    byline, author = None, None
    if len(body) > 1:
        author = byline_names(body[-1].text)
        if author is not None:
            byline, body = body[-1], body[:-1]
        elif _maybe_name(body[-1].text):
            notes.append(
                Note(
                    body[-1].number,
                    f"the last line '{body[-1].text}' may be the author's name; it was kept"
                    " in the text; give --author if it is",
                )
            )
    blocks = _blocks(lines, body, notes, photos)
    return Layout(title, chrome, blocks, byline, author, tuple(notes))


def _blocks(
    lines: list[Line], body: list[Line], notes: list[Note], photos: int
) -> tuple[Block, ...]:
    numbers = {line.number for line in body}
    blank = {line.number for line in lines if not line.text}
    first = body[0].number if body else 0
    spaced = any(first < n < body[-1].number for n in blank) if body else False
    blocks: list[Block] = []
    for index, line in enumerate(body):
        number = photo_number(line.text, photos)
        if number is not None:
            blocks.append(Block(line, False, number))
            continue
        if blocks and blocks[-1].photo is not None and _under_photo(line.text):
            blocks.append(Block(line, True))  # the line under a photo: its caption
            continue
        glued = line.number + 1 in numbers  # the next line follows without a blank line
        after_blank = line.number - 1 in blank or index == 0
        caption, doubt = caption_kind(line.text, spaced and glued and after_blank)
        if doubt:
            notes.append(Note(line.number, doubt))
        blocks.append(Block(line, caption))
    return tuple(blocks)


def _under_photo(text: str) -> bool:
    """Whether the line right under a photo reads as its caption (one sentence, or two)."""
    return len(text.split()) <= CAPTION_MAX_WORDS and sentences(text) <= 2


# Words of a photo caption: who is in the picture and what they do.
_PHOTO_WORDS = (
    "đồng chí", "đại biểu", "quang cảnh", "toàn cảnh", "ảnh", "phát biểu", "trao", "tặng",
    "chúc mừng", "biểu quyết", "bỏ phiếu", "lãnh đạo", "tập thể", "lưu niệm", "đảng viên",
    "ban chấp hành", "chi ủy", "cấp ủy", "bí thư", "khai mạc", "bế mạc",
)  # fmt: skip
_STRONG_PHOTO_WORDS = ("quang cảnh", "toàn cảnh", "chụp ảnh", "ảnh lưu niệm", "tặng hoa")
_CREDIT = re.compile(r"(?:^|\()\s*ảnh(?:\s+minh\s+họa)?\s*:", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?…]+[\"”’)]*\s+[\"“(]*(\w)")
_CLOSERS = " \"'”’»)]"
_SOURCE_CREDIT = re.compile(r"\(?(?:theo|nguồn\s*:)\s", re.IGNORECASE)


def _words_key(text: str) -> str:
    """Lower-case words between spaces, one tone placement: for phrase lookups."""
    words = re.findall(r"\w+", text.lower())
    return f" {spelling_key(' '.join(words))} "


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    key = _words_key(text)
    return any(f" {spelling_key(phrase)} " in key for phrase in phrases)


def sentences(text: str) -> int:
    return 1 + sum(1 for m in _SENTENCE_BREAK.finditer(text) if m.group(1).isupper())


def caption_kind(text: str, glued: bool) -> tuple[bool, str | None]:
    """Is this line a photo caption? And a doubt for the editor, if any.

    `glued`: the line sits after a blank line and directly above a paragraph
    in a text that otherwise separates paragraphs with blank lines, which is
    how Word and portals lay out a photo's caption.
    """
    words = text.split()
    if _CREDIT.search(text) and len(words) <= CAPTION_MAX_WORDS:
        return True, None
    if len(words) > CAPTION_MAX_WORDS or sentences(text) > 1:
        return False, None
    ended = text.rstrip(_CLOSERS).endswith((".", "!", "?", "…", ":", ";", ","))
    if not ended:
        if _has(text, _PHOTO_WORDS):
            return True, None
        if _SOURCE_CREDIT.match(text):
            return False, None  # where the news comes from: a paragraph of its own
        return False, (
            f"'{collapse_spaces(text)}' has no ending punctuation: kept as a paragraph;"
            " if it is a photo caption or a subheading, mark it so in the article"
        )
    short = len(words) <= SHORT_CAPTION_WORDS
    return short and (glued or _has(text, _STRONG_PHOTO_WORDS)), None


_BYLINE_PREFIX = re.compile(
    r"(?:(?:tin|bài|ảnh|video)(?:\s*(?:,|và|/|-|–|&)\s*(?:ảnh|bài|video))*"
    r"|tác\s+giả|người\s+viết|thực\s+hiện|nhóm\s+(?:pv|phóng\s+viên))\s*:\s*",
    re.IGNORECASE,
)
_AUTHOR_SEPARATOR = re.compile(r"\s*[,;&]\s*|\s+[-–—]\s+|\s+và\s+")
_NOT_NAMES = ("đại hội", "chi bộ", "đảng", "ủy", "ubnd", "nghị quyết", "nhiệm kỳ", "theo")


def _name_word(word: str) -> bool:
    return word[0].isupper() and all(c.isalpha() or c in ".'-" for c in word)


def byline_names(text: str) -> str | None:
    """The author(s) when the line is a byline: `Hằng Mến`, `Tin, ảnh: Minh Anh - Thu Hà`."""
    line = collapse_spaces(text)
    if line.startswith("(") and line.endswith(")"):
        line = line[1:-1].strip()
    prefix = _BYLINE_PREFIX.match(line)
    names = line[prefix.end() :] if prefix else line
    names = names.removesuffix(".").strip()
    if not names or _has(names, _NOT_NAMES):
        return None
    parts = _AUTHOR_SEPARATOR.split(names)
    if not all(p and len(p.split()) <= 5 and all(map(_name_word, p.split())) for p in parts):
        return None
    if prefix is None and not any(len(p.split()) >= 2 for p in parts):
        return None  # a single capitalised word is too little to call it a name
    return names


def _maybe_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and all(map(_name_word, words)) and not _has(text, _NOT_NAMES)
