"""`archive serve`: the editors' live preview, run for real as a subprocess."""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import ROOT, article, run_cli, write_tree
from playwright.sync_api import Browser
from webtools import csp_violations, watch_console

from generator.commands.preview import PANEL_CSS_PATH

ARTICLE = "/2025/dai-hoi-chi-bo-tan-hoa/"
FILE = "content/2025/tan-hoa.md"
BROKEN_DATE = r"^content/2025/tan-hoa\.md:5: .+"
UPDATED = r"^Rebuilt in \d+\.\d\d s: [\d,]+ articles?"


@dataclass
class Running:
    process: subprocess.Popen[str]
    project: Path
    url: str = ""
    output: list[str] = field(default_factory=list)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def page(self, path: str) -> str:
        status, text = self.get(path)
        assert status == 200, (path, status)
        return text

    def shows(self, path: str, text: str, panel: bool = False) -> bool:
        """Whether the page holds text, and the error panel when asked for. A page asked
        for between the build's swap and the news of its success may show the new text
        with the old panel: it carries the old generation, so a browser reloads it."""
        page = self.page(path)
        return text in page and ('id="loi-xem-truoc"' in page) == panel

    def edit(self, relative: str, text: str) -> None:
        write_tree(self.project, {relative: text})

    def wait_for(self, check: Callable[[], bool], what: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, f"{what}; output: {self.text()}"
            time.sleep(0.05)

    def printed(self, pattern: str) -> str:
        """Wait for a line in the output (a page can change before its line is read)."""
        self.wait_for(lambda: self.lines(pattern) > 0, f"never printed {pattern!r}")
        return str(re.findall(pattern, self.text(), re.MULTILINE)[0])

    def lines(self, pattern: str) -> int:
        return len(re.findall(pattern, self.text(), re.MULTILINE))

    def text(self) -> str:
        return "".join(self.output)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=10)


def make_project(base: Path, files: dict[str, str | bytes]) -> Path:
    """A project folder with files (paths from its root), the real layouts and assets,
    and its own TMPDIR."""
    (base / "content").mkdir(parents=True)
    write_tree(base, files)
    for name in ("layouts", "assets"):
        (base / name).symlink_to(ROOT / name)
    (base / "tmp").mkdir()
    return base


def same_address(**fields: str) -> str:
    """The test article, edited, still at ARTICLE (a new title would give a new slug)."""
    return article(**{"slug": "dai-hoi-chi-bo-tan-hoa", **fields})


Start = Callable[..., Running]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Start `python -m generator serve --port 0 ARGS` in a project; killed at teardown."""
    started: list[Running] = []

    def run(files: dict[str, str | bytes], *args: str) -> Running:
        project = make_project(tmp_path / f"project{len(started)}", files)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(project / "tmp")}
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", "0", *args],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        preview = Running(process, project)
        started.append(preview)
        threading.Thread(target=read_output, args=(preview,), daemon=True).start()
        preview.wait_for(lambda: bool(preview.url), "no URL printed", timeout=20)
        return preview

    yield run
    for preview in started:
        if preview.process.poll() is None:
            preview.process.kill()
            preview.process.wait()


def read_output(preview: Running) -> None:
    assert preview.process.stdout is not None
    for line in preview.process.stdout:
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found and not preview.url:
            preview.url = found.group(0)
        preview.output.append(line)


def test_preview_serves_drafts_marked_and_never_writes_site(start: Start) -> None:
    preview = start(
        {
            FILE: article(),
            "content/2025/nhap.md": article(title="Bài đang viết dở", draft="true"),
        }
    )
    assert re.search(r"Preview with drafts at http://127\.0\.0\.1:\d+/", preview.text())
    home = preview.page("/")
    assert "Bài đang viết dở" in home and "Bản nháp" in home
    assert "Đại hội Chi bộ Tân Hòa" in preview.page(ARTICLE)
    draft = preview.page("/2025/bai-dang-viet-do/")
    assert "Bản nháp" in draft
    assert re.search(r'<script src="/__xem-truoc/live\.js"[^>]*defer></script></body>', draft)
    assert "EventSource" in preview.page("/__xem-truoc/live.js")
    status, missing = preview.get("/khong-co/")
    assert status == 404 and "live.js" in missing

    # one save touching several files builds once; a settings file that appears counts
    write_tree(
        preview.project,
        {
            "archive.yaml": 'title: "Kho thử nghiệm"\n',
            "content/2025/a.md": article(title="Bài A"),
            "content/2025/b.md": article(title="Bài B"),
        },
    )
    preview.wait_for(lambda: "Bài B" in preview.page("/"), "the new files never showed")
    assert "Kho thử nghiệm" in preview.page("/")
    preview.wait_for(lambda: preview.lines(UPDATED) == 2, "no line for the rebuild")
    time.sleep(0.5)  # a second rebuild, had the save caused one, would be done by now
    assert preview.lines(UPDATED) == 2, preview.text()
    assert not (preview.project / "site").exists()
    assert preview.stop() == 0
    assert not (preview.project / "site").exists()


def test_edits_rebuild_and_problems_show_over_the_last_good_site(start: Start) -> None:
    preview = start({FILE: article()})
    preview.edit(FILE, same_address(title="Đại hội Chi bộ Tân Hòa lần thứ nhất"))
    preview.wait_for(lambda: "lần thứ nhất" in preview.page(ARTICLE), "the edit never showed")
    preview.wait_for(lambda: preview.lines(UPDATED) == 2, "no line for the rebuild")

    # the problem line quotes the file: it must reach the page as text, never as markup
    preview.edit(FILE, same_address(date='"<b>2025-13-45</b>"'))
    preview.wait_for(lambda: "loi-xem-truoc" in preview.page(ARTICLE), "no error panel")
    problem = preview.printed(BROKEN_DATE)
    preview.printed("the last good preview is still served")
    page = preview.page(ARTICLE)
    assert "lần thứ nhất" in page  # the last good build is still served
    panel = page[page.index('<div id="loi-xem-truoc" role="alert"') :]
    assert panel.index("Chưa cập nhật được bản xem trước") < panel.index("</div>")
    assert f"<li>{html.escape(problem)}</li>" in panel
    assert "style=" not in panel  # the site's CSP allows no inline styles: a stylesheet
    assert "#loi-xem-truoc" in preview.page(PANEL_CSS_PATH)
    assert "<b>2025" not in page
    assert "Sửa các dòng trên rồi lưu lại; trang sẽ tự tải lại." in panel
    assert "loi-xem-truoc" in preview.page("/")

    preview.edit(FILE, same_address(title="Đại hội đã sửa"))
    preview.wait_for(lambda: preview.shows(ARTICLE, "Đại hội đã sửa"), "the fix never showed")
    assert not (preview.project / "site").exists()


def test_a_first_build_that_fails_shows_the_problems_then_the_site(start: Start) -> None:
    preview = start({FILE: article(date="2025-13-45")})
    assert "the browser shows the problems" in preview.text()
    status, page = preview.get("/")
    assert status == 200 and 'id="loi-xem-truoc"' in page and preview.lines(BROKEN_DATE) == 1
    assert "live.js" in page
    preview.edit(FILE, article())
    preview.wait_for(lambda: preview.get(ARTICLE)[0] == 200, "the site never appeared")
    assert "loi-xem-truoc" not in preview.page("/")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_exits_cleanly_and_removes_the_private_folder(start: Start, signum: int) -> None:
    preview = start({FILE: article()})
    assert list((preview.project / "tmp").iterdir())  # the private build folder
    assert preview.stop(signum) == 0
    assert "Traceback" not in preview.text()
    assert not list((preview.project / "tmp").iterdir())


def test_open_pages_reload_by_themselves(start: Start, browser: Browser) -> None:
    preview = start({FILE: article()})
    context = browser.new_context(viewport={"width": 375, "height": 740})
    console = watch_console(context)  # the preview's additions must work under the site's CSP
    page = context.new_page()
    try:
        page.goto(preview.url + ARTICLE.lstrip("/"))
        preview.edit(FILE, same_address(title="Tiêu đề mới"))
        page.wait_for_function("() => document.querySelector('h1').textContent === 'Tiêu đề mới'")
        preview.edit(FILE, same_address(date="2025-13-45"))
        panel = page.wait_for_selector("#loi-xem-truoc")
        assert panel is not None and "2025-13-45" in panel.inner_text()
        assert panel.evaluate("el => getComputedStyle(el).position") == "sticky"
        assert not csp_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        preview.edit(FILE, same_address(title="Đã sửa"))
        page.wait_for_function(
            "() => document.querySelector('h1').textContent === 'Đã sửa'"
            " && !document.getElementById('loi-xem-truoc')"
        )
    finally:
        context.close()
    assert not console, console


def test_site_flag_serves_a_built_folder_as_is(start: Start, tmp_path: Path) -> None:
    built = make_project(tmp_path / "built", {FILE: article()})
    assert run_cli("build", cwd=built).returncode == 0
    preview = start({}, "--site", str(built / "site"))
    assert preview.page(ARTICLE) == (built / "site" / ARTICLE.strip("/") / "index.html").read_text(
        encoding="utf-8"
    )
    assert preview.get("/__xem-truoc/live.js")[0] == 404
    empty = run_cli("serve", "--site", str(tmp_path / "empty"), cwd=tmp_path)
    assert empty.returncode == 1 and "holds no built site" in empty.stderr


def test_a_port_in_use_is_one_plain_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        project = make_project(tmp_path / "project", {FILE: article()})
        result = run_cli("serve", "--port", str(port), cwd=project)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and f"port {port} is already in use" in result.stderr, (
        result.stderr
    )
    assert "Traceback" not in result.stderr and not (project / "site").exists()
