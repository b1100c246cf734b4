"""Benchmark a full build on a generated archive; prints stage times and peak memory.

Usage: python tests/tools/benchmark.py [--articles 10000] [--units 40] [--keep DIR]
Run from the project root (layouts/ and assets/ come from there).
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from generator.build import Project, build
from generator.settings import Settings

SYLLABLES = [
    "đại",
    "hội",
    "chi",
    "bộ",
    "đảng",
    "ủy",
    "nhiệm",
    "kỳ",
    "nghị",
    "quyết",
    "đoàn",
    "kết",
    "phát",
    "huy",
    "dân",
    "chủ",
    "lãnh",
    "đạo",
    "chỉ",
    "đạo",
    "thực",
    "hiện",
    "nhiệm",
    "vụ",
    "chính",
    "trị",
    "xây",
    "dựng",
    "tổ",
    "chức",
    "cơ",
    "sở",
    "đảng",
    "viên",
    "kết",
    "nạp",
    "bầu",
    "cấp",
    "ủy",
    "bí",
    "thư",
    "phó",
    "ban",
    "thường",
    "vụ",
    "kiểm",
    "tra",
    "giám",
    "sát",
    "hoàn",
    "thành",
    "xuất",
    "sắc",
    "trong",
    "sạch",
    "vững",
    "mạnh",
    "kinh",
    "tế",
    "xã",
    "hội",
    "đối",
    "ngoại",
    "văn",
    "hóa",
    "nông",
    "thôn",
    "mới",
    "đồng",
    "tâm",
    "tân",
    "hòa",
    "phú",
    "thọ",
    "hợp",
    "tác",
    "quốc",
    "tế",
]
PLACES = ["An Phú", "Ấp Bình Minh", "Dương Nội", "Đồng Tâm", "Tân Hòa", "Ứng Hòa", "Uông Bí",
          "Sở Ngoại vụ", "Vụ Hợp tác quốc tế", "Ê Đê", "Ô Môn", "Ơn Sơn"]  # fmt: skip
TERMS = ["2010-2015", "2015-2020", "2020-2025", "2022-2025", "2025-2030"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(SYLLABLES) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(folder: Path, count: int, units: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    names = [f"Chi bộ {PLACES[i % len(PLACES)]} số {i}" for i in range(units)]
    size = 0
    for index in range(count):
        year = 2012 + index % 14
        date = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{year}"
        body = "\n\n".join(sentence(rng, rng.randint(60, 120)) for _ in range(8))
        text = (
            f'---\ntitle: "Đại hội {rng.choice(names)} lần {index}"\nunit: "{rng.choice(names)}"\n'
            f'term: "{rng.choice(TERMS)}"\ndate: {date}\nauthor: "Phóng viên {index % 50}"\n---\n\n'
            f"Sáng {date}, {body}\n\n*Quang cảnh Đại hội.*\n"
        )
        path = folder / str(year) / f"bai-{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="build into this folder instead of a temp one")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        size = generate(work / "content", args.articles, args.units)
        out = args.keep or work / "site"
        print(f"{args.articles} articles, {size / 1e6:.1f} MB of Markdown, {args.units} units")
        for run in ("first build", "second build (site/ exists)"):
            start = time.perf_counter()
            report = build(Project(Path.cwd(), work / "content", out), Settings())
            wall = time.perf_counter() - start
            stages = "  ".join(f"{name} {seconds:.2f}s" for name, seconds in report.timings.items())
            print(f"{run}: {wall:.2f} s, {report.pages} pages, {report.files} files | {stages}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory (RSS): build {peak:.0f} MB, search indexer {child:.0f} MB")
        bundle = out / "pagefind"
        if bundle.is_dir():
            files = [p for p in bundle.rglob("*") if p.is_file()]
            size = sum(p.stat().st_size for p in files)
            print(f"search bundle: {size / 1e6:.1f} MB in {len(files)} files")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
