"""Headless Chromium for the browser tests, and a throwaway local web server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is missing: run tests/setup-browser.sh (the README's test command does)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: Mapping[str, str] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def served(folder: Path, headers: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve folder on 127.0.0.1 (a free port) and yield its base URL.

    `headers` are sent with every response, as a host reading `_headers` would.
    """
    handler_class = type("Handler", (QuietHandler,), {"extra_headers": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# Recorded in every page before its own scripts run; the console catches the rest
# (violations inside Pagefind's worker, scripts that fail to load).
_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`,
  );
});
"""


def watch_console(context: BrowserContext) -> list[str]:
    """Every error and warning any page or worker of context prints, and every
    Content-Security-Policy violation; read it after the pages are done."""
    problems: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning") and message.text not in problems:
            problems.append(message.text)

    context.add_init_script(_VIOLATIONS)
    context.on("console", note)
    return problems


def csp_violations(page: Page) -> list[str]:
    """Violations the open page recorded (see watch_console)."""
    return list(page.evaluate("window.__violations || []"))
