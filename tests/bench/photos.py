"""Benchmark the image stage against Hugo's image pipeline, on the same photos.

Usage: python tests/bench/photos.py --articles 100 1000 [--seed 1] [--hugo PATH]
           [--keep DIR] [--json FILE]

For each article count: the corpus of run.py (corpus.py), and beside each
article 1-3 photos like a phone's (3, 8 or 12 megapixels, JPEG, EXIF with
orientation, camera and GPS). Every photo has bytes of its own (a JPEG
comment with its number), so no build can reuse another's work. Then, each
as a child process, measured like run.py does (wall, CPU, peak memory):
  ours full       archive build --clean: pages, search, and every photo made
                  into WebP 480/960/1600, a JPEG 1200, and for each lead
                  photo its 16:9/4:3/1:1 crops and a 320x240 card picture
  ours new        one new article with three new photos, then the same build
  hugo full       the same articles as page bundles, and for every photo the
                  same files made with Hugo's .Resize/.Crop/.Fill (WebP q72,
                  JPEG q80), no resource cache
Hugo is given no Pagefind run here: the ratio is against its image work and
pages only, which flatters Hugo.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # tests/: pictures.py

from corpus import generate
from pictures import textured
from PIL import Image
from run import (
    MB,
    PROJECT,
    hugo_article,
    hugo_config,
    measure,
    progress,
    remove,
    report,
    resolve_hugo,
    settle,
    version_of,
    wait_for_copy,
)

SIZES = ((2048, 1536), (3264, 2448), (4032, 3024))  # 3, 8 and 12 megapixels
SMALL = ((800, 600),)  # --small: the memory of many photos, in minutes instead of hours
POOL = 12  # distinct pictures; every photo is one of them with bytes of its own

HUGO_SINGLE = """{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>
{{ $lead := index (.Resources.ByType "image") 0 }}
{{ with $lead }}{{ range slice "1200x675 jpg q80" "1200x900 jpg q80" "1200x1200 jpg q80" }}{{ with $lead.Crop . }}<link rel="image" href="{{ .RelPermalink }}">{{ end }}{{ end }}
{{ with $lead.Fill "320x240 webp q72" }}<img src="{{ .RelPermalink }}" alt="">{{ end }}{{ end }}
{{ .Content }}
{{ range .Resources.ByType "image" }}<picture>{{ $a := .Resize "480x webp q72" }}{{ $b := .Resize "960x webp q72" }}{{ $c := .Resize "1600x webp q72" }}{{ $d := .Resize "1200x jpg q80" }}
<source srcset="{{ $a.RelPermalink }} 480w, {{ $b.RelPermalink }} 960w, {{ $c.RelPermalink }} 1600w"><img src="{{ $d.RelPermalink }}" width="{{ $c.Width }}" height="{{ $c.Height }}" alt=""></picture>
{{ end }}</article>{{ end }}
"""
HUGO_BASE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}
"""


def pool(seed: int, sizes: tuple[tuple[int, int], ...] = SIZES) -> list[bytes]:
    """POOL distinct JPEGs as a phone writes them (EXIF with orientation and GPS)."""
    made = []
    rng = random.Random(seed)
    for number in range(POOL):
        width, height = sizes[number % len(sizes)]
        exif = Image.Exif()
        exif[0x0112] = rng.choice([1, 1, 6, 8, 3])
        exif[0x010F], exif[0x0110] = "PhoneMaker", "Phone 12"
        exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.5), 3: "E", 4: (105.0, 51.0, 12.2)}
        out = io.BytesIO()
        textured(width, height, seed * 100 + number).save(
            out, "JPEG", quality=88, exif=exif.tobytes()
        )
        made.append(out.getvalue())
    return made


def unique(data: bytes, number: int) -> bytes:
    """The same picture with bytes of its own: a JPEG comment after SOI."""
    comment = f"photo {number}".encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return data[:2] + segment + data[2:]


def add_photos(content: Path, photos: list[bytes], seed: int) -> int:
    """1-3 photos beside every article, named in its body (the first leads)."""
    rng = random.Random(seed)
    count = 0
    for article in sorted(content.rglob("*.md")):
        folder = article.with_suffix("")
        folder.mkdir()
        lines = []
        for index in range(1, rng.randint(1, 3) + 1):
            (folder / f"anh-{index}.jpg").write_bytes(unique(rng.choice(photos), count))
            lines.append(f"![Ảnh {index}]({folder.name}/anh-{index}.jpg)\n*Chú thích ảnh {index}.*")
            count += 1
        text = article.read_text(encoding="utf-8")
        article.write_text(text.rstrip("\n") + "\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return count


def hugo_site(content: Path, site: Path) -> None:
    """The articles as page bundles (index.md and its photos, hard-linked)."""
    for name, text in {
        "layouts/baseof.html": HUGO_BASE,
        "layouts/single.html": HUGO_SINGLE,
        "layouts/list.html": HUGO_LIST,
        "layouts/home.html": HUGO_LIST,
    }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text(hugo_config((0, 168, 0)), encoding="utf-8")
    for article in sorted(content.rglob("*.md")):
        bundle = site / "content" / article.relative_to(content).with_suffix("")
        bundle.mkdir(parents=True)
        text = hugo_article(article.read_text(encoding="utf-8"))
        (bundle / "index.md").write_text(text.replace(f"]({bundle.name}/", "]("), encoding="utf-8")
        for photo in sorted(article.with_suffix("").iterdir()):
            os.link(photo, bundle / photo.name)


def new_article(content: Path, photos: list[bytes]) -> None:
    folder = content / "2026" / "bai-moi-ba-anh"
    folder.mkdir(parents=True)
    body = []
    for index in range(1, 4):
        (folder / f"anh-{index}.jpg").write_bytes(unique(photos[index], 10_000_000 + index))
        body.append(f"![Ảnh mới {index}](bai-moi-ba-anh/anh-{index}.jpg)\n*Ảnh mới {index}.*")
    text = (
        '---\ntitle: "Bài mới có ba ảnh"\nunit: "Chi bộ Tân Hòa"\nterm: "2025-2030"\n'
        "date: 2026-06-01\n---\n\nSáng 1/6/2026, Chi bộ họp.\n\n" + "\n\n".join(body) + "\n"
    )
    (content / "2026" / "bai-moi-ba-anh.md").write_text(text, encoding="utf-8")


def one_count(
    articles: int, work: Path, hugo: Path | None, seed: int, small: bool = False
) -> dict[str, Any]:
    progress(f"{articles:,} articles: corpus and photos in {work}")
    start = time.perf_counter()
    generate(work, articles, seed)
    photos = pool(seed, SMALL if small else SIZES)
    count = add_photos(work / "content", photos, seed)
    size = sum(os.path.getsize(p) for p in (work / "content").rglob("*.jpg"))
    progress(f"  {count:,} photos ({size / MB:,.0f} MB) in {time.perf_counter() - start:.0f} s")
    figures: dict[str, Any] = {"articles": articles, "photos": count, "photo_bytes": size}
    archive = PROJECT / ".venv" / "bin" / "archive"
    content, out, cache = work / "content", work / "site", work / "cache"
    base = [
        str(archive),
        "build",
        "--content",
        str(content),
        "--out",
        str(out),
        "--cache",
        str(cache),
    ]
    logs = work / "logs"
    settle()
    full = measure("ours full", [*base, "--clean"], PROJECT, logs, 0.02)
    report(full)
    wait_for_copy(out)
    new_article(content, photos)
    added = measure("ours new article, 3 photos", base, PROJECT, logs, 0.02)
    report(added)
    figures["ours full"] = full.__dict__
    figures["ours new"] = added.__dict__
    if hugo is not None:
        site = work / "hugo"
        remove(work / "content" / "2026" / "bai-moi-ba-anh.md")
        remove(work / "content" / "2026" / "bai-moi-ba-anh")
        hugo_site(content, site)
        settle()
        command = [str(hugo), "--quiet", "--cacheDir", str(site / "hugo-cache")]
        peer = measure("hugo full", command, site, logs, 0.02)
        report(peer)
        figures["hugo full"] = peer.__dict__
        figures["hugo version"] = version_of([str(hugo), "version"])
    return figures


def table(all_figures: list[dict[str, Any]]) -> str:
    rows = [
        "| articles | photos | ours full | Hugo full (images + pages) | ours / Hugo"
        " | one new article, 3 photos | new / ours full | peak memory (ours): summed RSS, PSS |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in all_figures:
        ours, new, hugo = f["ours full"], f["ours new"], f.get("hugo full")
        peer = f"{hugo['wall']:.1f} s" if hugo else "–"
        ratio = f"{ours['wall'] / hugo['wall']:.2f}x" if hugo else "–"
        rows.append(
            f"| {f['articles']:,} | {f['photos']:,} | {ours['wall']:.1f} s | {peer} | {ratio}"
            f" | {new['wall']:.2f} s | {new['wall'] / ours['wall']:.3f}x"
            f" | {ours['peak_tree_rss'] / MB:,.0f} MB, {ours['peak_tree_pss'] / MB:,.0f} MB |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[100])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hugo", help="Hugo binary (default $HUGO, then hugo on PATH)")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--keep", type=Path, help="work in DIR/n<N>/ and keep it")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument(
        "--small", action="store_true", help="800x600 photos: memory at scale, not speed"
    )
    args = parser.parse_args(argv)
    hugo = None if args.no_hugo else resolve_hugo(args.hugo)
    results = []
    for articles in args.articles:
        if args.keep:
            work = args.keep / f"n{articles}"
            remove(work)
            work.mkdir(parents=True)
            results.append(one_count(articles, work, hugo, args.seed, args.small))
        else:
            parent = PROJECT.parent / "bench-tmp"
            parent.mkdir(exist_ok=True)
            with tempfile.TemporaryDirectory(dir=parent) as folder:
                results.append(one_count(articles, Path(folder), hugo, args.seed, args.small))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
