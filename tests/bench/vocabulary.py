"""An archive's vocabulary for the benchmark corpus: what readers search for.

The sentence templates of corpus.py use a few thousand words, each in many
articles. A real archive also has what readers type into its search box:
people's full names (a few officials in hundreds of articles, most people
in one or two), places (provinces, districts, communes, villages), unit
names, document numbers and dates, and a long tail of rare words (local
products, hamlets, projects). `Vocabulary` makes those pools from one
random stream and hands out mentions Zipf-style; `Counts` remembers how
often each was used, so that the query set (queries.json) can pick a
common, a middling and a rare one.

Names and places are drawn from real Vietnamese name parts and syllables
and combined at random: they look real, and none is anyone's record.
"""

from __future__ import annotations

import bisect
import itertools
import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

# (surname, share in per cent): roughly the population's, Nguyễn first
SURNAMES = (("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 1.5),
            ("Phan", 4.5), ("Vũ", 2.5), ("Võ", 1.5), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4),
            ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đào", 0.5), ("Đinh", 0.5),
            ("Trịnh", 0.4), ("Lương", 0.4), ("Mai", 0.4), ("Trương", 0.4), ("Lâm", 0.3),
            ("Phùng", 0.3), ("Tạ", 0.2), ("Hà", 0.3), ("Kiều", 0.1), ("Cao", 0.2), ("Tô", 0.1),
            ("Quách", 0.1), ("Chu", 0.1), ("Triệu", 0.1), ("Khổng", 0.05), ("Lã", 0.05),
            ("Vương", 0.1), ("Thái", 0.1), ("Lục", 0.05), ("Mạc", 0.05), ("Nông", 0.1),
            ("La", 0.05), ("Tăng", 0.05), ("Âu", 0.05), ("Giáp", 0.05), ("Diệp", 0.05),
            ("Doãn", 0.05), ("Lò", 0.05), ("Hứa", 0.05), ("Viên", 0.02))  # fmt: skip
MIDDLES = ("Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Hữu", "Thu", "Xuân", "Hồng",
           "Công", "Kim", "Bá", "Quốc", "Mạnh", "Trọng", "Đình", "Thế", "Tiến", "Anh", "Hoài",
           "Phương", "Bích", "Diệu", "Khánh", "Gia", "Tuấn", "Việt", "Hải", "Thị Thu", "Văn Đức",
           "Thị Minh", "Như", "Duy", "Trung", "Kiều", "Mỹ", "Bảo", "Thùy")  # fmt: skip
GIVENS = ("Hải", "Hương", "Thịnh", "Hùng", "Lan", "Tuấn", "Dũng", "Hằng", "Mến", "Khải", "Hiếu",
          "Trang", "Huy", "Thủy", "Hòa", "Nam", "Bình", "Phúc", "Tâm", "Đông", "Sơn", "Quỳnh",
          "Linh", "Ngân", "Cường", "Thắng", "Toàn", "Vinh", "Yến", "Thúy", "Đạt", "Khoa", "An",
          "Anh", "Bảo", "Chi", "Cúc", "Duyên", "Dương", "Giang", "Hà", "Hạnh", "Hiền", "Hoa",
          "Hoàng", "Hồng", "Huệ", "Hưng", "Hường", "Kiên", "Lâm", "Liên", "Loan", "Long", "Lộc",
          "Lợi", "Mai", "Minh", "My", "Nga", "Nghĩa", "Ngọc", "Nhung", "Oanh", "Phong", "Phương",
          "Quang", "Quân", "Quý", "Sang", "Tài", "Thành", "Thảo", "Thắm", "Thiện", "Thọ", "Thơ",
          "Thu", "Thư", "Tiến", "Trí", "Trinh", "Trung", "Tú", "Tùng", "Uyên", "Vân", "Việt",
          "Vũ", "Xuân", "Yên", "Chiến", "Công", "Định", "Đức", "Hậu", "Hiệp", "Khang", "Khánh",
          "Lực", "Luận", "Mạnh", "Ninh", "Phát", "Quyết", "Tân", "Thái", "Thanh", "Thuận", "Tín",
          "Trường", "Tuyến", "Tuyết", "Vượng", "Xoan", "Ánh", "Bích", "Diệp", "Đào", "Điệp",
          "Gấm", "Hảo", "Hoan", "Huyền", "Kim", "Lệ", "Luyến", "Nguyệt", "Nhàn", "Nhi", "Nương",
          "Phượng", "Sen", "Son", "Tâm", "Thêu", "Thoa", "Thơm", "Thục", "Tươi", "Vy", "Xuyến",
          "Bắc", "Cảnh", "Chính", "Doanh", "Hào", "Hòe", "Khiêm", "Lượng", "Nhân", "Quảng",
          "Sáng", "Tấn", "Thạch", "Thông", "Toản", "Ước", "Vĩnh", "Vỹ", "Ân", "Khôi")  # fmt: skip
PROVINCES = ("Phú Thọ", "Hà Tĩnh", "Thanh Hóa", "Nghệ An", "Quảng Ninh", "Bắc Ninh", "Hưng Yên",
             "Ninh Bình", "Lâm Đồng", "Đắk Lắk", "Cà Mau", "Vĩnh Long", "Khánh Hòa", "Quảng Trị",
             "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Lạng Sơn", "Cao Bằng", "Điện Biên",
             "Lai Châu", "Sơn La", "Gia Lai", "Quảng Ngãi", "Đồng Nai", "Tây Ninh", "Đồng Tháp",
             "An Giang", "Cần Thơ", "Huế", "Đà Nẵng", "Hải Phòng", "Hà Nội")  # fmt: skip
# Syllables that make Vietnamese place names (Sino-Vietnamese, auspicious)
PLACE_SYLLABLES = ("An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Hưng", "Long", "Phước", "Mỹ",
                   "Xuân", "Đông", "Tây", "Nam", "Bắc", "Trung", "Thuận", "Lợi", "Lộc", "Thọ",
                   "Khánh", "Hiệp", "Hội", "Yên", "Sơn", "Thủy", "Hải", "Giang", "Lâm", "Vĩnh",
                   "Quang", "Minh", "Thanh", "Định", "Đức", "Nghĩa", "Thái", "Hồng", "Kim", "Ngọc",
                   "Cẩm", "Châu", "Diễn", "Đại", "Điền", "Gia", "Hà", "Hạ", "Hoàng", "Khê", "Lạc",
                   "Liên", "Lương", "Mai", "Nghi", "Ninh", "Phong", "Quỳnh", "Sa", "Tam", "Thắng",
                   "Thiện", "Tiên", "Trà", "Triệu", "Trường", "Tuy", "Vân", "Văn", "Việt", "Vụ",
                   "Xá", "Ea", "Đắk", "Cư", "Krông", "Pác", "Nà", "Bản", "Mường", "Chiềng",
                   "Phìn", "Tả", "Sìn", "Hồ", "Cát", "Cao", "Đồng", "Kỳ", "Lệ", "Mộ", "Nhơn",
                   "Ô", "Phổ", "Quế", "Sông", "Tịnh", "Uyên", "Yết")  # fmt: skip
UNIT_PATTERNS = ("Chi bộ thôn {village}", "Chi bộ xóm {village}", "Chi bộ ấp {village}",
                 "Chi bộ khu phố {village}", "Đảng bộ xã {commune}", "Đảng bộ phường {commune}",
                 "Chi bộ Trường Tiểu học {commune}", "Chi bộ Trạm Y tế xã {commune}",
                 "Đảng bộ Công an huyện {district}", "Chi bộ Văn phòng Huyện ủy {district}",
                 "Đảng bộ Khối cơ quan tỉnh {province}", "Chi bộ Sở {dept} tỉnh {province}",
                 "Chi bộ Phòng {dept} huyện {district}",
                 "Chi bộ Ban Tuyên giáo Tỉnh ủy {province}")  # fmt: skip
DEPARTMENTS = ("Tài chính", "Nội vụ", "Tư pháp", "Y tế", "Xây dựng", "Công Thương", "Ngoại vụ",
               "Giáo dục và Đào tạo", "Nông nghiệp và Môi trường", "Khoa học và Công nghệ",
               "Văn hóa, Thể thao và Du lịch", "Dân tộc và Tôn giáo")  # fmt: skip
# Sentences that carry the rare words, numbers and dates
RARE_SENTENCES = (
    "Sản phẩm {rare} của hợp tác xã ở xã {commune} được công nhận đạt chuẩn OCOP {stars} sao.",
    "Tuyến đường từ thôn {village} đi xóm {rare} dài {km} km đã được cứng hóa.",
    "Mô hình trồng {rare} tại thôn {village} cho thu nhập hơn {money} triệu đồng mỗi năm.",
    "Ngày {date}, Ban Thường vụ Huyện ủy {district} ban hành Quyết định số {number}-QĐ/HU về công tác nhân sự.",
    "Thực hiện Kế hoạch số {number}-KH/TU của Tỉnh ủy {province}, {unit_ref} đã tổ chức {n} lớp bồi dưỡng.",
    "Gia đình ông {person}, ở thôn {village}, xã {commune}, đã hiến {area} m² đất để mở rộng đường {rare}.",
    "Lễ hội {rare} được tổ chức vào ngày {date}, thu hút đông đảo người dân và du khách.",
    "Nghị quyết số {number}-NQ/ĐU ngày {date} xác định phát triển vùng {rare} là nhiệm vụ trọng tâm.",
    "Đồng chí {person}, Bí thư Chi bộ thôn {village}, cho biết cả thôn đã có {n2} hộ trồng {rare}.",
    "Cụm công nghiệp {rare} ở huyện {district} đã thu hút {n} dự án với tổng vốn {money} tỷ đồng.",
)
# Syllable parts for the long tail (real syllables and many that only look real)
ONSETS = ("", "b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh",
          "ph", "qu", "r", "s", "t", "th", "tr", "v", "x")  # fmt: skip
RHYMES = ("a", "ai", "am", "an", "ang", "anh", "ao", "at", "ay", "âm", "ân", "âu", "ây", "e",
          "em", "en", "eo", "et", "ê", "êm", "ên", "êu", "i", "im", "in", "inh", "it", "iêm",
          "iên", "iêu", "o", "oa", "oai", "oan", "oang", "oc", "oi", "om", "on", "ong", "ô", "ôi",
          "ôn", "ông", "ơ", "ơi", "ơm", "ơn", "u", "ui", "um", "un", "ung", "uôi", "uôn", "uông",
          "ư", "ưa", "ưng", "ươi", "ươn", "ương", "y", "yên")  # fmt: skip
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
# Words no generated article has (onsets and rhymes the generator never
# makes): the "missing word" queries
ABSENT = ("nghiêng", "khuỷu", "ngoằn", "quỵt")


def zipf_weights(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


class Pool:
    """Distinct names, picked with weight 1/(rank+1)^exponent; `counts` remembers use."""

    def __init__(self, names: Sequence[str], exponent: float, rng: random.Random) -> None:
        self.names = list(names)
        self.cumulative = zipf_weights(len(self.names), exponent)
        self.rng = rng
        self.counts: Counter[str] = Counter()

    def pick(self) -> str:
        point = self.rng.random() * self.cumulative[-1]
        name = self.names[bisect.bisect(self.cumulative, point)]
        self.counts[name] += 1
        return name


def _distinct(count: int, make: Callable[[], str]) -> list[str]:
    found: dict[str, None] = {}
    for _ in range(count * 40):
        if len(found) == count:
            break
        found.setdefault(make(), None)
    return list(found)


def _weighted(rng: random.Random, table: Sequence[tuple[str, float]]) -> str:
    return rng.choices([name for name, _ in table], [share for _, share in table])[0]


def _syllable(rng: random.Random) -> str:
    rhyme = rng.choice(RHYMES)
    # a tone goes on the rhyme's main vowel: its last vowel letter before a coda
    vowels = [i for i, c in enumerate(rhyme) if c in "aăâeêioôơuưy"]
    at = vowels[-1] if len(vowels) < 3 else vowels[1]
    tone = rng.choice(TONES) if rhyme[-1] not in "ct" else rng.choice(("\u0301", "\u0323"))
    text = rng.choice(ONSETS) + rhyme[: at + 1] + tone + rhyme[at + 1 :]
    return unicodedata.normalize("NFC", text)


class Vocabulary:
    """The pools of one corpus, sized by its number of articles."""

    def __init__(self, articles: int, rng: random.Random) -> None:
        self.rng = rng

        def person() -> str:
            given = rng.choice(GIVENS[: rng.choice((20, 60, len(GIVENS)))])
            return f"{_weighted(rng, SURNAMES)} {rng.choice(MIDDLES)} {given}"

        def place() -> str:
            return f"{rng.choice(PLACE_SYLLABLES)} {rng.choice(PLACE_SYLLABLES)}"

        def rare() -> str:
            return " ".join(_syllable(rng) for _ in range(rng.choice((1, 2, 2))))

        self.people = Pool(_distinct(300 + articles // 5, person), 0.9, rng)
        districts = _distinct(60 + articles // 1000, place)
        communes = _distinct(400 + articles // 20, place)
        villages = _distinct(800 + articles // 10, place)
        self.districts = Pool(districts, 0.8, rng)
        self.communes = Pool(communes, 0.8, rng)
        self.villages = Pool(villages, 0.8, rng)
        self.provinces = Pool(PROVINCES, 0.6, rng)
        self.rare = Pool(_distinct(5000 + articles // 2, rare), 1.05, rng)

    def unit_names(self, count: int) -> list[str]:
        rng = self.rng

        def unit() -> str:
            return rng.choice(UNIT_PATTERNS).format(
                village=rng.choice(self.villages.names),
                commune=rng.choice(self.communes.names),
                district=rng.choice(self.districts.names),
                province=rng.choice(PROVINCES),
                dept=rng.choice(DEPARTMENTS),
            )

        return _distinct(count, unit)

    def slots(self) -> dict[str, Callable[[], str]]:
        """Template slots, each a fresh pick on every use."""
        rng = self.rng
        return {
            "person": self.people.pick,
            "person2": self.people.pick,
            "commune": self.communes.pick,
            "district": self.districts.pick,
            "village": self.villages.pick,
            "province": self.provinces.pick,
            "rare": self.rare.pick,
            "stars": lambda: str(rng.randint(3, 5)),
            "number": lambda: str(rng.randint(1, 1500)),
            "area": lambda: str(rng.randint(50, 2000)),
            "date": lambda: f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2011, 2026)}",
        }
