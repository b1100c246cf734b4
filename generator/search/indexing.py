"""Search stage, run alongside the others: Pagefind over each index part whose
articles changed.

A part's documents (documents.document, made from the articles alone) are
written to a scratch folder, in memory (/dev/shm) when the machine has one,
and the pinned Pagefind binary indexes them as a child process, `jobs` parts
at a time. The build starts the parts as soon as the site model is known and
goes on planning, rendering and writing while they run: `poll` (called
between pages) starts the next part when one ends, `finish` waits for the
last. A part indexed before (same key) is linked in from the cache instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import urls
from generator.errors import BuildFailure
from generator.infra import parallel
from generator.infra.cache import Manifest, OutputFile, digest
from generator.infra.files import files_in
from generator.search import documents, pagefind
from generator.search.parts import Part
from generator.search.stored import StoredParts
from generator.site.articles import Article

_SCRATCH_PREFIX = "archive-search-"


@dataclass(slots=True)
class _Running:
    part: Part
    process: subprocess.Popen[bytes]
    pages: Path
    log: Path


class Indexer:
    """Index parts in the background of the build, at most `jobs` at a time."""

    def __init__(
        self,
        parts: list[Part],
        staging: Path,
        stored: StoredParts,
        body_html: Callable[[Article], tuple[str, str]],  # (lead photo, body)
        jobs: int,
    ) -> None:
        self.waiting = list(parts)
        self.staging = staging
        self.stored = stored
        self.body_html = body_html
        self.jobs = max(1, jobs)
        self.running: list[_Running] = []
        self.entries: Manifest = {}
        self.problems: list[BuildFailure] = []
        self.done = 0
        self.total = len(parts)
        self.cpu = 0.0  # seconds of CPU the Pagefind runs used
        self.scratch = _scratch_folder(staging.parent)

    def poll(self) -> None:
        """Collect the parts that ended and start waiting ones; never blocks long."""
        for job in list(self.running):
            if self._ended(job, block=False):
                self.running.remove(job)
                self._collect(job)
        while self.waiting and len(self.running) < self.jobs and not self.problems:
            part = self.waiting.pop(0)
            if self._from_cache(part):
                continue
            if part.kept:  # a base part kept has no documents to index again
                folder = part.folder
                message = f"the search index part {folder} left the build cache during the build"
                self.problems.append(BuildFailure("pagefind", f"{message}; build again"))
                continue
            self.running.append(self._start(part))

    def finish(self, tick: Callable[[int, int], None] = lambda done, total: None) -> Manifest:
        """Wait for every part; the entries of the files written, or BuildFailure."""
        self.poll()
        while self.running:
            self._ended(self.running[0], block=True)
            self.poll()
            tick(self.done, self.total)
        self.close()
        if self.problems:
            raise self.problems[0]
        return self.entries

    def close(self) -> None:
        """Stop whatever still runs (a failed or interrupted build) and tidy up."""
        for job in self.running:
            with contextlib.suppress(OSError):
                job.process.kill()
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                job.process.wait(5)
        self.running = []
        self.waiting = []
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _ended(self, job: _Running, block: bool) -> bool:
        """Whether the run ended (reaped with its CPU time, which Popen does not give)."""
        process = job.process
        if process.returncode is not None:
            return True
        try:
            pid, status, usage = os.wait4(process.pid, 0 if block else os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere
            return process.poll() is not None
        if pid == 0:
            return False
        process.returncode = os.waitstatus_to_exitcode(status)
        self.cpu += usage.ru_utime + usage.ru_stime
        return True

    def _from_cache(self, part: Part) -> bool:
        """Link a part indexed by an earlier build (or CI run) in from the cache."""
        files = self.stored.find(part.key)
        if files is None:
            return False
        shutil.rmtree(self.staging / part.folder, ignore_errors=True)
        source = self.stored.folder(part.key)
        for name, (found, size) in sorted(files.items()):
            target = self.staging / part.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source / name, target)
            except OSError:
                shutil.copyfile(source / name, target)
            self.entries[f"{part.folder}/{name}"] = OutputFile(found, size, 0, part.key)
        self.done += 1
        return True

    def _start(self, part: Part) -> _Running:
        pages = self.scratch / str(part.number)
        made: set[str] = set()
        for article in part.articles:
            target = pages / urls.out_path(article.url)
            if str(target.parent) not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(str(target.parent))
            lead, body = self.body_html(article)
            text = documents.document(article, body, lead)
            target.write_bytes(text.encode("utf-8"))
        out = self.staging / part.folder
        shutil.rmtree(out, ignore_errors=True)  # the previous generation's
        log = self.scratch / f"{part.number}.log"
        with log.open("wb") as stream:
            process = subprocess.Popen(
                pagefind.command(pages, out),
                stdin=subprocess.DEVNULL,
                env=pagefind.environment(),
                stdout=stream,
                stderr=subprocess.STDOUT,
                preexec_fn=parallel.die_with_parent,
            )
        return _Running(part, process, pages, log)

    def _collect(self, job: _Running) -> None:
        shutil.rmtree(job.pages, ignore_errors=True)
        part, out = job.part, self.staging / job.part.folder
        if job.process.returncode != 0:
            output = job.log.read_text(encoding="utf-8", errors="replace")
            self.problems.append(pagefind.failure(output or f"exit {job.process.returncode}"))
            return
        pagefind.trim(out, part.primary)
        files: dict[str, str] = {}
        for name in sorted(files_in(out)):
            data = (out / name).read_bytes()
            files[name] = digest(data)
            self.entries[f"{part.folder}/{name}"] = OutputFile(files[name], len(data), 0, part.key)
        try:
            pages = _pages(part, out)
        except ValueError as error:
            self.problems.append(BuildFailure("pagefind", f"search index unreadable: {error}"))
            return
        self.stored.save(part.key, out, files, part.primary, pages)
        self.done += 1


def _pages(part: Part, out: Path) -> dict[str, tuple[str, str]]:
    """Each article's address -> (its document key, its record's Pagefind id),
    read from the fragments Pagefind wrote (a fragment's name is the id the
    search page gets with each result)."""
    by_address = {pagefind.address(urls.out_path(a.url)): a for a in part.articles}
    pages: dict[str, tuple[str, str]] = {}
    for path in sorted((out / "fragment").glob("*.pf_fragment")):
        article = by_address.get(pagefind.fragment_address(path.read_bytes()))
        if article is None:
            raise ValueError(f"{path.name} is no article of part {part.number}")
        pages[article.url] = (documents.document_key(article), path.name.split(".")[0])
    return pages


def _scratch_folder(beside: Path) -> Path:
    """A private folder for the documents: in memory when possible (thousands of
    small files are written and removed), else beside the output."""
    memory = Path("/dev/shm")
    if memory.is_dir() and os.access(memory, os.W_OK):
        _remove_stale(memory)
        with contextlib.suppress(OSError):
            return Path(tempfile.mkdtemp(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-", dir=memory))
    return Path(tempfile.mkdtemp(prefix=f".{_SCRATCH_PREFIX}{os.getpid()}-", dir=beside))


def _remove_stale(folder: Path) -> None:
    """Scratch folders left by builds that were killed (their process is gone)."""
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if not path.name.startswith(_SCRATCH_PREFIX):
                continue
            try:
                pid = int(path.name[len(_SCRATCH_PREFIX) :].split("-")[0])
                os.kill(pid, 0)
            except ProcessLookupError:
                shutil.rmtree(path, ignore_errors=True)
            except (ValueError, PermissionError):
                continue
