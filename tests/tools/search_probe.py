"""Measure what a reader's search costs: requests, bytes and time in headless Chromium.

Usage: python tests/tools/search_probe.py SITE_DIR "q=dai+hoi" "q=dai+hoi&year=2020" "unit=..."
Each argument is the query string of a /tim-kiem/ address; every search runs in
a fresh browser context (nothing cached). Build a large site first, e.g.
    python tests/bench/run.py --articles 10000 --only ours --keep /tmp/big  (site in /tmp/big/n10000/)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import Response

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from webtools import chromium, served

DONE = "() => ['done', 'idle'].includes(document.getElementById('search-status').dataset.state)"


def record(response: Response, sizes: list[int]) -> None:
    if "/pagefind/" in response.url:
        sizes.append(int(response.headers.get("content-length", 0)))


def main() -> None:
    site, queries = Path(sys.argv[1]), sys.argv[2:]
    with served(site) as base, chromium() as browser:
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []
            page.on("response", lambda r, sizes=sizes: record(r, sizes))
            start = time.perf_counter()
            page.goto(f"{base}/tim-kiem/?{query}")
            page.wait_for_function(DONE, timeout=120_000)
            seconds = time.perf_counter() - start
            status = page.locator("#search-status").inner_text()
            print(
                f"{query}: {status} | {len(sizes)} requests, {sum(sizes) / 1e6:.2f} MB, {seconds:.1f} s"
            )
            context.close()


if __name__ == "__main__":
    main()
