"""The build, as a list of stages: load -> model -> plan -> render -> write ->
search -> links -> swap.

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
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import (
    assets,
    cache,
    feeds,
    linkcheck,
    model,
    parallel,
    prepared,
    registry,
    routes,
    search,
    taxonomy,
    urls,
)
from .cache import Cache, Manifest, OutputFile, digest
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
    cache_dir = options.cache_dir or project.root / cache.DEFAULT_DIR
    if options.clean:
        shutil.rmtree(cache_dir, ignore_errors=True)
    with cache.opened(cache_dir) as store:
        return _build(project, settings, options, report, store)


def _build(
    project: Project, settings: Settings, options: Options, report: Report, store: Cache
) -> Report:
    jobs = options.jobs or parallel.cores()
    bodies = prepared.Bodies(store)
    site, loaded = _read(project, settings, report, options, store, bodies, jobs)
    layouts_key = _folder_key(project.layouts)
    site_assets = assets.collect(project.assets)
    inputs = digest(
        prepared.code_version(),
        repr(settings),
        repr((options.drafts, options.strict)),
        layouts_key,
        repr(sorted((a.name, a.hashed) for a in site_assets.values())),
        repr(loaded.inputs),
        _file_key(project.content / registry.FILE_NAME),
        search.version(),
    )
    old_inputs, manifest = ("", {}) if options.clean else store.output(project.out)
    intact = _intact(project.out, manifest)
    if inputs == old_inputs and len(intact) == len(manifest) and manifest:
        report.up_to_date = True
        report.files = len(manifest)
        return report
    links = urls.Links(settings.base_path, settings.absolute_base)
    members = search.parts(site.articles, settings.search_part_size)
    report.parts = len(members)
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
    staging = Path(tempfile.mkdtemp(prefix=f".{project.out.name}-new-", dir=project.out.parent))
    try:
        writer = _Writer(project.out, staging, manifest, intact)
        new, page_links = _render_and_write(
            project, settings, site, links, planned, keys, site_assets, writer, report, jobs
        )
        with report.stage("search"):
            new.update(_index(members, new, writer, jobs, report))
        with report.stage("links"):
            _check_links(project, settings, site, planned, new, page_links, writer, report)
        report.files = len(new)
        with report.stage("swap"):
            if _same(new, manifest) and len(intact) == len(manifest):
                report.details["swap"] = "nothing changed on disk"
            else:
                swap(staging, project.out)
                # after the swap the new files are where the manifest says
                new = _stamped(project.out, new)
            store.remember_output(project.out, inputs, new)
            store.prune(loaded.keys)
    finally:
        if staging.exists():
            _remove(staging)
    return report


def _read(
    project: Project,
    settings: Settings,
    report: Report,
    options: Options,
    store: Cache,
    bodies: prepared.Bodies,
    jobs: int,
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
        site, _ = _read(
            project, settings, report, options, store, prepared.Bodies(store), parallel.cores()
        )
    return site


def _route_key(base: str, route: routes.Route) -> str:
    """Everything a page is made from, hashed: equal keys make equal bytes."""
    try:
        data = pickle.dumps((route.url, route.template, route.context), protocol=5)
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
    for name, entry in manifest.items():
        try:
            stat = os.stat(out / name)
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
    """The manifest with each file's size and mtime as they are on disk now."""
    stamped: Manifest = {}
    for name, entry in files.items():
        stat = os.stat(out / name)
        stamped[name] = OutputFile(entry.digest, stat.st_size, stat.st_mtime_ns, entry.key)
    return stamped


# render and write -----------------------------------------------------------


@dataclass(slots=True)
class _Writer:
    """Puts files into the staging folder: a hard link to the published file
    when the bytes are the same, else a new file."""

    out: Path
    staging: Path
    manifest: Manifest
    intact: set[str]
    made: set[str] = field(default_factory=set)

    def _parent(self, target: Path) -> None:
        folder = str(target.parent)
        if folder not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)

    def keep(self, name: str) -> bool:
        """Link the published file in; False when that is not possible."""
        target = self.staging / name
        self._parent(target)
        try:
            os.link(self.out / name, target)
        except OSError:
            try:
                shutil.copy2(self.out / name, target)
            except OSError:
                return False
        return True

    def put(self, name: str, data: bytes, key: str = "") -> tuple[OutputFile, bool]:
        """(its manifest entry, whether its bytes changed)."""
        found = digest(data)
        old = self.manifest.get(name)
        if old and old.digest == found and name in self.intact and self.keep(name):
            return OutputFile(found, old.size, old.mtime, key), False
        target = self.staging / name
        self._parent(target)
        target.write_bytes(data)
        return OutputFile(found, len(data), 0, key), True


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
) -> tuple[Manifest, dict[str, linkcheck.PageLinks]]:
    """Render the pages whose key changed and write every file of the site."""
    manifest, intact = writer.manifest, writer.intact
    new: Manifest = {}
    page_links: dict[str, linkcheck.PageLinks] = {}
    canonical: dict[Any, Any] = {}  # one object per distinct link: pages share most
    todo: list[int] = []
    with report.stage("render"):
        for number, route in enumerate(planned):
            name = route.out_path
            old = manifest.get(name)
            if old and old.key == keys[name] and name in intact and writer.keep(name):
                new[name] = old
            else:
                todo.append(number)
        global _JOB
        _JOB = _RenderJob(_renderer(project, settings, links, site_assets), planned, keys, writer)
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
        for chunk_result in results:
            for name, entry, wrote, used, found, error in chunk_result:
                done += 1
                if error is not None:
                    problems.setdefault(str(error), error)
                    continue
                assert entry is not None and found is not None
                new[name] = entry
                changed += wrote
                referenced |= used
                matches = frozenset(canonical.setdefault(m, m) for m in found.matches)
                page_links[name] = linkcheck.PageLinks(matches, found.ids)
            report.tick("render", done, len(planned))
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
        extras = extra_files(site, settings, links, planned)
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
    return new, page_links


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
    renderer = Renderer(project.layouts, {"site": site_view, "pages": named}, links, asset_href)
    renderer.used = used
    return renderer


@dataclass(slots=True)
class _RenderJob:
    """What render workers need; set before they fork, so nothing is pickled."""

    renderer: Renderer
    planned: tuple[routes.Route, ...]
    keys: Mapping[str, str]
    writer: _Writer


_JOB: _RenderJob | None = None

_Rendered = tuple[
    str, OutputFile | None, bool, set[str], linkcheck.PageLinks | None, ContentError | None
]


def _render_chunk(numbers: list[int]) -> list[_Rendered]:
    """Render and write some pages (in a worker, or in the build's own process)."""
    job = _JOB
    assert job is not None
    results: list[_Rendered] = []
    for number in numbers:
        route = job.planned[number]
        name = route.out_path
        job.renderer.used.clear()
        try:
            html = job.renderer.render(route)
        except ContentError as error:
            results.append((name, None, False, set(), None, error))
            continue
        entry, wrote = job.writer.put(name, html.encode("utf-8"), job.keys[name])
        used = set(job.renderer.used)
        results.append((name, entry, wrote, used, linkcheck.links_of(html), None))
    return results


# search ---------------------------------------------------------------------


def _index(
    members: Mapping[int, list[model.Article]],
    new: Manifest,
    writer: _Writer,
    jobs: int,
    report: Report,
) -> Manifest:
    """Index the parts whose pages changed; link the others in as they were."""
    entries: Manifest = {}
    version = search.version()
    old_parts: dict[str, dict[str, OutputFile]] = {}
    for name, entry in writer.manifest.items():
        if name.startswith(search.BUNDLE + "/"):
            old_parts.setdefault(name.split("/")[1], {})[name] = entry
    primary = min(members, default=0)
    todo: list[tuple[int, list[model.Article], str]] = []
    for part, articles in sorted(members.items()):
        pages = [(a.url, new[urls.out_path(a.url)].digest) for a in articles]
        key = search.part_key(version, part == primary, pages)
        old = old_parts.get(str(part), {})
        if (
            old
            and all(e.key == key and n in writer.intact for n, e in old.items())
            and all(writer.keep(n) for n in old)
        ):
            entries.update(old)
        else:
            todo.append((part, articles, key))

    def run(item: tuple[int, list[model.Article], str]) -> Manifest:
        part, articles, key = item
        return _index_part(writer, part, part == primary, articles, key)

    problems: list[ContentError] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for done, result in enumerate(pool.map(_catching(run), todo), start=1):
            if isinstance(result, ContentError):
                problems.append(result)
            else:
                entries.update(result)
            report.tick("search", done, len(todo))
    if problems:
        raise BuildError(problems[:1])
    report.indexed = len(todo)
    report.details["search"] = (
        f"{len(todo)} of {len(members)} index parts rebuilt" if members else "no articles"
    )
    return entries


def _catching(
    function: Callable[[Any], Manifest],
) -> Callable[[Any], Manifest | ContentError]:
    def run(item: Any) -> Manifest | ContentError:
        try:
            return function(item)
        except ContentError as error:
            return error

    return run


def _index_part(
    writer: _Writer, part: int, primary: bool, articles: list[model.Article], key: str
) -> Manifest:
    """Run Pagefind over one part's article pages, linked into a folder of their own."""
    staging = writer.staging
    pages = Path(tempfile.mkdtemp(prefix=f"{staging.name}-part{part}-", dir=staging.parent))
    try:
        for article in articles:
            name = urls.out_path(article.url)
            target = pages / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(staging / name, target)
            except OSError:
                shutil.copyfile(staging / name, target)
        out = staging / search.BUNDLE / str(part)
        search.index_part(pages, out, primary)
    finally:
        _remove(pages)
    entries: Manifest = {}
    for name in sorted(linkcheck.files_in(out)):
        relative = f"{search.BUNDLE}/{part}/{name}"
        data = (out / name).read_bytes()
        entries[relative] = OutputFile(digest(data), len(data), 0, key)
    return entries


# links ----------------------------------------------------------------------


class _Pages(Mapping[str, linkcheck.PageLinks]):
    """Every page's links: those rendered now in memory, the others read when asked."""

    def __init__(
        self, folder: Path, names: set[str], known: dict[str, linkcheck.PageLinks]
    ) -> None:
        self.folder = folder
        self.names = names
        self.known = known

    def __getitem__(self, name: str) -> linkcheck.PageLinks:
        if name not in self.names:
            raise KeyError(name)
        if name not in self.known:
            html = (self.folder / name).read_text(encoding="utf-8", errors="replace")
            self.known[name] = linkcheck.links_of(html)
        return self.known[name]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.names))

    def __len__(self) -> int:
        return len(self.names)


def _check_links(
    project: Project,
    settings: Settings,
    site: taxonomy.Site,
    planned: tuple[routes.Route, ...],
    new: Manifest,
    rendered: dict[str, linkcheck.PageLinks],
    writer: _Writer,
    report: Report,
) -> None:
    """Raise BuildError naming every link, image or asset that points nowhere.

    After an edit only the pages rendered again are checked, unless a file
    went away or a page lost an anchor: then every page is.
    """
    files = set(new)
    names = {route.out_path for route in planned if route.out_path.endswith(".html")}
    pages = _Pages(writer.staging, names, dict(rendered))
    gone = [n for n in writer.manifest if n not in new and not n.startswith(search.BUNDLE + "/")]
    everything = not writer.manifest or bool(gone) or len(rendered) * 2 > len(names)
    if not everything:
        for name, links in rendered.items():
            if name in writer.intact and not _ids(project.out / name) <= links.ids:
                everything = True
                break
    only = None if everything else sorted(rendered)
    broken = linkcheck.check(pages, files, settings.base_path, settings.absolute_base, only)
    report.details["links"] = f"{len(names) if only is None else len(only):,} pages checked"
    if broken:
        sources = {article.url: article.source for article in site.articles}
        templates = {route.url: route.template for route in planned}
        raise BuildError(
            linkcheck.locate(broken, sources, templates, project.layouts, settings.base_path)
        )


def _ids(path: Path) -> frozenset[str]:
    try:
        return linkcheck.links_of(path.read_text(encoding="utf-8", errors="replace")).ids
    except OSError:
        return frozenset()


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
    files = {"robots.txt": feeds.robots(links)}
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


def swap(staging: Path, out: Path) -> None:
    """Put the new site in place of the old one with two renames."""
    os.chmod(staging, 0o755)
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    staging.rename(out)
    _remove(old)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
