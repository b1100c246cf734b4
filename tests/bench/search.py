"""Search benchmark: what a reader's search costs, ours against one whole index.

Usage: python tests/bench/search.py --articles 10000 [100000] [--keep DIR]
           [--throttle] [--repeat R] [--json FILE] [--markdown]

For each N, writes a corpus with an archive's vocabulary (corpus.py
--vocabulary archive: people, places, units, rare words, and the query set
queries.json), builds it twice with `archive build` (the archive's own
settings, and `search_part_size: N` with Pagefind's default chunks, one whole
Pagefind index over the same articles; with --edited, ours is built again
incrementally after N edits and the whole index from the edited articles),
then runs every query in headless Chromium, each in a fresh
browser context (nothing cached), on both sites. Reported per query: the
requests and bytes under /pagefind/ until the first page of results is
shown, the time from opening the address to that moment, and whether the
two sites show the same count and the same first ten results in the same
order. `--throttle` runs Lighthouse's mobile profile as DevTools applies it:
4x CPU slowdown, 562.5 ms latency, 1,474.56 kb/s down.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import edit_text, generate  # noqa: E402
from run import PROJECT, measure, progress  # noqa: E402
from webtools import chromium, served  # noqa: E402

DONE = "() => ['done', 'idle'].includes(document.getElementById('search-status').dataset.state)"
SHOWN = "() => [...document.querySelectorAll('#search-results .card-title a')].map(a => a.pathname)"
# Lighthouse's mobile profile, as its DevTools throttling applies it
THROTTLE_CPU = 4
THROTTLE_NETWORK = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1474.56 * 1024 / 8,
    "uploadThroughput": 675 * 1024 / 8,
}
WHOLE = "whole"
CHUNK_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"
PAGEFIND_DEFAULT_CHUNKS = "20000"


@dataclass
class Search:
    site: str
    kind: str
    address: str
    requests: int
    bytes: int
    seconds: float
    status: str
    shown: list[str]


def edited_content(work: Path, count: int, seed: int) -> Path:
    """work/content with `count` articles edited (corpus.edit_text: one sentence
    of the body each), in work/content-edited-<count>."""
    target = work / f"content-edited-{count}"
    if not target.is_dir():
        shutil.copytree(work / "content", target)
        files = sorted(target.rglob("*.md"))
        for revision, path in enumerate(random.Random(seed).sample(files, count), 1):
            path.write_text(edit_text(path.read_text(encoding="utf-8"), revision), "utf-8")
    return target


def build(
    work: Path,
    variant: str,
    settings: str,
    archive: str,
    content: Path | None = None,
    clean: bool = True,
) -> dict[str, Any]:
    """Build work/content (or `content`) into work/site-<variant> with these
    archive.yaml settings; `clean=False`: an incremental build over the last."""
    project = work / f"project-{variant}"
    project.mkdir(exist_ok=True)
    for name in ("layouts", "assets"):
        link = project / name
        if not link.exists():
            link.symlink_to(PROJECT / name)
    (project / "archive.yaml").write_text(settings, encoding="utf-8")
    out, cache = work / f"site-{variant}", work / f"cache-{variant}"
    source = content or work / "content"
    command = [archive, "build", "--content", str(source), "--out", str(out)]
    command += ["--cache", str(cache), "--quiet", *(["--clean"] if clean else [])]
    label = f"build {variant}" + ("" if clean else " again")
    # the whole index as Pagefind makes it by default (our build sets smaller chunks)
    saved = os.environ.get(CHUNK_VARIABLE)
    if variant == WHOLE:
        os.environ[CHUNK_VARIABLE] = PAGEFIND_DEFAULT_CHUNKS
    try:
        result = measure(label, command, project, work / "logs", 0.05)
    finally:
        if saved is None:
            os.environ.pop(CHUNK_VARIABLE, None)
        else:
            os.environ[CHUNK_VARIABLE] = saved
    return {
        "wall": round(result.wall, 2),
        "cpu": round(result.cpu, 2),
        "peak_pss_mb": round(result.peak_tree_pss / 2**20),
        "peak_rss_mb": round(result.peak_tree_rss / 2**20),
    }


def address(query: dict[str, str], site: str = "") -> str:
    """The search page's address for a query; the whole index is searched
    word by word (`theo=tu`), as Pagefind searches, not by whole names."""
    from urllib.parse import urlencode

    fields = {key: value for key, value in query.items() if key != "class"}
    if site == WHOLE:
        fields["theo"] = "tu"
    return urlencode(fields)


def search(
    browser: Any, base: str, site: str, query: dict[str, str], throttle: bool, sent: bool
) -> Search:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sizes: list[int] = []

    def note(response: Any) -> None:
        if "/pagefind/" in response.url:
            sizes.append(int(response.headers.get("content-length", 0)))

    page.on("response", note)
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE_CPU})
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THROTTLE_NETWORK)
    start = time.perf_counter()
    if sent:
        # the reader opens the page, goes to the box (Pagefind loads), sends
        # the query: timed from the sending
        page.goto(f"{base}/tim-kiem/?{address({**query, 'q': ''}, site)}")
        page.locator("#q").focus()
        page.wait_for_load_state("networkidle")
        sizes.clear()
        # set without an input event, which would start a search by names again
        page.evaluate("q => { document.getElementById('q').value = q; }", query["q"])
        start = time.perf_counter()
        page.locator("#q").press("Enter")
        page.wait_for_function(f"() => {DONE[6:]} && document.getElementById('search-status')"
                               f".textContent.includes({json.dumps(query['q'])})", timeout=600_000)  # fmt: skip
    else:
        page.goto(f"{base}/tim-kiem/?{address(query, site)}")
        page.wait_for_function(DONE, timeout=600_000)
    seconds = time.perf_counter() - start
    found = Search(
        site=site,
        kind=query["class"],
        address=address(query, site),
        requests=len(sizes),
        bytes=sum(sizes),
        seconds=round(seconds, 3),
        status=page.locator("#search-status").inner_text(),
        shown=page.evaluate(SHOWN),
    )
    context.close()
    return found


def run_searches(
    sites: dict[str, Path],
    queries: list[dict[str, str]],
    throttle: bool,
    repeat: int,
    sent: bool = False,
) -> list[Search]:
    done: list[Search] = []
    with chromium() as browser:
        for name, folder in sites.items():
            with served(folder) as base:
                for query in queries:
                    runs = [
                        search(browser, base, name, query, throttle, sent) for _ in range(repeat)
                    ]
                    best = runs[0]
                    best.seconds = statistics.median(r.seconds for r in runs)
                    done.append(best)
                    progress(f"  {name:8} {query['class']:38} {best.requests:4} req"
                             f" {best.bytes / 1e3:9.1f} KB {best.seconds:6.2f} s")  # fmt: skip
    return done


def table(searches: list[Search], ours: str) -> list[dict[str, Any]]:
    """One row per query: ours against the whole index."""
    whole = {s.kind: s for s in searches if s.site == WHOLE}
    rows = []
    for mine in (s for s in searches if s.site == ours):
        other = whole.get(mine.kind)
        if other is None:
            continue
        rows.append(
            {
                "class": mine.kind,
                "address": mine.address,
                "requests": (mine.requests, other.requests),
                "kb": (round(mine.bytes / 1e3, 1), round(other.bytes / 1e3, 1)),
                "seconds": (mine.seconds, other.seconds),
                "bytes_ratio": round(mine.bytes / max(other.bytes, 1), 2),
                "requests_ratio": round(mine.requests / max(other.requests, 1), 2),
                "same_count": _count(mine.status) == _count(other.status),
                "same_results": _count(mine.status) == _count(other.status)
                and mine.shown == other.shown,
                "status": (mine.status, other.status),
            }
        )
    return rows


def _count(status: str) -> int:
    """How many articles the search page says it found."""
    found = re.search(r"Tìm thấy (\d+)", status)
    return int(found[1]) if found else 0


def print_rows(articles: int, rows: list[dict[str, Any]], markdown: bool, ours: str) -> None:
    head = ("query", "requests", "KB", "seconds", "bytes ×", "requests ×", "same results")
    print(f"\n{articles} articles: {ours} / one whole index")
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("| --- " * len(head) + "|")
    for row in rows:
        cells = (
            f"{row['class']} (`{row['address']}`)" if markdown else row["class"],
            "{} / {}".format(*row["requests"]),
            "{} / {}".format(*row["kb"]),
            "{:.2f} / {:.2f}".format(*row["seconds"]),
            f"{row['bytes_ratio']:.2f}",
            f"{row['requests_ratio']:.2f}",
            "yes" if row["same_results"] else "count yes" if row["same_count"] else "NO",
        )
        print("| " + " | ".join(cells) + " |" if markdown else "  ".join(map(str, cells)))
    worst = max(rows, key=lambda row: row["bytes_ratio"])
    print(f"worst bytes ratio {worst['bytes_ratio']} ({worst['class']}),"
          f" worst requests ratio {max(r['requests_ratio'] for r in rows)}")  # fmt: skip


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR/n<N>, keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse built sites")
    parser.add_argument("--throttle", action="store_true", help="Lighthouse's mobile profile")
    parser.add_argument("--repeat", type=int, default=1, help="runs per query; median time")
    parser.add_argument(
        "--sent",
        action="store_true",
        help="open the page, focus the box, then time from sending the query (not from opening)",
    )
    parser.add_argument(
        "--edited",
        type=int,
        default=0,
        metavar="N",
        help="measure after N articles were edited: ours built incrementally, the whole index clean",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=YAML",
        help="an extra site built with these archive.yaml lines (\\n between them)",
    )
    parser.add_argument("--only", help="measure this variant against the whole index")
    parser.add_argument(
        "--query", action="append", default=[], metavar="CLASS", help="only these query classes"
    )
    parser.add_argument("--no-whole", action="store_true", help="do not build the whole index")
    parser.add_argument("--json", type=Path, metavar="FILE")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--archive", default=str(PROJECT / ".venv/bin/archive"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report: dict[str, Any] = {"commit": _commit(), "throttle": args.throttle, "sizes": {}}
    for articles in args.articles:
        work = (args.keep or Path(tempfile.mkdtemp(prefix="search-bench-"))) / f"n{articles}"
        work.mkdir(parents=True, exist_ok=True)
        if not (work / "queries.json").exists():
            progress(f"corpus of {articles} articles")
            generate(work, articles, args.seed, "archive")
        queries = json.loads((work / "queries.json").read_text(encoding="utf-8"))
        if args.query:
            queries = [query for query in queries if query["class"] in args.query]
        variants = {"ours": ""}
        variants |= dict(v.split("=", 1) for v in args.variant)
        variants = {k: v.replace("\\n", "\n") for k, v in variants.items()}
        if args.only:
            variants = {args.only: variants[args.only]}
        if not args.no_whole:
            variants[WHOLE] = f"search_part_size: {articles}\nsearch_min_parts: 1\n"
        builds = {}
        edited = edited_content(work, args.edited, args.seed) if args.edited else None
        for name, settings in variants.items():
            if args.reuse and (work / f"site-{name}" / "tim-kiem").is_dir():
                continue
            progress(f"build {name} ({articles} articles)")
            first = edited if name == WHOLE else None
            builds[name] = build(work, name, settings, args.archive, first)
            progress(f"  {builds[name]}")
            if edited and name != WHOLE:
                # the same articles after the edits, built incrementally over the first build
                builds[f"{name} after edits"] = build(
                    work, name, settings, args.archive, edited, clean=False
                )
                progress(f"  after {args.edited} edits: {builds[f'{name} after edits']}")
        sites = {name: work / f"site-{name}" for name in variants}
        searches = run_searches(sites, queries, args.throttle, args.repeat, args.sent)
        figures: dict[str, Any] = {"builds": builds, "searches": [asdict(s) for s in searches]}
        for name in variants:
            if name != WHOLE and WHOLE in variants:
                figures[f"{name} vs whole"] = rows = table(searches, name)
                print_rows(articles, rows, args.markdown, name)
        report["sizes"][articles] = figures
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True
    )
    return result.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
