"""The build, as a list of stages: scan -> load -> images -> model -> plan -> render ->
write -> search -> links -> swap.

The search index is made from the model alone: its parts are indexed from
the end of the model stage on, beside plan, render and write, and the search
stage waits for the last of them. Everything is built in a new folder
beside the output and swapped in at the end (publish.py), so a failed build
leaves the previously published site exactly as it was.

Builds are incremental and still exact. Every page is planned every time, and
its key is a hash of everything it is made from (keys.py). A page whose key
and file are those of the site last published is not rendered again: its
file is hard-linked into the new folder. The same holds for each part of the
search index. When nothing at all changed, the build stops after the scan.
The result is byte for byte what a clean build makes (tested).
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from generator import urls
from generator.build import keys, lock, publish
from generator.build.links import check_links
from generator.build.load import (
    Checked,
    LastBuild,
    Modelled,
    Read,
    Scanned,
    images,
    load,
    model,
    modelled_or_problems,
    parsing,
    scan,
)
from generator.build.rendering import Planned, Rendered, Written, render, write
from generator.build.run import Clock, Options, Project, Report, Run
from generator.build.writer import Writer
from generator.content import load as content_load
from generator.errors import BuildError, BuildFailure, StaleInput
from generator.infra import cache, parallel
from generator.infra.cache import Cache, Manifest
from generator.pages import assets, figures, routes
from generator.search import parts
from generator.search.indexing import Indexer
from generator.search.parts import Indexed, Layout, Part
from generator.search.stored import StoredParts
from generator.settings import Settings
from generator.site.articles import Article
from generator.site.groups import Site


def build(
    project: Project, settings: Settings, options: Options | None = None, clock: Clock | None = None
) -> Report:
    """Build the whole site or raise BuildError/BuildFailure; never leaves a
    half-written site. `clock` times the stages and tells the caller."""
    options, clock = options or Options(), clock or Clock()
    sources = [project.root, project.content, project.layouts, project.assets]
    lock.check_out(project.out, sources)
    with lock.output_lock(project.out):
        publish.recover(project.out)
        cache_dir = options.cache_dir or project.root / cache.DEFAULT_DIR
        if options.clean:
            shutil.rmtree(cache_dir, ignore_errors=True)
        try:
            try:
                return _build(project, settings, options, clock, cache_dir)
            except StaleInput:
                if options.clean:
                    raise
                # a damaged entry was found while rendering: build again without the cache
                shutil.rmtree(cache_dir, ignore_errors=True)
                again = replace(options, clean=True)
                return _build(project, settings, again, clock, cache_dir)
        except OSError as error:  # disk full, permissions: the published site is untouched
            where = error.filename or project.out
            reason = error.strerror or str(error)
            raise BuildFailure(str(project.out), f"cannot write {where}: {reason}") from None


def _build(
    project: Project, settings: Settings, options: Options, clock: Clock, cache_dir: Path
) -> Report:
    with cache.opened(cache_dir) as store:
        run = _run(project, settings, options, clock, store)
        try:
            return _stages(run)
        finally:
            gc.enable()
            gc.unfreeze()  # a preview server builds again and again: let this build's objects go


def _run(
    project: Project,
    settings: Settings,
    options: Options,
    clock: Clock,
    store: Cache,
    with_assets: bool = True,
) -> Run:
    """The run object; `archive check` reads no assets (it renders nothing)."""
    links = urls.Links(settings.base_path, settings.absolute_base)
    jobs = options.jobs or parallel.cores()
    found = assets.collect(project.assets) if with_assets else {}
    bodies = content_load.Bodies(store)
    return Run(project, settings, options, links, found, jobs, store, bodies, clock)


def _stages(run: Run) -> Report:
    clock, out = run.clock, run.project.out
    scanned = clock.time("scan", scan, run)
    if scanned.up_to_date:
        return scanned.report()
    read = clock.time("load", load, run, scanned.files, scanned.hashed)
    pictured = clock.time("images", images, run, read)
    # Modelling and planning make millions of objects and keep nearly all of
    # them: the collector would only walk them again and again (40% of the
    # plan stage at 100,000 articles). It is off until the plan is made, and
    # what they made is frozen out of its way for the rest of the build.
    gc.disable()
    modelled = clock.time("model", model, run, read, pictured)
    gc.freeze()
    settings = run.settings
    members = parts.split(
        modelled.site.articles, settings.search_part_size, settings.search_min_parts
    )
    with publish.Generation(out, run.store, run.options.clean) as generation:
        writer = Writer(
            out, generation.staging, scanned.manifest, scanned.intact, generation.present
        )
        stored = StoredParts(run.store)
        layout = parts.layout(members, _indexed_before(writer.manifest, stored))
        kept, todo = parts.reusable(layout.parts, *writer.published())
        # the search index is made from the articles alone: it runs while pages are made
        html = partial(_html, run.links)
        indexer = Indexer(todo, generation.staging, stored, html, run.jobs)
        try:
            indexer.poll()
            planned = clock.time("plan", _plan, run, modelled.site, layout, scanned)
            gc.freeze()  # the plan too
            gc.enable()  # rendering makes garbage (in this process, for a small site)
            indexer.poll()
            rendered = clock.time("render", render, run, planned, writer, indexer.poll)
            assert pictured.store is not None
            written = clock.time("write", write, run, planned, rendered, writer, pictured.store)
            indexed = clock.time(
                "search", _index, run, indexer, stored, kept, todo, len(layout.parts)
            )
        finally:
            indexer.close()
        new = {**rendered.entries, **written.entries, **indexed.entries}
        clock.time("links", check_links, run, modelled.site, planned, new, rendered.found, writer)
        record = LastBuild(scanned.inputs, modelled.articles, modelled.drafts, modelled.warnings)
        clock.time("swap", _swap, run, generation, scanned, new, record, read)
        pictured.store.prune(set(pictured.pictures))
    return _report(clock, read, modelled, planned, rendered, written, indexed, len(new))


def _html(links: urls.Links, article: Article) -> tuple[str, str]:
    """An article's lead photo and body, as its page shows them (for its search document)."""
    return str(figures.lead_html(article, links)), str(figures.body_html(article, links))


def _indexed_before(published: Manifest, stored: StoredParts) -> Callable[[int], Indexed | None]:
    """What each published index part held, when the build cache still has it."""
    keys: dict[str, str] = {}
    for name, entry in published.items():
        if urls.in_search_bundle(name):
            keys.setdefault(urls.search_part_of(name), entry.key)

    def before(number: int) -> Indexed | None:
        key = keys.get(str(number))
        return stored.indexed(key) if key else None

    return before


def _plan(run: Run, site: Site, layout: Layout, scanned: Scanned) -> Planned:
    made = routes.plan(site, run.settings, run.links, layout)
    return Planned(made, {r.out_path: keys.route_key(scanned.design, r) for r in made.pages})


@dataclass(frozen=True, slots=True)
class _Indexed:
    entries: Manifest
    parts: int
    rebuilt: int
    cpu: float  # seconds of CPU the Pagefind runs used

    @property
    def detail(self) -> str:
        if not self.parts:
            return "no articles"
        detail = f"{self.rebuilt} of {self.parts} index parts rebuilt"
        if self.cpu:
            detail += f" (Pagefind: {self.cpu:.2f} s of CPU, beside the stages above)"
        return detail


def _index(
    run: Run,
    indexer: Indexer,
    stored: StoredParts,
    kept: Manifest,
    todo: list[Part],
    total: int,
) -> _Indexed:
    """Wait for the index parts that run beside the other stages."""
    entries = {**kept, **indexer.finish(run.clock.ticker("search"))}
    stored.prune({part.key for part in todo} | {e.key for e in kept.values()})
    return _Indexed(entries, total, len(todo), indexer.cpu)


@dataclass(frozen=True, slots=True)
class _Swapped:
    detail: str


def _swap(
    run: Run,
    generation: publish.Generation,
    scanned: Scanned,
    new: Manifest,
    record: LastBuild,
    read: Read,
) -> _Swapped:
    """Publish the new site (unless it is byte for byte the published one) and
    forget the parsed files no content file has any more."""
    unchanged = publish.same(new, scanned.manifest) and len(scanned.intact) == len(scanned.manifest)
    detail = generation.publish(new, unchanged, record.to_json())
    run.store.prune(read.loaded.keys)
    return _Swapped(detail)


def _report(
    clock: Clock,
    read: Read,
    modelled: Modelled,
    planned: Planned,
    rendered: Rendered,
    written: Written,
    indexed: _Indexed,
    files: int,
) -> Report:
    return Report(
        articles=modelled.articles,
        drafts=modelled.drafts,
        pages=len(planned.plan.pages),
        files=files,
        rendered=rendered.rendered,
        written=written.changed,
        parsed=read.loaded.parsed,
        parts=indexed.parts,
        indexed=indexed.rebuilt,
        timings=dict(clock.timings),
        details=dict(clock.details),
        warnings=modelled.warnings,
    )


def check(project: Project, settings: Settings, drafts: bool = False) -> Checked:
    """Load and model only (what `archive check` runs): the site, or every problem."""
    clock = Clock()
    with cache.opened(project.root / cache.DEFAULT_DIR) as store:
        run = _run(project, settings, Options(drafts=drafts), clock, store, with_assets=False)
        try:
            files = content_load.scan(project.content, parsing(run), store)
        except BuildError as error:
            return Checked(None, error.problems, ())
        read = load(run, files)
        return modelled_or_problems(read, drafts, images(run, read))
