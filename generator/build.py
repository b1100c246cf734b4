"""The build, as a list of stages: load -> model -> group -> plan -> render -> write -> swap.

This is the only module that writes the output. Everything is built in a new
folder beside the output and swapped in at the end, so a failed build leaves
the previously published site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import assets, content, feeds, linkcheck, model, registry, routes, search, taxonomy, urls
from .errors import BuildError, ContentError
from .markdown import Markdown
from .render import Renderer
from .settings import Settings


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


@dataclass(slots=True)
class Report:
    articles: int = 0
    drafts: int = 0
    pages: int = 0
    files: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[ContentError] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - start


def build(
    project: Project, settings: Settings, drafts: bool = False, strict: bool = False
) -> Report:
    """Build the whole site or raise BuildError; never leaves a half-written site.

    With drafts=True (the editors' preview) drafts are built too, marked as such.
    With strict=True warnings stop the build like errors.
    """
    report = Report()
    _check_out(project)
    links = urls.Links(settings.base_path, settings.absolute_base)
    site = read(project, settings, report, drafts, strict)
    with report.stage("plan"):
        planned = routes.plan(site, settings, links)
    site_assets = assets.collect(project.assets)
    referenced: set[str] = set()
    with report.stage("render"):
        pages = render_all(project, settings, links, planned, site_assets, referenced)
    report.pages = len(pages)
    staging = Path(tempfile.mkdtemp(prefix=f".{project.out.name}-new-", dir=project.out.parent))
    try:
        with report.stage("write"):
            report.files = write_site(
                staging,
                pages,
                assets.outputs(site_assets, referenced),
                extra_files(site, settings, links, planned),
            )
        with report.stage("search"):
            try:
                search.index(staging, len(site.articles))
            except ContentError as error:
                raise BuildError([error]) from None
        with report.stage("links"):
            check_links(project, settings, site, planned, pages, staging)
        with report.stage("swap"):
            swap(staging, project.out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return report


def check_links(
    project: Project,
    settings: Settings,
    site: taxonomy.Site,
    planned: tuple[routes.Route, ...],
    pages: dict[str, str],
    staging: Path,
) -> None:
    """Raise BuildError naming every link, image or asset that points nowhere."""
    files = linkcheck.files_in(staging)  # Pagefind's files are only on disk
    broken = linkcheck.check(pages, files, settings.base_path, settings.absolute_base)
    if broken:
        sources = {article.url: article.source for article in site.articles}
        templates = {route.url: route.template for route in planned}
        raise BuildError(
            linkcheck.locate(broken, sources, templates, project.layouts, settings.base_path)
        )


def read(
    project: Project,
    settings: Settings,
    report: Report,
    drafts: bool = False,
    strict: bool = False,
) -> taxonomy.Site:
    """The load and model stages: the whole site in memory, or BuildError.

    This is all `archive check` runs. Problems of the registry and of every
    article are reported together.
    """
    warn = report.warnings.append
    problems: list[ContentError] = []
    units = registry.EMPTY
    markdown = Markdown(settings.base_path)
    with report.stage("load"):
        try:
            units = registry.load(project.content, warn)
        except ContentError as error:
            problems.append(error)
        except BuildError as error:
            problems.extend(error.problems)
        sources, unreadable = content.load_sources(project.content, settings.zone, warn)
        problems += unreadable
    with report.stage("model"):
        try:
            articles = model.build_articles(sources, markdown, warn, drafts, units)
        except BuildError as error:
            problems.extend(error.problems)
        if problems:  # the readable articles were still checked against each other
            raise BuildError(problems)
        site = taxonomy.build_site(articles, units)
    if strict and report.warnings:
        raise BuildError(report.warnings)
    report.drafts = sum(s.draft for s in sources)
    report.articles = len(articles) - (report.drafts if drafts else 0)
    return site


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


def render_all(
    project: Project,
    settings: Settings,
    links: urls.Links,
    planned: tuple[routes.Route, ...],
    site_assets: dict[str, assets.Asset],
    referenced: set[str],
) -> dict[str, str]:
    def asset_href(path: str) -> str:
        found = site_assets.get(path)
        if found is None:
            raise ValueError(f"asset '{path}' not found in {project.assets}")
        referenced.add(path)
        return links.href(urls.asset(found.hashed))

    site_view = {"title": settings.title, "description": settings.description}
    named = {name: links.href(url) for name, url in urls.NAMED.items()}
    renderer = Renderer(project.layouts, {"site": site_view, "pages": named}, links, asset_href)
    pages: dict[str, str] = {}
    problems: dict[str, ContentError] = {}
    for route in planned:
        try:
            pages[route.out_path] = renderer.render(route)
        except ContentError as error:
            problems.setdefault(str(error), error)
    if problems:
        raise BuildError(problems.values())
    return pages


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


def write_site(
    staging: Path, pages: dict[str, str], files: dict[str, assets.Asset], extras: dict[str, str]
) -> int:
    """Write pages, extra files and assets into the (empty) staging folder."""
    made: set[Path] = set()
    count = 0
    for relative, text in sorted({**pages, **extras}.items()):
        target = staging / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(text, encoding="utf-8", newline="\n")
        count += 1
    for relative, asset in sorted(files.items()):
        target = staging / urls.out_path(urls.asset(relative))
        target.parent.mkdir(parents=True, exist_ok=True)
        if asset.data is None:
            shutil.copyfile(asset.source, target)
        else:
            target.write_bytes(asset.data)
        count += 1
    return count


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
    shutil.rmtree(old, ignore_errors=True)
