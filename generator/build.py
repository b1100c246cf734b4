"""The build, as a list of stages: load -> model -> plan -> render -> write ->
search -> links -> swap. The search index is made from the model alone: its
parts are indexed from the end of the model stage on, beside plan, render
and write, and the search stage waits for the last of them.

This is the only module that writes the output. Everything is built in a new
folder beside the output and swapped in at the end, so a failed build leaves
the previously published site exactly as it was.

Builds are incremental and still exact. Every page is planned every time, and
its key is a hash of everything it is made from (its template context, the
layouts, the assets, the settings and the generator's code). A page whose key
and file are those of the site last published is not rendered again: its
file is hard-linked into the new folder. The same holds for each part of the
search index. When nothing at all changed, the build stops after reading the
content. The result is byte for byte what a clean build makes (tested).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import gc
import json
import os
import pickle
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import (
    assets,
    cache,
    feeds,
    indexing,
    linkcheck,
    model,
    parallel,
    prepared,
    registry,
    routes,
    search,
    security,
    taxonomy,
    urls,
)
from .cache import Cache, CacheDamaged, Manifest, OutputFile, digest
from .errors import BuildError, ContentError
from .render import Renderer
from .settings import Settings

# Render in worker processes from this many pages on (forking costs ~50 ms).
PARALLEL_PAGES = 400


@dataclass(frozen=True, slots=True)
class Project:
    """Where things are: the project root holds layouts/ and assets/."""

    root: Path
    content: Path
    out: Path

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def assets(self) -> Path:
        return self.root / "assets"


@dataclass(frozen=True, slots=True)
class Options:
    drafts: bool = False  # the editors' preview: drafts built too, marked as such
    strict: bool = False  # warnings stop the build like errors
    clean: bool = False  # ignore (and rebuild) the cache and the published site
    cache_dir: Path | None = None  # default: <root>/.archive-cache
    jobs: int = 0  # worker processes; 0: one per core


Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(slots=True)
class Report:
    articles: int = 0
    drafts: int = 0
    pages: int = 0
    files: int = 0
    rendered: int = 0  # pages rendered in this build (the rest were unchanged)
    written: int = 0  # files whose bytes changed
    parsed: int = 0  # article files parsed (the rest came from the cache)
    parts: int = 0  # search index parts
    indexed: int = 0  # search index parts rebuilt
    up_to_date: bool = False  # nothing changed since the last build: nothing done
    timings: dict[str, float] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    warnings: list[ContentError] = field(default_factory=list)
    on_stage: Callable[[str, float, str], None] | None = None
    progress: Progress | None = None

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - start
        if self.on_stage:
            self.on_stage(name, self.timings[name], self.details.get(name, ""))

    def tick(self, stage: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(stage, done, total)


def build(
    project: Project,
    settings: Settings,
    drafts: bool = False,
    strict: bool = False,
    options: Options | None = None,
    report: Report | None = None,
) -> Report:
    """Build the whole site or raise BuildError; never leaves a half-written site.

    With drafts=True (the editors' preview) drafts are built too, marked as such.
    With strict=True warnings stop the build like errors.
    """
    options = options or Options(drafts=drafts, strict=strict)
    report = report or Report()
    _check_out(project)
    with output_lock(project.out):
        _recover(project.out)
        cache_dir = options.cache_dir or project.root / cache.DEFAULT_DIR
        if options.clean:
            shutil.rmtree(cache_dir, ignore_errors=True)
        try:
            with cache.opened(cache_dir) as store:
                return _build(project, settings, options, report, store)
        except CacheDamaged:
            if options.clean:
                raise
            # a damaged entry was found while rendering: build again without the cache
            shutil.rmtree(cache_dir, ignore_errors=True)
            fresh = Report(on_stage=report.on_stage, progress=report.progress)
            options = replace(options, clean=True)
            with cache.opened(cache_dir) as store:
                return _build(project, settings, options, fresh, store)
        except OSError as error:  # disk full, permissions: the published site is untouched
            where = error.filename or project.out
            reason = error.strerror or str(error)
            raise BuildError(
                [ContentError(str(project.out), None, f"cannot write {where}: {reason}")]
            ) from None


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one stops with a clear message."""
    lock = out.parent / f".{out.name}.lock"
    try:
        handle = open(lock, "a+", encoding="ascii")  # noqa: SIM115 - held for the build
    except OSError as error:
        raise BuildError(
            [ContentError(str(out), None, f"cannot create the lock file {lock}: {error.strerror}")]
        ) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildError(
                [
                    ContentError(
                        str(out),
                        None,
                        f"another build is writing this folder ({holder});"
                        " wait for it to finish, then build again",
                    )
                ]
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _recover(out: Path) -> None:
    """Clean up after a build that was killed: no stale staging folders, and a
    site in place (a swap is one atomic exchange where the system has it; where
    not, a kill between its two renames leaves the published site as .prev)."""
    previous = _previous(out)
    if not out.exists() and previous.is_dir() and (previous / "index.html").is_file():
        previous.rename(out)
    for stale in out.parent.glob(f".{out.name}-new-*"):
        _remove(stale)


def _build(
    project: Project, settings: Settings, options: Options, report: Report, store: Cache
) -> Report:
    try:
        return _build_frozen(project, settings, options, report, store)
    finally:
        gc.unfreeze()  # a preview server builds again and again: let this build's objects go


def _build_frozen(
    project: Project, settings: Settings, options: Options, report: Report, store: Cache
) -> Report:
    jobs = options.jobs or parallel.cores()
    bodies = prepared.Bodies(store)
    with report.stage("scan"):
        files = prepared.scan(project.content, settings.timezone, settings.base_path, store)
        layouts_key = _folder_key(project.layouts)
        site_assets = assets.collect(project.assets)
        inputs = digest(
            prepared.code_version(),
            repr(settings),
            repr((options.drafts, options.strict)),
            layouts_key,
            repr(sorted((a.name, a.hashed) for a in site_assets.values())),
            repr(files),
            _file_key(project.content / registry.FILE_NAME),
            search.version(),
        )
        old_inputs, manifest = ("", {}) if options.clean else store.output(project.out)
        intact = _intact(project.out, manifest)
        report.details["scan"] = f"{len(files or ()):,} files"
    last = _last_report(old_inputs)
    if last.get("inputs") == inputs and len(intact) == len(manifest) and manifest:
        report.up_to_date = True
        report.files = len(manifest)
        report.articles, report.drafts = last["articles"], last["drafts"]
        report.warnings += [ContentError(*w) for w in last["warnings"]]
        return report
    site, loaded = _read(project, settings, report, options, store, bodies, jobs, files)
    # The site model lives until the end: keep the garbage collector from
    # walking it again and again (a third of the plan stage's time).
    gc.freeze()
    record = json.dumps(
        {
            "inputs": inputs,
            "articles": report.articles,
            "drafts": report.drafts,
            "warnings": [[w.path, w.line, w.message] for w in report.warnings],
        },
        ensure_ascii=False,
    )
    links = urls.Links(settings.base_path, settings.absolute_base)
    members = search.parts(site.articles, settings.search_part_size)
    report.parts = len(members)
    staging, present = _staging(project.out, store, options.clean)
    swapped = False
    indexer: indexing.Indexer | None = None
    try:
        writer = _Writer(project.out, staging, manifest, intact, present, store)
        kept, todo = _search_parts(members, writer)
        # the search index is made from the articles alone: it runs while pages are made
        indexer = indexing.Indexer(todo, staging, store, lambda a: a.body.html, jobs)
        indexer.poll()
        with report.stage("plan"):
            planned = routes.plan(site, settings, links, sorted(members))
            page_key = digest(
                prepared.code_version(),
                repr(settings),
                layouts_key,
                repr(sorted((a.name, a.hashed) for a in site_assets.values())),
            )
            keys = {route.out_path: _route_key(page_key, route) for route in planned}
        report.pages = len(planned)
        report.details["plan"] = f"{len(planned):,} pages"
        gc.freeze()  # the plan too
        indexer.poll()
        new, links_found = _render_and_write(
            project,
            settings,
            site,
            links,
            planned,
            keys,
            site_assets,
            writer,
            report,
            jobs,
            indexer.poll,
        )
        with report.stage("search"):
            new.update(kept)
            new.update(indexer.finish(lambda done, total: report.tick("search", done, total)))
            store.prune_parts({part.key for part in todo} | {e.key for e in kept.values()})
            report.indexed = len(todo)
            report.details["search"] = (
                f"{len(todo)} of {len(members)} index parts rebuilt" if members else "no articles"
            )
            if indexer.cpu:
                report.details["search"] += (
                    f" (Pagefind: {indexer.cpu:.2f} s of CPU, beside the stages above)"
                )
        with report.stage("links"):
            _check_links(project, settings, site, planned, new, links_found, writer, report)
        report.files = len(new)
        with report.stage("swap"):
            _tidy(staging, new)
            if _same(new, manifest) and len(intact) == len(manifest):
                report.details["swap"] = "nothing changed on disk"
                store.remember_output(project.out, record, new)
                # the staged folder now holds the same site: the next previous generation
                staging.rename(_previous(project.out))
                swapped = True
                store.remember_output(
                    _previous(project.out), record, _stamped(_previous(project.out), new)
                )
            else:
                after = swap(staging, project.out)
                swapped = True
                if after is not None:  # the published site's manifest goes with it
                    store.move_output(project.out, after)
                stamped = _stamped(project.out, new)
                store.remember_output(project.out, record, stamped)
                if after is None and _clone_later(project.out):
                    store.remember_output(_previous(project.out), record, stamped)
            store.prune(loaded.keys)
    finally:
        if indexer is not None:
            indexer.close()
        if not swapped and staging.exists():
            _park(staging, project.out)
    return report


def _last_report(text: str) -> dict[str, Any]:
    """What the last build of an output folder recorded of its inputs and result."""
    try:
        last = json.loads(text)
        if isinstance(last, dict) and isinstance(last.get("warnings"), list):
            return last
    except ValueError:
        pass
    return {}


def _previous(out: Path) -> Path:
    """Where the site published before the current one is kept, to be updated
    into the next one (two generations: no full copy, no full delete)."""
    return out.parent / f".{out.name}-prev"


def _staging(out: Path, store: Cache, clean: bool) -> tuple[Path, Manifest]:
    """A folder to build the next site in, and the files in it known to be good.

    The previous generation is reused when there is one: only the files
    that differ are replaced. It is first renamed, so that an interrupted
    build never leaves a half-updated folder under the name of a good one.
    """
    previous = _previous(out)
    if not clean:
        _await_clone(previous)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        if not previous.is_dir() or clean:
            if previous.is_dir():
                _remove(previous)
            return staging, {}
        _, manifest = store.output(previous)
        store.forget_output(previous)
        staging.rmdir()
        previous.rename(staging)
        present = _intact(staging, manifest)
        return staging, {name: manifest[name] for name in present}
    except BaseException:  # interrupted: no staging folder left behind
        if staging.is_dir() and any(staging.iterdir()):
            _park(staging, out)
        elif staging.is_dir():
            staging.rmdir()
        raise


_CLONE = 'cp -al -- "$1" "$2" && mv -T -- "$2" "$3" || rm -rf -- "$2"; rm -f -- "$4"'


def _clone_marker(previous: Path) -> Path:
    return previous.with_name(f"{previous.name}.cloning")


def _await_clone(previous: Path, limit: float = 60) -> None:
    """Let a background copy of the site finish: waiting for it is cheaper
    than making another one."""
    marker = _clone_marker(previous)
    deadline = time.monotonic() + limit
    while marker.exists() and time.monotonic() < deadline:
        try:
            os.kill(int(marker.read_text(encoding="ascii")), 0)
        except (OSError, ValueError):
            marker.unlink(missing_ok=True)  # the copy died: a stale marker
            return
        time.sleep(0.02)


def await_copy(out: Path) -> None:
    """Let the background copy a first build of `out` started finish (before
    the folder holding `out` is removed: the copy would write into it)."""
    _await_clone(_previous(out))


def _clone_later(out: Path) -> bool:
    """After a first build, make the previous generation in the background.

    The next build then updates that copy (hard links: no data is copied)
    instead of making one itself, which costs seconds at 10,000 articles.
    It appears under its name only once complete; a build that starts
    before that waits for it (a marker file names the copying process).
    """
    if shutil.which("cp") is None or shutil.which("mv") is None:
        return False
    previous = _previous(out)
    temporary = previous.with_name(f"{previous.name}-{os.getpid()}.tmp")
    marker = _clone_marker(previous)
    try:
        child = subprocess.Popen(
            ["sh", "-c", _CLONE, "sh", str(out), str(temporary), str(previous), str(marker)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        marker.write_text(str(child.pid), encoding="ascii")
    except OSError:
        return False
    return True


def _park(staging: Path, out: Path) -> None:
    """After a failed build: keep the folder as the previous generation (its
    files are checked before any is used again), or remove it."""
    previous = _previous(out)
    if out.is_dir() and not previous.exists():
        with contextlib.suppress(OSError):
            staging.rename(previous)
            return
    _remove(staging)


def _tidy(staging: Path, new: Manifest) -> None:
    """Remove what the previous generation had and this site does not."""
    for name in linkcheck.files_in(staging) - set(new):
        path = staging / name
        path.unlink()
        for parent in path.parents:
            if parent == staging:
                break
            try:
                parent.rmdir()  # only when empty
            except OSError:
                break


def _read(
    project: Project,
    settings: Settings,
    report: Report,
    options: Options,
    store: Cache,
    bodies: prepared.Bodies,
    jobs: int,
    files: prepared.Files | None,
) -> tuple[taxonomy.Site, prepared.Loaded]:
    """The load and model stages: the whole site in memory, or BuildError."""
    warn = report.warnings.append
    problems: list[ContentError] = []
    units = registry.EMPTY
    with report.stage("load"):
        try:
            units = registry.load(project.content, warn)
        except ContentError as error:
            problems.append(error)
        except BuildError as error:
            problems.extend(error.problems)
        loaded = prepared.load(
            project.content,
            files,
            settings.timezone,
            settings.base_path,
            store,
            bodies,
            jobs,
            lambda done, total: report.tick("load", done, total),
        )
        problems += loaded.problems
        report.warnings += loaded.warnings
        report.parsed = loaded.parsed
        total = len(loaded.inputs)
        report.details["load"] = (
            f"{total:,} files: {loaded.parsed:,} read, {total - loaded.parsed:,} from the cache"
        )
    with report.stage("model"):
        try:
            articles = model.build_articles(loaded.articles, warn, options.drafts, units)
        except BuildError as error:
            problems.extend(error.problems)
        if problems:  # the readable articles were still checked against each other
            raise BuildError(problems)
        site = taxonomy.build_site(articles, units)
    if options.strict and report.warnings:
        raise BuildError(report.warnings)
    report.drafts = sum(p.source.draft for p in loaded.articles)
    report.articles = len(articles) - (report.drafts if options.drafts else 0)
    return site, loaded


def read(
    project: Project,
    settings: Settings,
    report: Report,
    drafts: bool = False,
    strict: bool = False,
    cache_dir: Path | None = None,
) -> taxonomy.Site:
    """Load and model only (what `archive check` runs); BuildError lists every problem."""
    options = Options(drafts=drafts, strict=strict)
    with cache.opened(cache_dir or project.root / cache.DEFAULT_DIR) as store:
        files = prepared.scan(project.content, settings.timezone, settings.base_path, store)
        bodies = prepared.Bodies(store)
        site, _ = _read(project, settings, report, options, store, bodies, parallel.cores(), files)
    return site


def _route_key(base: str, route: routes.Route) -> str:
    """Everything a page is made from, hashed: equal keys make equal bytes."""
    try:
        data = pickle.dumps((route.url, route.template, route.inputs), protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return digest(base, route.url, os.urandom(16))  # unhashable: always render
    return digest(base, data)


def _folder_key(folder: Path) -> str:
    """A hash of every file's name and bytes under folder."""
    if not folder.is_dir():
        return ""
    parts: list[bytes | str] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def _file_key(path: Path) -> str:
    try:
        return digest(path.read_bytes())
    except OSError:
        return ""


def _intact(out: Path, manifest: Manifest) -> set[str]:
    """The files of the published site that are still what the last build wrote."""
    found: set[str] = set()
    folder = str(out)
    for name, entry in manifest.items():
        try:
            stat = os.stat(f"{folder}/{name}")
        except OSError:
            continue
        if stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime:
            found.add(name)
    return found


def _same(new: Manifest, old: Manifest) -> bool:
    if new.keys() != old.keys():
        return False
    return all(new[name].digest == old[name].digest for name in new)


def _stamped(out: Path, files: Manifest) -> Manifest:
    """The manifest with the size and mtime of each file written in this build
    (the others, linked or left in place, keep theirs)."""
    stamped: Manifest = dict(files)
    folder = str(out)
    for name, entry in files.items():
        if entry.mtime == 0:
            stat = os.stat(f"{folder}/{name}")
            stamped[name] = OutputFile(entry.digest, stat.st_size, stat.st_mtime_ns, entry.key)
    return stamped


# render and write -----------------------------------------------------------


@dataclass(slots=True)
class _Writer:
    """Puts files into the staging folder: nothing when the file there already
    has the bytes, a hard link to the published file when that has them, else
    a new file."""

    out: Path
    staging: Path
    manifest: Manifest  # of the published site
    intact: set[str]  # its files that are as the manifest says
    present: Manifest  # the staging folder's files known to be good
    store: Cache
    made: set[str] = field(default_factory=set)

    def _parent(self, target: Path) -> None:
        folder = str(target.parent)
        if folder not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)

    def keep(self, name: str) -> OutputFile | None:
        """Make the staged file the published one: its manifest entry (the size
        and mtime of the file now staged), or None when that is not possible."""
        published = self.manifest[name]
        have = self.present.get(name)
        if have is not None and have.digest == published.digest:
            # already there from an older generation: another file, its own mtime
            return OutputFile(published.digest, have.size, have.mtime, published.key)
        target = self._clear(name)
        try:
            os.link(self.out / name, target)
        except OSError:
            try:
                shutil.copy2(self.out / name, target)
            except OSError:
                return None
            return OutputFile(published.digest, published.size, 0, published.key)  # stamped later
        return published

    def put(self, name: str, data: bytes, key: str = "") -> tuple[OutputFile, bool]:
        """(its manifest entry, whether its bytes differ from the published file's)."""
        found = digest(data)
        old = self.manifest.get(name)
        same = old is not None and old.digest == found
        have = self.present.get(name)
        if have is not None and have.digest == found:
            return OutputFile(found, have.size, have.mtime, key), not same
        if same and old and name in self.intact:
            kept = self.keep(name)
            if kept is not None:
                return replace(kept, key=key), False
        self._clear(name).write_bytes(data)
        return OutputFile(found, len(data), 0, key), not same

    def _clear(self, name: str) -> Path:
        """The staged path, ready for a new file (never writing into a shared one)."""
        target = self.staging / name
        self._parent(target)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        return target

    def clear_folder(self, name: str) -> None:
        _remove(self.staging / name)


@dataclass(slots=True)
class _Found:
    """What the render stage learnt of the links on the pages it rendered."""

    rendered: set[str] = field(default_factory=set)
    broken: list[linkcheck.Broken] = field(default_factory=list)
    deferred: list[linkcheck.Deferred] = field(default_factory=list)


def _render_and_write(
    project: Project,
    settings: Settings,
    site: taxonomy.Site,
    links: urls.Links,
    planned: tuple[routes.Route, ...],
    keys: Mapping[str, str],
    site_assets: dict[str, assets.Asset],
    writer: _Writer,
    report: Report,
    jobs: int,
    meanwhile: Callable[[], None] = lambda: None,
) -> tuple[Manifest, _Found]:
    """Render the pages whose key changed (checking their links as they are
    made) and write every file of the site; `meanwhile` is called between
    batches of pages (the search index runs alongside)."""
    manifest, intact = writer.manifest, writer.intact
    new: Manifest = {}
    found = _Found()
    todo: list[int] = []
    extras = extra_files(site, settings, links, planned)
    every_asset = assets.outputs(site_assets, set(site_assets))
    files = {r.out_path for r in planned} | set(extras)
    files |= {urls.out_path(urls.asset(name)) for name in every_asset}
    with report.stage("render"):
        for number, route in enumerate(planned):
            name = route.out_path
            old = manifest.get(name)
            kept = old and old.key == keys[name] and name in intact and writer.keep(name)
            if kept:
                new[name] = kept
            else:
                todo.append(number)
        global _JOB
        checker = linkcheck.Checker(files, settings.base_path, settings.absolute_base)
        renderer = _renderer(project, settings, links, site_assets)
        _JOB = _RenderJob(renderer, planned, keys, writer, checker)
        referenced: set[str] = set()
        changed = 0
        results = parallel.map_unordered(
            _render_chunk,
            [todo[i : i + 64] for i in range(0, len(todo), 64)],
            jobs if len(todo) >= PARALLEL_PAGES else 1,
            chunk=1,
        )
        problems: dict[str, ContentError] = {}
        done = len(planned) - len(todo)
        for pages, broken, deferred in results:
            for name, entry, wrote, used, error in pages:
                done += 1
                if error is not None:
                    problems.setdefault(str(error), error)
                    continue
                assert entry is not None
                new[name] = entry
                changed += wrote
                referenced |= used
                found.rendered.add(name)
            found.broken += broken
            found.deferred += deferred
            report.tick("render", done, len(planned))
            meanwhile()
        _JOB = None
        if problems:
            raise BuildError(problems.values())
        report.rendered = len(todo)
        report.details["render"] = (
            f"{len(todo):,} pages rendered, {len(planned) - len(todo):,} unchanged"
        )
    with report.stage("write"):
        if len(todo) < len(planned):  # pages kept from the last build use the assets it wrote
            referenced |= {name for name in site_assets if _asset_kept(site_assets[name], manifest)}
        for name, text in sorted(extras.items()):
            entry, wrote = writer.put(name, text.encode("utf-8"))
            new[name] = entry
            changed += wrote
        for relative, asset in sorted(assets.outputs(site_assets, referenced).items()):
            name = urls.out_path(urls.asset(relative))
            data = asset.data if asset.data is not None else asset.source.read_bytes()
            entry, wrote = writer.put(name, data)
            new[name] = entry
            changed += wrote
        report.written = changed
        report.details["write"] = f"{changed:,} files changed"
    return new, found


def _asset_kept(asset: assets.Asset, manifest: Manifest) -> bool:
    """Whether the last build published the asset's hashed copy (a layout used it)."""
    return urls.out_path(urls.asset(asset.hashed)) in manifest


def _renderer(
    project: Project, settings: Settings, links: urls.Links, site_assets: dict[str, assets.Asset]
) -> Renderer:
    used: set[str] = set()

    def asset_href(path: str) -> str:
        found = site_assets.get(path)
        if found is None:
            raise ValueError(f"asset '{path}' not found in {project.assets}")
        used.add(path)
        return links.href(urls.asset(found.hashed))

    site_view = {"title": settings.title, "description": settings.description}
    named = {name: links.href(url) for name, url in urls.NAMED.items()}
    page_globals = {"site": site_view, "pages": named, "csp": security.CSP}
    renderer = Renderer(project.layouts, page_globals, links, asset_href)
    renderer.used = used
    return renderer


@dataclass(slots=True)
class _RenderJob:
    """What render workers need; set before they fork, so nothing is pickled."""

    renderer: Renderer
    planned: tuple[routes.Route, ...]
    keys: Mapping[str, str]
    writer: _Writer
    checker: linkcheck.Checker


_JOB: _RenderJob | None = None

_Page = tuple[str, OutputFile | None, bool, set[str], ContentError | None]


def _render_chunk(
    numbers: list[int],
) -> tuple[list[_Page], list[linkcheck.Broken], list[linkcheck.Deferred]]:
    """Render, check and write some pages (in a worker, or in the build's process)."""
    job = _JOB
    assert job is not None
    pages: list[_Page] = []
    broken: list[linkcheck.Broken] = []
    job.checker.deferred = []
    for number in numbers:
        route = job.planned[number]
        name = route.out_path
        job.renderer.used.clear()
        try:
            html = job.renderer.render(route)
        except ContentError as error:
            pages.append((name, None, False, set(), error))
            continue
        entry, wrote = job.writer.put(name, html.encode("utf-8"), job.keys[name])
        ids = functools.partial(_own_ids, name, html)
        broken += job.checker.page(name, linkcheck.matches_of(html), ids)
        pages.append((name, entry, wrote, set(job.renderer.used), None))
    return pages, broken, job.checker.deferred


def _own_ids(name: str, html: str, target: str) -> frozenset[str] | None:
    """A rendered page's ids; None for another page (judged once all are written)."""
    return linkcheck.own_ids(html) if target == name else None


# search ---------------------------------------------------------------------


def _search_parts(
    members: Mapping[int, list[model.Article]], writer: _Writer
) -> tuple[Manifest, list[indexing.Part]]:
    """The index parts published before and still right (their files linked in
    as they were), and the parts to index."""
    kept: Manifest = {}
    todo: list[indexing.Part] = []
    version = f"{search.version()} {prepared.code_version()}"
    old_parts: dict[str, dict[str, OutputFile]] = {}
    for name, entry in writer.manifest.items():
        if name.startswith(search.BUNDLE + "/"):
            old_parts.setdefault(name.split("/")[1], {})[name] = entry
    primary = min(members, default=0)
    for number, articles in sorted(members.items()):
        documents = [(a.url, search.document_key(a)) for a in articles]
        key = search.part_key(version, number == primary, documents)
        old = old_parts.get(str(number), {})
        staged = (
            {n: writer.keep(n) for n in old}
            if old and all(e.key == key and n in writer.intact for n, e in old.items())
            else {}
        )
        if staged and all(staged.values()):
            kept.update({n: e for n, e in staged.items() if e is not None})
        else:
            todo.append(indexing.Part(number, tuple(articles), key, number == primary))
    return kept, todo


# links ----------------------------------------------------------------------


def _check_links(
    project: Project,
    settings: Settings,
    site: taxonomy.Site,
    planned: tuple[routes.Route, ...],
    new: Manifest,
    found: _Found,
    writer: _Writer,
    report: Report,
) -> None:
    """Raise BuildError naming every link, image or asset that points nowhere.

    Rendered pages had their links checked as they were made; links into
    anchors of other pages are settled here. Pages kept from the last build
    were checked then: they are checked again only when a file went away or
    a page lost an anchor.
    """
    staging = writer.staging
    ids_read: dict[str, frozenset[str] | None] = {}

    def ids(name: str) -> frozenset[str] | None:
        if name not in ids_read:
            try:
                html = (staging / name).read_text(encoding="utf-8", errors="replace")
                ids_read[name] = linkcheck.links_of(html).ids
            except OSError:
                ids_read[name] = frozenset()
        return ids_read[name]

    broken = list(found.broken)
    for link in found.deferred:
        anchors = ids(link.target)
        if anchors is not None and link.fragment not in anchors:
            url = linkcheck.page_url(link.target)
            reason = linkcheck.missing_anchor(url, link.page, link.fragment)
            broken.append(linkcheck.Broken(link.page, link.href, reason))
    names = [r.out_path for r in planned if r.out_path.endswith(".html")]
    kept = [name for name in names if name not in found.rendered]
    gone = [n for n in writer.manifest if n not in new and not n.startswith(search.BUNDLE + "/")]
    again = bool(kept) and (bool(gone) or _lost_anchor(project.out, found.rendered, ids, writer))
    if again:
        checker = linkcheck.Checker(set(new), settings.base_path, settings.absolute_base)
        for name in kept:
            html = (staging / name).read_text(encoding="utf-8", errors="replace")
            broken += checker.page(name, linkcheck.matches_of(html), ids)
    checked = len(found.rendered) + (len(kept) if again else 0)
    report.details["links"] = f"{checked:,} pages checked"
    if broken:
        broken.sort(key=lambda b: (b.page, b.target))
        sources = {article.url: article.source for article in site.articles}
        templates = {route.url: route.template for route in planned}
        raise BuildError(
            linkcheck.locate(broken, sources, templates, project.layouts, settings.base_path)
        )


def _lost_anchor(
    out: Path,
    rendered: set[str],
    ids: Callable[[str], frozenset[str] | None],
    writer: _Writer,
) -> bool:
    """Whether a page rendered again lost an id it had in the published site."""
    for name in rendered:
        if name in writer.intact:
            try:
                old = linkcheck.links_of((out / name).read_text(encoding="utf-8")).ids
            except OSError:
                continue
            if not old <= (ids(name) or frozenset()):
                return True
    return False


# output folder ----------------------------------------------------------------


def _check_out(project: Project) -> None:
    """Refuse an output folder whose replacement would destroy sources."""
    out = project.out.resolve()
    protected = [Path.cwd().resolve(), project.root.resolve(), project.content.resolve()]
    protected += [project.layouts.resolve(), project.assets.resolve()]
    for path in protected:
        if out == path or out in path.parents:
            raise BuildError(
                [ContentError(str(project.out), None, f"the output folder must not contain {path}")]
            )
    if out.exists() and not out.is_dir():
        raise BuildError(
            [ContentError(str(project.out), None, "the output path is a file, not a folder")]
        )
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise BuildError(
            [
                ContentError(
                    str(project.out),
                    None,
                    "the output folder is not empty and holds no site; choose another --out",
                )
            ]
        )
    out.parent.mkdir(parents=True, exist_ok=True)


def extra_files(
    site: taxonomy.Site,
    settings: Settings,
    links: urls.Links,
    planned: tuple[routes.Route, ...],
) -> dict[str, str]:
    """Feeds, robots.txt, and sitemap.xml when the site's absolute address is known."""
    files = {"robots.txt": feeds.robots(links), "_headers": security.headers_file(links.base_path)}
    if settings.absolute_base:
        files["sitemap.xml"] = feeds.sitemap(planned, links)
    size = settings.feed_size
    made = [(settings.title, urls.FEED, urls.HOME, site.articles[:size])]
    made += [
        (
            f"{g.name} – {settings.title}",
            urls.unit_feed(g.slug),
            urls.unit(g.slug),
            g.articles[:size],
        )
        for g in site.units
        if g.articles
    ]
    made += [
        (
            f"Nhiệm kỳ {g.name} – {settings.title}",
            urls.term_feed(g.slug),
            urls.term(g.slug),
            g.articles[:size],
        )
        for g in site.terms
    ]
    for title, feed_url, page_url, articles in made:
        text = feeds.atom(title, feed_url, page_url, articles, links, settings.title)
        files[urls.out_path(feed_url)] = text
    return files


def swap(staging: Path, out: Path) -> Path | None:
    """Put the new site in place of the old one; the old one becomes the
    previous generation (returned), to be updated next time.

    The two folders are exchanged in one atomic step (Linux renameat2), so
    that a reader or a kill never finds the output folder missing or mixed.
    """
    os.chmod(staging, 0o755)
    if not out.exists():
        staging.rename(out)
        return None
    previous = _previous(out)
    if previous.exists():
        _remove(previous)
    if _exchange(staging, out):
        staging.rename(previous)  # the old site, now at the staging path
    else:
        out.rename(previous)
        staging.rename(out)
    return previous


_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    done = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(done == 0)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
