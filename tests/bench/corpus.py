"""Seeded generator of a realistic archive of Vietnamese Party-congress articles.

Usage: python tests/bench/corpus.py --articles 10000 [--seed 1] --out DIR
       python tests/bench/corpus.py --edit DIR [--revision 1] [--seed 1]

Writes DIR/content/<year>/<slug>.md in our front matter (title, unit, term,
date, optional author and summary), ~6.7 KB each on average: long paragraphs
built from sentence templates, italic photo-caption lines, sometimes a
subheading or a list of targets, and a byline. Units (40 + N/250 of them,
chi bộ and đảng bộ of departments, communes, wards, villages) are picked
Zipf-style (weight 1/rank^0.7), so some have hundreds of articles and
others a handful; about
one mention in six uses the old tone placement (`Đảng uỷ`, `Tân Hoà`), which
the archive must treat as the same unit. Terms 2010-2015 … 2025-2030, years
2011-2026, four date spellings.

The same seed and count give byte-identical files (one random.Random stream,
no clock, no hash ordering). No import from generator/: the data must not
depend on the code under test.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vocabulary import ABSENT, RARE_SENTENCES, Vocabulary

FIRST_YEAR, LAST_YEAR = 2011, 2026
TERMS = ("2010-2015", "2015-2020", "2020-2025", "2025-2030")

PROVINCES = ("Phú Thọ", "Hà Tĩnh", "Thanh Hóa", "Nghệ An", "Quảng Ninh", "Bắc Giang", "Thái Bình",
             "Nam Định", "Lâm Đồng", "Đắk Lắk", "Cà Mau", "Bến Tre", "Hòa Bình", "Khánh Hòa",
             "Quảng Trị", "Sóc Trăng", "Tuyên Quang", "Yên Bái", "Ninh Bình", "Hải Dương")  # fmt: skip
PLACES = ("Tân Hòa", "Đồng Tâm", "An Phú", "Bình Minh", "Dương Nội", "Ứng Hòa", "Uông Bí",
          "Vân Đình", "Thủy Xuân", "Hòa Lạc", "Phú Thủy", "Quỳnh Lưu", "Xuân Thủy", "Tân Lập",
          "Đông Hòa", "Hưng Đạo", "Kim Liên", "Nghĩa Đô", "Yên Hòa", "Trung Hòa", "Hải Châu",
          "Phước Hòa", "Thạnh Phú", "Mỹ Thủy", "Ea Kar", "Ô Môn", "Ấp Bắc", "Điện Biên",
          "Quang Trung", "Lê Lợi", "Cẩm Thủy", "Hòa Thuận", "Đức Thọ", "Ngọc Lặc", "Sơn Tây",
          "Gia Lâm", "Thuận Hòa", "Phú Lương", "Tiên Du", "Bạch Đằng")  # fmt: skip
DEPARTMENTS = ("Tài chính", "Tổ chức - Hành chính", "Kế hoạch - Đầu tư", "Tài nguyên và Môi trường",
               "Văn hóa - Thông tin", "Giáo dục và Đào tạo", "Lao động - Thương binh và Xã hội",
               "Nội vụ", "Tư pháp", "Y tế", "Kinh tế", "Thanh tra", "Ngoại vụ", "Công Thương",
               "Xây dựng", "Quản lý đô thị", "Nông nghiệp", "Khoa học và Công nghệ")  # fmt: skip
UNIT_PATTERNS = ("Chi bộ Phòng {dept}", "Chi bộ Phòng {dept} huyện {place}",
                 "Chi bộ Sở {dept} tỉnh {province}", "Đảng bộ xã {place}", "Đảng bộ phường {place}",
                 "Đảng bộ thị trấn {place}", "Chi bộ thôn {place}", "Chi bộ ấp {place}",
                 "Đảng bộ Ủy ban nhân dân huyện {place}", "Chi bộ Văn phòng Huyện ủy {place}",
                 "Chi bộ Trường THCS {place}", "Chi bộ Trạm Y tế xã {place}",
                 "Đảng bộ Công an huyện {place}", "Đảng bộ Khối cơ quan tỉnh {province}",
                 "Chi bộ Ban Tuyên giáo Tỉnh ủy {province}")  # fmt: skip
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh", "Trịnh", "Lương")  # fmt: skip
MIDDLES = ("Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Hữu", "Thu", "Xuân", "Hồng",
           "Công", "Kim", "Bá", "Quốc", "Thị Thu", "Văn Đức")  # fmt: skip
GIVENS = ("Hải", "Hương", "Thịnh", "Hùng", "Lan", "Tuấn", "Dũng", "Hằng", "Mến", "Khải", "Hiếu",
          "Trang", "Huy", "Thủy", "Hòa", "Nam", "Bình", "Phúc", "Tâm", "Đông", "Sơn", "Quỳnh",
          "Linh", "Ngân", "Cường", "Thắng", "Toàn", "Vinh", "Yến", "Thúy", "Đạt", "Khoa")  # fmt: skip
ROLES = ("Bí thư Chi bộ", "Phó Bí thư Chi bộ", "Bí thư Đảng ủy xã", "Phó Bí thư Thường trực Đảng ủy",
         "Chủ tịch UBND xã", "Trưởng Ban Tổ chức Huyện ủy", "Ủy viên Ban Thường vụ Huyện ủy",
         "Phó Trưởng Ban Tuyên giáo Tỉnh ủy", "Chủ tịch Ủy ban Mặt trận Tổ quốc xã",
         "Trưởng thôn", "Giám đốc Sở", "Trưởng phòng", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy",
         "Phó Chủ tịch Hội đồng nhân dân huyện", "Bí thư Đoàn Thanh niên xã")  # fmt: skip
VENUES = ("hội trường Ủy ban nhân dân xã", "nhà văn hóa thôn", "hội trường cơ quan",
          "Trung tâm Chính trị huyện", "Trung tâm Hội nghị tỉnh", "nhà văn hóa khu dân cư",
          "phòng họp trực tuyến của cơ quan", "hội trường Huyện ủy")  # fmt: skip
TOPICS = ("chuyển đổi số", "xây dựng nông thôn mới", "cải cách hành chính", "bảo vệ môi trường",
          "phát triển du lịch cộng đồng", "giảm nghèo bền vững", "an ninh trật tự",
          "sắp xếp tổ chức bộ máy", "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
          "phòng, chống tham nhũng, tiêu cực", "nâng cao chất lượng sinh hoạt chi bộ",
          "phát triển kinh tế tập thể", "ứng dụng khoa học kỹ thuật vào sản xuất")  # fmt: skip
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV")

TITLES = (
    "Đại hội {unit} lần thứ {roman}, nhiệm kỳ {term}",
    "{unit} tổ chức Đại hội nhiệm kỳ {term}",
    "{unit} kết nạp {n} đảng viên mới",
    "{unit} sơ kết giữa nhiệm kỳ {term}",
    "{unit} tổng kết công tác xây dựng Đảng năm {year}",
    "Hội nghị Ban Chấp hành {unit} lần thứ {n2}",
    "{unit} học tập, quán triệt Nghị quyết Đại hội",
    "{unit} triển khai nhiệm vụ năm {next_year}",
    "{unit} kỷ niệm {party_age} năm Ngày thành lập Đảng",
    "Đồng chí {person} được bầu làm Bí thư {unit}",
    "{unit} chuẩn bị Đại hội nhiệm kỳ {next_term}",
    "{unit} trao Huy hiệu {badge} năm tuổi Đảng cho {n} đảng viên",
    "{unit} đẩy mạnh {topic}",
)
# When the titles above are all taken for this unit and year.
DATED_TITLES = (
    "{unit} sinh hoạt chuyên đề tháng {month}/{year}",
    "{unit} họp phiên thường kỳ ngày {day_month}/{year}",
    "{unit} bàn về {topic} ({day_month}/{year})",
)
OPENINGS = (
    "{when}, tại {venue}, {unit} tổ chức Đại hội lần thứ {roman}, nhiệm kỳ {term}. Dự Đại hội có đồng chí {person}, {role}, cùng {m} đảng viên của {unit_ref}.",
    "{when}, {unit} tổ chức hội nghị {topic_meeting} năm {year}. Đồng chí {person}, {role}, dự và chỉ đạo hội nghị; tham dự có {m} đảng viên và đại diện các đoàn thể.",
    "{when}, tại {venue}, {unit} long trọng tổ chức lễ kết nạp đảng viên cho {n} quần chúng ưu tú. Đây là kết quả của quá trình bồi dưỡng, giới thiệu liên tục từ đầu nhiệm kỳ {term}.",
    "{when}, {unit} tổ chức sinh hoạt chuyên đề về {topic}. Đồng chí {person}, {role}, chủ trì buổi sinh hoạt với sự tham gia của {m} đảng viên.",
)
SENTENCES = (
    "Báo cáo chính trị cho biết, nhiệm kỳ qua, {unit_ref} đã lãnh đạo hoàn thành {n} trên {n_total} chỉ tiêu Nghị quyết Đại hội đề ra, trong đó nhiều chỉ tiêu vượt kế hoạch.",
    "Thu ngân sách trên địa bàn hằng năm đều vượt dự toán, năm {year} đạt {money} tỷ đồng, tăng {pct}% so với cùng kỳ.",
    "Người dân đã hiến đất, góp công làm mới {km} km đường bê tông nội đồng và {n} cây cầu dân sinh.",
    "Số hộ nghèo giảm còn {n} hộ, tỷ lệ hộ nghèo còn {pct_small}%; thu nhập bình quân đầu người đạt {income} triệu đồng mỗi năm.",
    "{unit_ref} kết nạp {n} đảng viên mới, hằng năm được xếp loại hoàn thành tốt nhiệm vụ trở lên.",
    "Công tác kiểm tra, giám sát được thực hiện nghiêm túc; {unit_ref} đã kiểm tra {n} tổ chức đảng và {m} đảng viên, qua đó kịp thời chấn chỉnh những thiếu sót.",
    "Phong trào toàn dân bảo vệ an ninh Tổ quốc được duy trì, số vụ việc vi phạm pháp luật giảm {pct}% so với nhiệm kỳ trước.",
    "Việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với thực hiện Nghị quyết Trung ương 4 khóa XII được triển khai thường xuyên, có nhiều mô hình hay.",
    "Mô hình {model} bước đầu cho hiệu quả, mang lại thu nhập hơn {money} triệu đồng mỗi năm cho {n} hộ tham gia.",
    "Tuy vậy, Đại hội cũng thẳng thắn nhìn nhận sản xuất của bà con còn manh mún, một số tuyến đường đã xuống cấp, tỷ lệ đảng viên trẻ trong {unit_ref} còn thấp.",
    "Một số chi bộ trực thuộc nội dung sinh hoạt còn đơn điệu, chưa thu hút được đảng viên tham gia thảo luận, đóng góp ý kiến.",
    "Nhiệm kỳ {term}, {unit_ref} đặt mục tiêu chuyển đổi ít nhất {ha} ha đất lúa kém hiệu quả sang cây ăn trái, xây mới {n} nhà văn hóa và kết nạp từ {n} đảng viên mới trở lên.",
    "{unit_ref} xác định {topic} là khâu đột phá, gắn với nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức đảng.",
    "Phát biểu chỉ đạo, đồng chí {person}, {role}, ghi nhận những kết quả {unit_ref} đạt được, đồng thời đề nghị cấp ủy khóa mới đổi mới nội dung, phương thức lãnh đạo, giữ vững đoàn kết nội bộ.",
    "Đồng chí {person} lưu ý {unit_ref} cần tăng cường công tác giáo dục chính trị, tư tưởng, chú trọng phát triển đảng viên trong thanh niên và ở những thôn, khu dân cư còn ít đảng viên.",
    "Đại hội đã bầu Ban Chấp hành nhiệm kỳ {term} gồm {n2} đồng chí; đồng chí {person} được tín nhiệm bầu giữ chức {role}.",
    "Các đại biểu đã thảo luận, góp ý vào dự thảo văn kiện Đại hội Đảng bộ cấp trên và biểu quyết thông qua Nghị quyết Đại hội với tỷ lệ {pct_high}%.",
    "Đại hội cũng bầu đoàn đại biểu gồm {n} đồng chí đi dự Đại hội Đảng bộ cấp trên nhiệm kỳ {term}.",
    "Theo đồng chí {person}, {role}, thời gian tới {unit_ref} sẽ tập trung rà soát, sắp xếp lại đội ngũ cán bộ, bảo đảm tinh gọn, hoạt động hiệu lực, hiệu quả.",
    "Đến nay, {pct_high}% đảng viên đã cài đặt và sử dụng ứng dụng Sổ tay đảng viên điện tử, {n} hồ sơ đảng viên được số hóa.",
    "Trong số các đảng viên mới có chị {person}, {age} tuổi, giáo viên trường mầm non xã; anh {person2}, {age2} tuổi, chủ trang trại cho thu nhập hơn {money} triệu đồng mỗi năm.",
    "Đảng {uy_word} xã đã chỉ đạo các tổ chức đoàn thể phối hợp tuyên truyền, vận động nhân dân chấp hành chủ trương thu hồi đất, góp phần để các dự án bàn giao mặt bằng theo kế hoạch.",
    "Ban Thường vụ Đảng {uy_word} {place_kind} {place} đánh giá cao sự chuẩn bị chu đáo của {unit_ref}, coi đây là đại hội điểm để rút kinh nghiệm cho các chi bộ khác.",
    "Trao quyết định kết nạp, đồng chí {person}, {role}, chúc mừng các đảng viên trẻ và mong các đồng chí luôn gương mẫu trong công việc, gần gũi với nhân dân.",
    "Nhân dịp này, {n} đảng viên được trao Huy hiệu {badge} năm tuổi Đảng; {n2} tập thể và cá nhân được khen thưởng vì có thành tích xuất sắc trong nhiệm kỳ.",
    "Hội nghị đã thảo luận, thống nhất ban hành chương trình hành động thực hiện Nghị quyết với {n2} nhóm nhiệm vụ, giải pháp trọng tâm và phân công cụ thể cho từng cấp ủy viên.",
    "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên đạt {pct_high}%, không có đảng viên vi phạm tư cách, tổ chức đảng yếu kém.",
    "Nhiều ý kiến đề nghị cấp trên quan tâm hỗ trợ kinh phí nâng cấp {infra}, tạo điều kiện để địa phương phát triển {topic}.",
    "Từ đầu nhiệm kỳ đến nay, {unit_ref} đã kết nạp {m} đảng viên, trong đó khoảng {pct}% là đoàn viên thanh niên.",
    "Về chuyên môn, cơ quan đã tham mưu ban hành {n2} văn bản quy phạm, giải quyết đúng hạn {pct_high}% hồ sơ thủ tục hành chính và không để xảy ra khiếu nại kéo dài.",
    "Năm {year}, tổng vốn đầu tư xây dựng cơ sở hạ tầng trên địa bàn đạt {money} tỷ đồng, trong đó nhân dân đóng góp hơn {n2} tỷ đồng.",
    "Đại hội đã dành thời gian thảo luận sôi nổi, thẳng thắn, tập trung vào những vấn đề người dân quan tâm như {infra} và {topic}.",
)
CAPTIONS = (
    "Quang cảnh Đại hội {unit} nhiệm kỳ {term}.",
    "Đồng chí {person}, {role}, phát biểu chỉ đạo Đại hội.",
    "Các đại biểu biểu quyết thông qua Nghị quyết Đại hội.",
    "Ban Chấp hành {unit} nhiệm kỳ {term} ra mắt Đại hội.",
    "Các đảng viên mới tuyên thệ dưới cờ Đảng và chân dung Bác Hồ.",
    "Đại biểu bỏ phiếu bầu cấp ủy khóa mới.",
    "Lãnh đạo Đảng {uy_word} {place_kind} tặng hoa chúc mừng Đại hội.",
)
HEADINGS = ("Những kết quả nổi bật", "Thẳng thắn nhìn nhận hạn chế", "Mục tiêu nhiệm kỳ mới",
            "Nguồn bổ sung quan trọng", "Đổi mới phương thức lãnh đạo", "Hướng tới đô thị xanh, văn minh")  # fmt: skip
TARGETS = ("Tốc độ tăng trưởng kinh tế bình quân đạt {pct_small}%/năm.",
           "Thu nhập bình quân đầu người đạt {income} triệu đồng/năm.",
           "Tỷ lệ hộ nghèo giảm bình quân {pct_small}%/năm.",
           "Hằng năm kết nạp từ {n} đảng viên mới trở lên.",
           "100% thôn, khu dân cư giữ vững danh hiệu văn hóa.",
           "Tỷ lệ người dân tham gia bảo hiểm y tế đạt {pct_high}%.",
           "{pct_high}% tổ chức đảng hoàn thành tốt nhiệm vụ trở lên.")  # fmt: skip
MODELS = ("trồng lúa kết hợp nuôi tôm càng xanh", "nuôi ong lấy mật", "trồng nấm sò",
          "chăn nuôi bò sinh sản", "trồng bưởi theo tiêu chuẩn VietGAP", "du lịch homestay")  # fmt: skip
INFRA = ("nhà văn hóa khu dân cư", "tuyến đường liên thôn", "hệ thống kênh mương nội đồng",
         "trường mầm non", "trạm y tế xã", "hệ thống nước sạch")  # fmt: skip
MEETINGS = ("tổng kết công tác xây dựng Đảng", "sơ kết giữa nhiệm kỳ", "học tập, quán triệt Nghị quyết",
            "triển khai nhiệm vụ")  # fmt: skip
BYLINES = ("**{author}**", "Tin, ảnh: {author}", "{author} (Ban Tuyên giáo)", "Bài, ảnh: {author}")

# New -> old tone placement (`hòa` -> `hoà`, `ủy` -> `uỷ`): the tone moves
# from the first to the second vowel of an open oa/oe/uy syllable.
_TONES = "\u0300\u0301\u0309\u0303\u0323"
_NEW_TO_OLD = {
    unicodedata.normalize("NFC", first + tone + second): unicodedata.normalize(
        "NFC", first + second + tone
    )
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"), ("O", "a"), ("O", "e"), ("U", "y"))
    for tone in _TONES
}
_OLD_TO_NEW = {old: new for new, old in _NEW_TO_OLD.items()}
_NEW_SYLLABLE = re.compile("(" + "|".join(_NEW_TO_OLD) + r")(?!\w)")
_OLD_SYLLABLE = re.compile("(" + "|".join(_OLD_TO_NEW) + r")(?!\w)")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def old_spelling(text: str) -> str:
    """`Đảng ủy xã Tân Hòa` -> `Đảng uỷ xã Tân Hoà` (the old tone placement)."""
    return _NEW_SYLLABLE.sub(lambda m: _NEW_TO_OLD[m.group(1)], text)


def new_spelling(text: str) -> str:
    """Inverse of old_spelling: one spelling per name."""
    return _OLD_SYLLABLE.sub(lambda m: _OLD_TO_NEW[m.group(1)], text)


def slug(text: str) -> str:
    """Like generator.vietnamese.slugify, without its 80-character cut."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")
    return _NON_SLUG.sub("-", ascii_text).strip("-")


def term_of(year: int) -> str:
    return TERMS[min((year - 2010) // 5, len(TERMS) - 1)]


def next_term(term: str) -> str:
    start = int(term[:4]) + 5
    return f"{start}-{start + 5}"


def unit_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct unit names (distinct slugs, each at most 55 characters).

    The pattern is drawn first, so communes and villages are as common as
    departments although there are fewer of them.
    """
    names: dict[str, str] = {}
    for _ in range(count * 50):
        if len(names) == count:
            return list(names.values())
        name = rng.choice(UNIT_PATTERNS).format(
            dept=rng.choice(DEPARTMENTS), place=rng.choice(PLACES), province=rng.choice(PROVINCES)
        )
        if len(slug(name)) <= 55:
            names.setdefault(slug(name), name)
    raise ValueError(f"could not make {count} distinct unit names")


def unit_count(articles: int) -> int:
    return 40 + articles // 250


class Slots(dict[str, str]):
    """Template values: fixed ones per article, fresh random ones on each use."""

    def __init__(self, fixed: dict[str, str], fresh: dict[str, Callable[[], str]]) -> None:
        super().__init__(fixed)
        self.fresh = fresh

    def __missing__(self, key: str) -> str:
        return self.fresh[key]()


@dataclass(frozen=True, slots=True)
class Article:
    year: int
    slug: str
    text: str


class Corpus:
    """One random stream; `article(i)` must be called for i = 0, 1, 2 … in order.

    With `vocabulary="archive"`, names, places, units and a long tail of
    rare words come from vocabulary.py (what readers search for); the
    default keeps the template words only, as the build benchmarks have
    always used.
    """

    def __init__(self, articles: int, seed: int, vocabulary: str = "templates") -> None:
        self.rng = random.Random(seed)
        self.words = Vocabulary(articles, self.rng) if vocabulary == "archive" else None
        if self.words:
            self.units = self.words.unit_names(40 + articles // 100)
        else:
            self.units = unit_names(unit_count(articles), self.rng)
        self.unit_counts: Counter[str] = Counter()
        # Zipf-like: unit k gets weight 1/(k+1)^0.7, so a few units are large.
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(self.units))]
        self.cumulative = list(itertools.accumulate(weights))
        self.taken: dict[int, set[str]] = {}
        rng = self.rng
        self.fresh: dict[str, Callable[[], str]] = {
            "n": lambda: str(rng.randint(2, 12)),
            "n2": lambda: str(rng.randint(3, 35)),
            "n_total": lambda: str(rng.randint(18, 24)),
            "m": lambda: str(rng.randint(20, 480)),
            "pct": lambda: str(rng.randint(5, 60)),
            "pct_small": lambda: f"{rng.randint(1, 9)},{rng.randint(0, 9)}",
            "pct_high": lambda: str(rng.randint(90, 100)),
            "money": lambda: f"{rng.randint(12, 950)}",
            "income": lambda: str(rng.randint(38, 95)),
            "km": lambda: f"{rng.randint(1, 25)},{rng.randint(1, 9)}",
            "ha": lambda: str(rng.randint(10, 300)),
            "age": lambda: str(rng.randint(22, 35)),
            "age2": lambda: str(rng.randint(22, 35)),
            "person": self.person,
            "person2": self.person,
            "role": lambda: self.spell(rng.choice(ROLES)),
            "topic": lambda: rng.choice(TOPICS),
            "model": lambda: rng.choice(MODELS),
            "infra": lambda: rng.choice(INFRA),
            "venue": lambda: self.spell(rng.choice(VENUES)),
            "badge": lambda: rng.choice(("30", "40", "45", "50", "55", "60")),
            "roman": lambda: rng.choice(ROMAN[1:12]),
            "uy_word": lambda: "uỷ" if rng.random() < 0.2 else "ủy",
            "place_kind": lambda: rng.choice(("xã", "phường", "huyện", "thị trấn")),
            "place": lambda: self.spell(rng.choice(PLACES)),
            "topic_meeting": lambda: rng.choice(MEETINGS),
        }
        if self.words:
            self.fresh |= self.words.slots()
            self.fresh["place"] = lambda: self.spell(self.words.communes.pick())  # type: ignore[union-attr]

    def person(self) -> str:
        if self.words:
            return self.words.people.pick()
        rng = self.rng
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"

    def spell(self, text: str) -> str:
        return old_spelling(text) if self.rng.random() < 0.17 else text

    def date(self, year: int) -> str:
        rng = self.rng
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        hour, minute = rng.randint(7, 16), rng.choice((0, 15, 30, 45))
        form = rng.random()
        if form < 0.35:
            return f"{year}-{month:02d}-{day:02d}"
        if form < 0.55:
            return f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
        if form < 0.85:
            return f"{day}/{month}/{year}"
        return f"{day:02d}/{month:02d}/{year} {hour:02d}:{minute:02d}"

    def title(self, slots: Slots, index: int, year: int) -> str:
        taken = self.taken.setdefault(year, set())
        for templates in (TITLES,) * 6 + (DATED_TITLES,) * 3:
            candidate = self.rng.choice(templates).format_map(slots)
            if len(slug(candidate)) <= 80 and slug(candidate) not in taken:
                break
        else:
            candidate = f"Bản tin {slots['unit']} số {index + 1}"
        taken.add(slug(candidate))
        return candidate

    def paragraph(self, slots: Slots) -> str:
        count = self.rng.randint(3, 6)
        sentences = [s.format_map(slots) for s in self.rng.sample(SENTENCES, count)]
        if self.words and self.rng.random() < 0.5:
            rare = self.rng.choice(RARE_SENTENCES).format_map(slots)
            sentences.insert(self.rng.randint(1, count), rare)
        return " ".join(sentences)

    def article(self, index: int) -> Article:
        rng = self.rng
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        unit = self.units[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]
        self.unit_counts[unit] += 1
        term = term_of(year)
        if year % 5 == 4 and rng.random() < 0.5:
            term = next_term(term)  # congresses for the next term are held a year early
        date = self.date(year)
        day = date.split()[0]
        when = f"{rng.choice(('Sáng', 'Chiều', 'Ngày'))} {_day_first(day)}"
        fixed = {
            "unit": self.spell(unit),
            "unit_ref": unit.split(" ", 2)[0] + " " + unit.split(" ", 2)[1]
            if rng.random() < 0.4
            else unit,
            "term": term,
            "next_term": next_term(term),
            "year": str(year),
            "next_year": str(year + 1),
            "party_age": str(year - 1930),
            "when": when,
            "month": _day_first(day).split("/")[1],
            "day_month": "/".join(_day_first(day).split("/")[:2]),
        }
        slots = Slots(fixed, self.fresh)
        title = self.title(slots, index, year)
        author = self.person() if rng.random() < 0.75 else None
        slots["author"] = author or rng.choice(("PV", "Ban Tuyên giáo", "Văn phòng cấp ủy"))
        lines = [
            "---",
            f'title: "{title}"',
            f'unit: "{self.spell(unit)}"',
            f'term: "{term}"',
            f"date: {date}",
        ]
        if author:
            lines.append(f'author: "{author}"')
        if rng.random() < 0.5:
            lines.append(f'summary: "{rng.choice(SENTENCES).format_map(slots)}"')
        lines += ["---", "", rng.choice(OPENINGS).format_map(slots)]
        paragraphs = rng.randint(5, 10)
        heading_at = rng.randint(2, paragraphs) if rng.random() < 0.35 else -1
        for number in range(1, paragraphs):
            if number == heading_at:
                lines += ["", f"## {rng.choice(HEADINGS)}"]
            lines += ["", self.paragraph(slots)]
            if number in (1, 4, 8) and rng.random() < 0.7:
                lines += ["", f"*{rng.choice(CAPTIONS).format_map(slots)}*"]
            if number == 3 and rng.random() < 0.3:
                lines += ["", "Các chỉ tiêu chủ yếu của nhiệm kỳ:", ""]
                lines += [f"- {target.format_map(slots)}" for target in rng.sample(TARGETS, 4)]
        lines += ["", rng.choice(BYLINES).format_map(slots), ""]
        return Article(year, slug(title), "\n".join(lines))


def _day_first(day: str) -> str:
    """`2025-06-07` or `7/6/2025` -> `7/6/2025` (how articles write dates)."""
    if "-" in day:
        year, month, date = day.split("-")
        return f"{int(date)}/{int(month)}/{year}"
    parts = day.split("/")
    return f"{int(parts[0])}/{int(parts[1])}/{parts[2]}"


def generate(
    out: Path, articles: int, seed: int = 1, vocabulary: str = "templates"
) -> tuple[int, int]:
    """Write out/content/<year>/<slug>.md; return (files, bytes). With the
    archive vocabulary, also out/queries.json (see `query_set`)."""
    content = out / "content"
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        (content / str(year)).mkdir(parents=True, exist_ok=True)
    corpus = Corpus(articles, seed, vocabulary)
    size = 0
    words: set[str] = set()  # every word used, folded (to find one no article has)
    for index in range(articles):
        article = corpus.article(index)
        data = article.text.encode()
        (content / str(article.year) / f"{article.slug}.md").write_bytes(data)
        size += len(data)
        if corpus.words:
            words.update(re.findall(r"\w+", fold(article.text)))
    if corpus.words:
        queries = query_set(corpus, words)
        (out / "queries.json").write_text(
            json.dumps(queries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return articles, size


def fold(text: str) -> str:
    """What a reader types without diacritics: `Đảng ủy` -> `dang uy`."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


def _at_rank(counts: Counter[str], rank: int) -> str:
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    return ranked[min(rank, len(ranked) - 1)]


def _rare(counts: Counter[str], times: int) -> str:
    """The first name (in name order) used exactly `times` times, or the least used."""
    exact = sorted(name for name, count in counts.items() if count == times)
    return exact[0] if exact else min(counts, key=lambda name: (counts[name], name))


def query_set(corpus: Corpus, folded: set[str]) -> list[dict[str, str]]:
    """What readers search for, one or two of each class, with and without
    diacritics, plus a filter and a sort by date: the search benchmark's queries.

    Picked from what the corpus used (so the same corpus gives the same set):
    a much-mentioned person's full name and a rarely mentioned one, a commune,
    a unit's name, a common two-word phrase, three words, and a phrase with a
    word no article has.
    """
    words = corpus.words
    assert words is not None
    absent = next(word for word in ABSENT if fold(word) not in folded)
    top_unit = _at_rank(corpus.unit_counts, 0)
    classes = [
        ("full name, common", _at_rank(words.people.counts, 5)),
        ("full name, rare", _rare(words.people.counts, 3)),
        ("place", _at_rank(words.communes.counts, 20)),
        ("unit name", _at_rank(corpus.unit_counts, 10)),
        ("two words", "đại hội"),
        ("three words", "chuyển đổi số"),
        ("missing word", f"đại hội {absent}"),
    ]
    made = []
    for kind, query in classes:
        made.append({"class": kind, "q": query})
        made.append({"class": f"{kind}, no diacritics", "q": fold(query)})
    made += [
        {"class": "full name, year filter", "q": fold(classes[0][1]), "year": "2025"},
        {"class": "two words, unit filter", "q": "dai hoi", "unit": new_spelling(top_unit)},
        {"class": "two words, by date", "q": "dai hoi", "sort": "date"},
        {"class": "full name, by date", "q": fold(classes[0][1]), "sort": "date"},
    ]
    return made


# --- one edit, for the incremental measurement -----------------------------

_SENTENCE_END = re.compile(r"(?<=\.) (?=[A-ZĐÂĂÊÔƠƯ])")


def pick_article(content: Path, seed: int = 1) -> Path:
    """The article that `edit_article` changes: the same for the same corpus and seed."""
    files = sorted(content.rglob("*.md"))
    if not files:
        raise FileNotFoundError(f"no articles in {content}")
    return files[random.Random(seed).randrange(len(files))]


def edit_text(text: str, revision: int) -> str:
    """Replace the last sentence of the body's third prose paragraph.

    Front matter, title, summary and the first paragraph (which index pages
    may show) stay as they are: only the article page and its search record
    should change. Each revision gives a different text.
    """
    head, separator, body = text.partition("\n---\n")
    blocks = body.split("\n\n")
    prose = [
        i for i, block in enumerate(blocks) if block.strip() and block.lstrip()[0] not in "*#-"
    ]
    target = prose[2] if len(prose) > 2 else prose[-1]
    sentences = _SENTENCE_END.split(blocks[target])
    sentences[-1] = (
        f"Theo số liệu cập nhật lần thứ {revision}, có thêm {revision % 7 + 2} đảng viên"
        f" được công nhận hoàn thành xuất sắc nhiệm vụ năm {2020 + revision % 6}."
    )
    blocks[target] = " ".join(sentences)
    return head + separator + "\n\n".join(blocks)


def edit_article(path: Path, revision: int) -> None:
    path.write_text(edit_text(path.read_text(encoding="utf-8"), revision), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write DIR/content/<year>/<slug>.md")
    parser.add_argument("--edit", type=Path, metavar="DIR", help="edit one article of DIR/content")
    parser.add_argument("--revision", type=int, default=1, help="with --edit: which change")
    parser.add_argument(
        "--vocabulary",
        choices=("templates", "archive"),
        default="templates",
        help="archive: people, places, rare words (vocabulary.py) and DIR/queries.json",
    )
    args = parser.parse_args(argv)
    if args.edit:
        path = pick_article(args.edit / "content", args.seed)
        edit_article(path, args.revision)
        print(path)
        return 0
    if args.out is None:
        parser.error("give --out DIR (or --edit DIR)")
    start = time.perf_counter()
    files, size = generate(args.out, args.articles, args.seed, args.vocabulary)
    seconds = time.perf_counter() - start
    units = 40 + args.articles // 100 if args.vocabulary == "archive" else unit_count(args.articles)
    print(
        f"{files} articles, {size / 1e6:.1f} MB ({size / max(files, 1) / 1e3:.2f} KB each),"
        f" {units} units, into {args.out / 'content'} in {seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
