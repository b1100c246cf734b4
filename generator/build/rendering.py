"""Render and write stages: the pages whose key changed, then every other file.

Pages are rendered in forked worker processes when there are many (forking
costs about 50 ms). Each worker renders, checks the links of, and writes a
batch of pages; only manifest entries and link findings come back. What
the workers need is put in a module global before they fork, so nothing is
pickled on the way in: the site model is shared, not copied.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from generator import urls
from generator.build import linkcheck
from generator.build.run import Run
from generator.build.writer import Writer
from generator.errors import BuildError, ContentError
from generator.images.store import Store
from generator.infra import parallel
from generator.infra.cache import Manifest, OutputFile, digest
from generator.pages import assets
from generator.pages.render import Renderer
from generator.pages.routes import Plan

# Render in worker processes from this many pages on (forking costs ~50 ms).
PARALLEL_PAGES = 400
_BATCH = 64  # pages per batch a worker takes


@dataclass(frozen=True, slots=True)
class Planned:
    """The plan stage's result: every output, and the key of each page."""

    plan: Plan
    keys: Mapping[str, str]  # output path -> key

    @property
    def detail(self) -> str:
        return f"{len(self.plan.pages):,} pages"


@dataclass(slots=True)
class Found:
    """What the render stage learnt of the links on the pages it rendered."""

    rendered: set[str] = field(default_factory=set)
    broken: list[linkcheck.Broken] = field(default_factory=list)
    deferred: list[linkcheck.Deferred] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Rendered:
    entries: Manifest  # every page, rendered or kept
    found: Found
    rendered: int  # pages rendered in this build
    unchanged: int
    changed: int  # files whose bytes changed
    assets: frozenset[str]  # assets the rendered pages named

    @property
    def detail(self) -> str:
        return f"{self.rendered:,} pages rendered, {self.unchanged:,} unchanged"


@dataclass(frozen=True, slots=True)
class Written:
    entries: Manifest  # the files and assets
    changed: int  # files whose bytes changed, pages included

    @property
    def detail(self) -> str:
        return f"{self.changed:,} files changed"


@dataclass(frozen=True, slots=True)
class _Job:
    """What render workers need; set before they fork, so nothing is pickled."""

    renderer: Renderer
    planned: Planned
    writer: Writer
    checker: linkcheck.Checker


_JOB: _Job | None = None

_Page = tuple[str, OutputFile | None, bool, frozenset[str], ContentError | None]


def render(
    run: Run, planned: Planned, writer: Writer, meanwhile: Callable[[], None] = lambda: None
) -> Rendered:
    """Render the pages whose key changed, checking their links as they are made;
    `meanwhile` is called between batches (the search index runs alongside)."""
    global _JOB
    pages = planned.plan.pages
    entries, todo = _kept(planned, writer)
    _JOB = _Job(_renderer(run), planned, writer, _checker(run, planned))
    found, problems = Found(), dict[str, ContentError]()
    changed, used = 0, set[str]()
    batches = [todo[i : i + _BATCH] for i in range(0, len(todo), _BATCH)]
    jobs = run.jobs if len(todo) >= PARALLEL_PAGES else 1
    done = len(pages) - len(todo)
    try:
        for results, broken, deferred in parallel.map_unordered(_render_batch, batches, jobs, 1):
            for name, entry, wrote, named, error in results:
                done += 1
                if error is not None:
                    problems.setdefault(str(error), error)
                elif entry is not None:
                    entries[name] = entry
                    changed += wrote
                    used |= named
                    found.rendered.add(name)
            found.broken += broken
            found.deferred += deferred
            run.clock.tick("render", done, len(pages))
            meanwhile()
    finally:
        _JOB = None
    if problems:
        raise BuildError(problems.values())
    return Rendered(entries, found, len(todo), len(pages) - len(todo), changed, frozenset(used))


def _kept(planned: Planned, writer: Writer) -> tuple[Manifest, list[int]]:
    """The pages published with the same key (kept as they are), and the
    numbers of the pages to render."""
    entries: Manifest = {}
    todo: list[int] = []
    for number, route in enumerate(planned.plan.pages):
        kept = writer.kept(route.out_path, planned.keys[route.out_path])
        if kept:
            entries[route.out_path] = kept
        else:
            todo.append(number)
    return entries, todo


def _renderer(run: Run) -> Renderer:
    project = run.project
    return Renderer(project.layouts, run.settings, run.links, run.assets, project.assets)


def _checker(run: Run, planned: Planned) -> linkcheck.Checker:
    """A link checker that knows every file the site will have."""
    every_asset = assets.outputs(run.assets, set(run.assets))
    files = planned.plan.out_paths.including(urls.out_path(urls.asset(n)) for n in every_asset)
    return linkcheck.Checker(files, run.settings.base_path, run.settings.absolute_base)


def _render_batch(
    numbers: list[int],
) -> tuple[list[_Page], list[linkcheck.Broken], list[linkcheck.Deferred]]:
    """Render, check and write some pages (in a worker, or in the build's process)."""
    job = _JOB
    assert job is not None
    pages: list[_Page] = []
    broken: list[linkcheck.Broken] = []
    job.checker.deferred = []
    for number in numbers:
        route = job.planned.plan.pages[number]
        name = route.out_path
        try:
            html, named = job.renderer.render(route)
        except ContentError as error:
            pages.append((name, None, False, frozenset(), error))
            continue
        entry, wrote = job.writer.put(name, html.encode("utf-8"), job.planned.keys[name])
        ids = functools.partial(_own_ids, name, html)
        broken += job.checker.page(name, linkcheck.matches_of(html), ids)
        pages.append((name, entry, wrote, named, None))
    return pages, broken, job.checker.deferred


def _own_ids(name: str, html: str, target: str) -> frozenset[str] | None:
    """A rendered page's ids; None for another page (judged once all are written)."""
    return linkcheck.own_ids(html) if target == name else None


def write(run: Run, planned: Planned, rendered: Rendered, writer: Writer, store: Store) -> Written:
    """Write the files that are not pages (feeds, sitemap, ...), the pictures
    (linked from the image store) and the assets the pages name (every asset
    keeps its plain name too, but CSS and JS)."""
    entries: Manifest = {}
    changed = rendered.changed
    used = set(rendered.assets)
    if rendered.unchanged:  # pages kept from the last build use the assets it wrote
        used |= {name for name, asset in run.assets.items() if _published(asset, writer.manifest)}
    for route in sorted(planned.plan.files, key=lambda r: r.out_path):
        entry, wrote = writer.put(route.out_path, route.text().encode("utf-8"))
        entries[route.out_path] = entry
        changed += wrote
    for picture in planned.plan.pictures:
        source = store.folder_of(picture.key)
        files = [(f.name, picture.url(f).rpartition("/")[2]) for f in picture.files]
        identity = digest(picture.key, *(shown for _, shown in files))
        entry, wrote = writer.link_folder(picture.folder, source, files, identity)
        entries[picture.folder] = entry
        changed += len(files) if wrote else 0
    for relative, asset in sorted(assets.outputs(run.assets, used).items()):
        name = urls.out_path(urls.asset(relative))
        data = asset.data if asset.data is not None else asset.source.read_bytes()
        entry, wrote = writer.put(name, data)
        entries[name] = entry
        changed += wrote
    return Written(entries, changed)


def _published(asset: assets.Asset, manifest: Manifest) -> bool:
    """Whether the last build published the asset's hashed copy (a layout used it)."""
    return urls.out_path(urls.asset(asset.hashed)) in manifest
