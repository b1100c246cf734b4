"""The editors' preview: serve a folder on 127.0.0.1, rebuild on change, reload open pages.

Not a build stage, and it knows nothing of Jinja or Pagefind: the CLI hands it
the folder to serve and a `rebuild` function that returns the problem lines of
the latest build (none when it succeeded). The build replaces the served
folder with renames, so every request looks its file up by path again.

Live reload: every HTML response gets a script (at serve time, never in the
built files) that listens to server-sent events and reloads the page when the
build generation changes. When the latest build failed, every HTML page also
gets a panel listing the problems, on top of the last good site. Script and
panel styles are files of this server's own origin, never inline, so that
pages work under the site's Content-Security-Policy.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import io
import os
import re
import secrets
import socketserver
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

PREFIX = "/__xem-truoc/"
LIVE_JS_PATH = PREFIX + "live.js"
EVENTS_PATH = PREFIX + "events"
POLL_SECONDS = 0.25
SETTLE_SECONDS = 0.1  # a save that touches several files builds once
KEEPALIVE_SECONDS = 15.0  # a comment on idle event streams finds closed tabs

LIVE_JS = """\
// Live reload for `archive serve` (the editors' preview); never part of a built site.
(function () {
  "use strict";
  var served = document.currentScript.dataset.generation;
  var events = new EventSource("/__xem-truoc/events");
  events.onmessage = function (event) {
    if (event.data !== served) {
      events.close();
      location.reload();
    }
  };
})();
"""

PANEL_CSS_PATH = PREFIX + "panel.css"
# A stylesheet of its own, not style attributes: the site's Content-Security-Policy
# (generator/pages/security.py) allows no inline styles, and the panel must show under it.
PANEL_CSS = """\
#loi-xem-truoc {
  position: sticky; top: 0; z-index: 2147483647; box-sizing: border-box; margin: 0;
  padding: 12px 16px; max-height: 60vh; overflow: auto; background: #fff4f4; color: #1a1a1a;
  border: 4px solid #c00000; font: 16px/1.5 system-ui, sans-serif; text-align: left;
}
#loi-xem-truoc p { margin: 0; }
#loi-xem-truoc .tieu-de { margin: 0 0 8px; font-weight: bold; font-size: 1.15em; color: #a00000; }
#loi-xem-truoc ul { margin: 0 0 8px; padding-left: 1.2em; }
#loi-xem-truoc li {
  font: 14px/1.45 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere;
  margin: 4px 0;
}
"""
EMPTY_PAGE = (
    '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    "<title>Chưa có bản xem trước</title>\n</head>\n<body>\n</body>\n</html>\n"
)
Snapshot = frozenset[tuple[str, int, int]]
BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def error_panel(problems: Sequence[str], site_shown: bool) -> str:
    """The alert shown above the page when the latest build failed."""
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    shown = "Bên dưới là bản xem trước tốt gần nhất." if site_shown else ""
    return (
        f'<link rel="stylesheet" href="{PANEL_CSS_PATH}">'
        '<div id="loi-xem-truoc" role="alert">'
        f'<p class="tieu-de">Chưa cập nhật được bản xem trước ({len(problems)} lỗi)</p>'
        f"<ul>{items}</ul>"
        f"<p>Sửa các dòng trên rồi lưu lại; trang sẽ tự tải lại. {shown}</p>"
        "</div>"
    )


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """(path, mtime_ns, size) of every watched file; a missing path adds nothing."""
    found: set[tuple[str, int, int]] = set()
    for root in paths:
        if root.is_dir():
            _scan(str(root), found)
        elif root.is_file():
            with contextlib.suppress(OSError):  # removed meanwhile: the next poll sees it
                info = root.stat()
                found.add((str(root), info.st_mtime_ns, info.st_size))
    return frozenset(found)


def _scan(folder: str, found: set[tuple[str, int, int]]) -> None:
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                # hidden files, editors' swap, backup and lock files (.x.swp, x.md~, #x.md#)
                if entry.name.startswith((".", "#", "~")) or entry.name.endswith("~"):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    _scan(entry.path, found)
                elif entry.is_file():
                    info = entry.stat()
                    found.add((entry.path, info.st_mtime_ns, info.st_size))
    except OSError:
        return  # removed while we looked: the listing changed, the next poll settles it


class _HTTPServer(http.server.ThreadingHTTPServer):
    # Open event streams must not keep the process alive on Ctrl+C.
    daemon_threads = True

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's full name; 127.0.0.1 needs none.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", int(self.server_address[1])


class Preview:
    """The server, the watcher, and what they share: the build generation and its problems."""

    def __init__(self, folder: Path, port: int, live: bool = True) -> None:
        """Bind 127.0.0.1:port (0 picks a free one); raises OSError when it is taken."""
        self.folder = folder
        self.live = live
        self.generation = 0
        self.problems: tuple[str, ...] = ()
        self.has_site = not live  # a folder served as is was checked by the caller
        self.instance = secrets.token_hex(4)  # a restarted server reloads open pages too
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.watcher: threading.Thread | None = None
        handler = functools.partial(Handler, preview=self)
        self.http = _HTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/"

    def publish(self, problems: Sequence[str]) -> None:
        """Record a finished build (success when problems is empty); wake every open page."""
        with self.changed:
            self.generation += 1
            self.problems = tuple(problems)
            self.has_site = self.has_site or not problems
            self.changed.notify_all()

    def state(self) -> tuple[str, tuple[str, ...], bool]:
        with self.changed:
            return f"{self.instance}-{self.generation}", self.problems, self.has_site

    def next_state(self, seen: str | None, timeout: float) -> str:
        """The generation once it differs from seen, or after timeout, whichever comes first."""
        with self.changed:
            self.changed.wait_for(lambda: self.state()[0] != seen, timeout)
            return self.state()[0]

    def watch(self, paths: Sequence[Path], rebuild: Callable[[], Sequence[str]]) -> None:
        """Build now, then rebuild and publish whenever a watched file changes (in a thread)."""
        last = snapshot(paths)  # taken first: a save during the first build is not missed
        self.publish(rebuild())
        self.watcher = threading.Thread(
            target=self._watch, args=(paths, rebuild, last), name="watcher", daemon=True
        )
        self.watcher.start()

    def _watch(
        self,
        paths: Sequence[Path],
        rebuild: Callable[[], Sequence[str]],
        last: Snapshot,
    ) -> None:
        # Polling a snapshot of mtimes and sizes needs no dependency and works the same on
        # every OS and network drive: ~2 ms for the bundled archive, ~60 ms for 10,000 files.
        pause = POLL_SECONDS
        while not self.stopping.wait(pause):
            started = time.monotonic()
            current = snapshot(paths)
            # a huge archive is polled less often rather than keep a core busy
            pause = max(POLL_SECONDS, 4 * (time.monotonic() - started))
            if current == last:
                continue
            while not self.stopping.wait(SETTLE_SECONDS):
                settled = snapshot(paths)
                if settled == current:
                    break
                current = settled
            if self.stopping.is_set():
                return
            last = current
            self.publish(rebuild())

    def wait_for_folder(self) -> None:
        """Bridge the instant between the build's two renames, when the folder is absent."""
        deadline = time.monotonic() + 1.0
        while not self.folder.is_dir() and time.monotonic() < deadline:
            time.sleep(0.01)

    def serve_forever(self) -> None:
        self.http.serve_forever()

    def close(self) -> None:
        self.stopping.set()
        if self.watcher is not None:
            self.watcher.join(timeout=10)
        self.http.server_close()


class Handler(http.server.SimpleHTTPRequestHandler):
    """Files by path, HTML with the live-reload script and the error panel added."""

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        self.preview = preview  # before super(): it handles the request right away
        super().__init__(*args, directory=str(preview.folder), **kwargs)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if self.preview.live and path == LIVE_JS_PATH:
            self._send(200, "text/javascript; charset=utf-8", LIVE_JS.encode())
        elif self.preview.live and path == PANEL_CSS_PATH:
            self._send(200, "text/css; charset=utf-8", PANEL_CSS.encode())
        elif self.preview.live and path == EVENTS_PATH:
            self._stream_events()
        else:
            super().do_GET()

    def send_head(self) -> BinaryIO | None:
        if not self.preview.state()[2]:
            status = 200 if urlsplit(self.path).path == "/" else 503
            return self._page(status, EMPTY_PAGE.encode())
        for _ in range(2):  # the build may swap the folder between our look and our read
            self.preview.wait_for_folder()
            page = self._html_file()
            if page is None:
                return super().send_head()
            with contextlib.suppress(FileNotFoundError):
                return self._page(200, page.read_bytes())
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page shows the site's own 404 page, as the published site would."""
        try:
            page = (self.preview.folder / "404.html").read_bytes() if code == 404 else None
        except OSError:
            page = None
        if page is None:
            super().send_error(code, message, explain)
        else:
            body = self._page(404, page)
            if self.command != "HEAD":
                self.wfile.write(body.read())

    def end_headers(self) -> None:
        if self.preview.live:
            self.send_header("Cache-Control", "no-cache")  # every reload asks for the new build
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for rebuild results, not for every request."""

    def _html_file(self) -> Path | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return None  # SimpleHTTPRequestHandler redirects to the slash form
            path = path / "index.html"
        return path if path.suffix in (".html", ".htm") and path.is_file() else None

    def _page(self, status: int, page: bytes) -> BinaryIO:
        """Headers for an HTML page with the preview's additions; returns the body."""
        body = self._decorate(page.decode("utf-8", "surrogateescape"))
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _decorate(self, text: str) -> bytes:
        if not self.preview.live:
            return text.encode("utf-8", "surrogateescape")
        generation, problems, has_site = self.preview.state()
        if problems:
            panel = error_panel(problems, has_site)
            text = BODY_OPEN.sub(lambda found: found.group(0) + panel, text, count=1)
        script = f'<script src="{LIVE_JS_PATH}" data-generation="{generation}" defer></script>'
        end = text.rfind("</body>")
        text = text[:end] + script + text[end:] if end >= 0 else text + script
        return text.encode("utf-8", "surrogateescape")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream_events(self) -> None:
        """Server-sent events: the generation now, then each new one, until the tab goes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen: str | None = None
        try:
            self.wfile.write(b"retry: 1000\n\n")  # reconnect soon after a restart
            while not self.preview.stopping.is_set():
                generation = self.preview.next_state(seen, KEEPALIVE_SECONDS)
                message = f"data: {generation}\n\n" if generation != seen else ": ping\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                seen = generation
        except (BrokenPipeError, ConnectionResetError):
            return  # the tab was closed or reloaded
