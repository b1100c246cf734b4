"""Take screenshots of built pages in headless Chromium, as a reader sees them.

Usage: python tests/tools/screenshot.py SITE_DIR OUT_DIR URL [URL ...] [--width 390]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from webtools import CHROMIUM, FLAGS, QuietHandler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    args = parser.parse_args()
    handler = functools.partial(QuietHandler, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        for url in args.urls:
            page.goto(base + url, wait_until="networkidle")
            if page.locator("#search-status").count():
                page.wait_for_selector("#search-status[data-state]")
            name = re.sub(r"[^a-z0-9]+", "_", url.lower()).strip("_") or "home"
            target = args.out / f"{name}-{args.width}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
