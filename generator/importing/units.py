"""Import, part three: which party organisation held the congress the text is about.

Pure. Names from the registry (canonical, short, alias, former; any case,
old or new tone placement) are looked for in the title and the first
paragraphs; else a `Chi bộ …` / `Đảng bộ …` phrase of the text is read up to
the verb that follows it. The unit named with the Đại hội, in the title,
comes first; a parent organisation named beside it (its leaders attend) comes
after it. Anything but a registered name, named without a rival, is unsure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.content.registry import Registry, Unit, name_key
from generator.importing.fields import Found
from generator.importing.text import Layout, Line
from generator.vietnamese import spelling_key

_WORD = re.compile(r"\w+")
_JOINING = re.compile(r"[\s\-–—]*")


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    key: str
    start: int
    end: int


def _key(word: str) -> str:
    return spelling_key(word).casefold()


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(), _key(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


@dataclass(frozen=True, slots=True)
class Mention:
    name: str  # canonical name of a registered unit, or the phrase as written
    unit: Unit | None
    line: int
    order: int  # position in the text, for ties
    score: int  # 4: congress named in the title ... 1: named in the text
    runs_on: bool  # the text goes on with a capitalised word: maybe a longer name


def _keys(text: str) -> tuple[str, ...]:
    return tuple(t.key for t in _tokens(text))


_CHI_BO = {(_key("chi"), _key("bộ")), (_key("đảng"), _key("bộ"))}
_CONGRESS = (_key("đại"), _key("hội"))
# Words after a unit's name that are no longer part of it (verbs, particles).
_STOP_WORDS = (
    "đã đang sẽ vừa mới được bị là và với của cho trong tại về để có không chưa cũng luôn"
    " phải cần nên nêu gồm hiện nay năm ngày sáng chiều tối trưa đêm tới đến theo nhằm"
    " trên dưới sau trước từ do vào ra lên đi đạt bầu họp lần khóa khoá kỳ kì các những"
    " một mỗi này đó ấy thì mà vì như khi đều còn rất đồng nhiệm hoặc hay qua lại nhận"
)
_STOP_PHRASES = (
    "tổ chức,tiến hành,long trọng,trang trọng,thành công,thực hiện,triển khai,"
    "tham dự,chúc mừng,phát biểu,chỉ đạo,lãnh đạo,quyết tâm,phấn đấu,tiếp tục,"
    "nhất trí,thống nhất,hoàn thành,khắc phục,bày tỏ,báo cáo,chào mừng,xác định,"
    "đề ra,đề nghị,biểu quyết,thông qua,khai mạc,bế mạc,trực thuộc,học tập,sinh hoạt,"
    "phối hợp,duy trì,đổi mới,nâng cao,tăng cường,kiện toàn,xây dựng,kết nạp,"
    "sơ kết,tổng kết,kỷ niệm,ra mắt,đại hội,đại biểu,hội nghị,bí thư,đảng viên"
)
# Lower-case words a unit's name may start with: `Chi bộ thôn Điền`, `Đảng bộ xã …`.
_LEVEL_WORDS = (
    "thôn xóm ấp bản buôn làng sóc khu khối tổ xã phường thị huyện quận tỉnh thành cơ"
    " trường phòng ban sở vụ cục viện bệnh công trung hợp doanh nhà đội ngân văn báo đài"
)
_STOPS = frozenset(_key(word) for word in _STOP_WORDS.split())
_STOP_PAIRS = frozenset(
    (_key(first), _key(second))
    for first, second in (phrase.split() for phrase in _STOP_PHRASES.split(","))
)
_LEVELS = frozenset(_key(word) for word in _LEVEL_WORDS.split())


def _joined(text: str, left: _Token, right: _Token) -> bool:
    return _JOINING.fullmatch(text[left.end : right.start]) is not None


def _capital(token: _Token) -> bool:
    return token.text[0].isupper() or token.text[0].isdigit()


def _phrase_end(text: str, tokens: list[_Token], i: int) -> int | None:
    """Index after the last word of the `Chi bộ …` / `Đảng bộ …` name starting at i."""
    taken: list[int] = []
    j = i + 2
    while j < len(tokens) and len(taken) < 10 and _joined(text, tokens[j - 1], tokens[j]):
        token = tokens[j]
        after = tokens[j + 1].key if j + 1 < len(tokens) else ""
        if (token.key, after) in _STOP_PAIRS and not (
            _capital(token) and token.key != _CONGRESS[0]
        ):
            break
        if not _capital(token) and (
            token.key in _STOPS or (not taken and token.key not in _LEVELS)
        ):
            break
        taken.append(j)
        j += 1
    if not any(_capital(tokens[k]) for k in taken):
        return None
    return taken[-1] + 1


def mentions(layout: Layout, registry: Registry) -> list[Mention]:
    """Units named in the title and the first paragraphs (else anywhere)."""
    index: dict[str, list[tuple[tuple[str, ...], Unit]]] = {}
    for unit in registry.units:
        for name in {unit.name, unit.short_name or unit.name, *unit.aliases, *unit.former_names}:
            keys = _keys(name)
            if keys:
                index.setdefault(keys[0], []).append((keys, unit))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    lines = [layout.title] if layout.title else []
    body = [block.line for block in layout.blocks]
    found = _scan([*lines, *body[:4]], layout.title, index)
    return found or [
        Mention(m.name, m.unit, m.line, m.order, 0, m.runs_on) for m in _scan(body, None, index)
    ]


def _scan(
    lines: list[Line], title: Line | None, index: dict[str, list[tuple[tuple[str, ...], Unit]]]
) -> list[Mention]:
    found: list[Mention] = []
    for line in lines:
        tokens = _tokens(line.text)
        shouted = line.text.isupper()  # an all-capitals title: capitals tell nothing
        i = 0
        while i < len(tokens):
            end, unit = _registered(line.text, tokens, i, index)
            if (
                unit is None
                and not shouted
                and (tokens[i].key, tokens[i + 1].key if i + 1 < len(tokens) else "") in _CHI_BO
            ):
                end = _phrase_end(line.text, tokens, i)
            if end is None:
                i += 1
                continue
            near = [t.key for t in tokens[max(0, i - 4) : i] + tokens[end : end + 6]]
            congress = any(near[k : k + 2] == list(_CONGRESS) for k in range(len(near) - 1))
            score = (3 if line is title else 1) + int(congress)
            written = line.text[tokens[i].start : tokens[end - 1].end]
            runs_on = end < len(tokens) and _joined(line.text, tokens[end - 1], tokens[end])
            runs_on = runs_on and not shouted and tokens[end].text[0].isupper()
            runs_on = runs_on and tokens[end].key != _CONGRESS[0]
            name = unit.name if unit else written[0].upper() + written[1:]
            found.append(Mention(name, unit, line.number, len(found), score, runs_on))
            i = end
    return found


def _registered(
    text: str, tokens: list[_Token], i: int, index: dict[str, list[tuple[tuple[str, ...], Unit]]]
) -> tuple[int | None, Unit | None]:
    for keys, unit in index.get(tokens[i].key, ()):
        end = i + len(keys)
        if end > len(tokens) or tuple(t.key for t in tokens[i:end]) != keys:
            continue
        if all(_joined(text, tokens[k], tokens[k + 1]) for k in range(i, end - 1)):
            return end, unit
    return None, None


def find_unit(layout: Layout, registry: Registry) -> Found | None:
    """The congress's unit: named with the Đại hội, in the title, first in the text."""
    best: dict[str, Mention] = {}
    for mention in _merge(mentions(layout, registry)):
        key = name_key(mention.name)
        if key not in best or mention.score > best[key].score:
            best[key] = mention
    if not best:
        return None

    def above(mention: Mention) -> set[str]:
        return {name_key(unit.name) for unit in registry.ancestors(mention.name)}

    def rank(mention: Mention) -> tuple[int, bool, int]:
        # a parent organisation named beside its unit comes second: its
        # leaders attend the unit's congress
        parent = any(name_key(mention.name) in above(other) for other in best.values())
        return (-mention.score, parent, mention.order)

    chosen, *others = sorted(best.values(), key=rank)
    rivals = [m for m in others if name_key(m.name) not in above(chosen)]
    note = ""
    if chosen.unit is None:
        nearest = registry.suggest(chosen.name) if registry else []
        hint = f"; did you mean {' or '.join(repr(n) for n in nearest)}?" if nearest else ""
        note = f"unit '{chosen.name}' is not in {registry.path}{hint}; check the name"
    elif chosen.runs_on:
        note = f"the name '{chosen.name}' runs on in the text; check the unit"
    elif rivals and rivals[0].score >= chosen.score:
        note = f"the text also names '{rivals[0].name}' (line {rivals[0].line}); check the unit"
    elif chosen.score == 0:
        note = f"unit '{chosen.name}' is named only further down the text; check the unit"
    return Found(chosen.name, chosen.line, not note, note)


def _merge(found: list[Mention]) -> list[Mention]:
    """An unregistered name that only adds lower-case words to a shorter one
    (`Chi bộ thôn Đông phối hợp`) is the shorter one followed by a verb."""
    names = {m.name for m in found if m.unit is None}
    merged = []
    for mention in found:
        name = mention.name
        if mention.unit is None:
            for shorter in names:
                extra = name[len(shorter) :]
                if name.startswith(shorter + " ") and extra.strip() == extra.strip().lower():
                    name = shorter if len(shorter) < len(name) else name
        merged.append(
            Mention(name, mention.unit, mention.line, mention.order, mention.score, mention.runs_on)
        )
    return merged
