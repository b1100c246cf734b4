"""Links stage: no link, image or asset inside the site may point nowhere.

Rendered pages had their links checked as they were made (rendering.py);
links into anchors of other pages are settled here. Pages kept from the
last build were checked then: they are checked again only when a file went
away or a page lost an anchor. `check_folder` does the same for a folder
already built (`archive check --links`). The pure checker is linkcheck.py;
linkplaces.py names where each broken link is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import urls
from generator.build import linkcheck, linkplaces
from generator.build.rendering import Found, Planned
from generator.build.run import Run
from generator.build.writer import Writer
from generator.errors import BuildError, ContentError
from generator.infra.cache import Manifest
from generator.infra.files import files_in
from generator.settings import Settings
from generator.site.groups import Site


@dataclass(frozen=True, slots=True)
class Checked:
    pages: int  # pages whose links were checked in this build

    @property
    def detail(self) -> str:
        return f"{self.pages:,} pages checked"


def check_links(
    run: Run, site: Site, planned: Planned, new: Manifest, found: Found, writer: Writer
) -> Checked:
    """Raise BuildError naming every link, image or asset that points nowhere."""
    settings, layouts, staging = run.settings, run.project.layouts, writer.staging
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
            url = urls.page_url(link.target)
            reason = linkcheck.missing_anchor(url, link.page, link.fragment)
            broken.append(linkcheck.Broken(link.page, link.href, reason))
    pages = planned.plan.pages
    names = [r.out_path for r in pages if r.out_path.endswith(".html")]
    kept = [name for name in names if name not in found.rendered]
    gone = [n for n in writer.manifest if n not in new and not urls.in_search_bundle(n)]
    again = bool(kept) and (bool(gone) or _lost_anchor(found.rendered, ids, writer))
    if again:
        files = planned.plan.out_paths.including(new)  # pictures: by folder
        checker = linkcheck.Checker(files, settings.base_path, settings.absolute_base)
        for name in kept:
            html = (staging / name).read_text(encoding="utf-8", errors="replace")
            broken += checker.page(name, linkcheck.matches_of(html), ids)
    if broken:
        broken.sort(key=lambda b: (b.page, b.target))
        sources = {article.url: article.source for article in site.articles}
        templates = {route.url: route.template for route in pages}
        raise BuildError(linkplaces.locate(broken, sources, templates, layouts, settings.base_path))
    return Checked(len(found.rendered) + (len(kept) if again else 0))


def _lost_anchor(
    rendered: set[str], ids: Callable[[str], frozenset[str] | None], writer: Writer
) -> bool:
    """Whether a page rendered again lost an id it had in the published site."""
    for name in rendered:
        if name in writer.intact:
            try:
                html = (writer.out / name).read_text(encoding="utf-8")
            except OSError:
                continue
            if not linkcheck.links_of(html).ids <= (ids(name) or frozenset()):
                return True
    return False


@dataclass(frozen=True, slots=True)
class FolderCheck:
    pages: int
    problems: tuple[ContentError, ...]


def check_folder(
    folder: Path, settings: Settings, sources: Callable[[], Mapping[str, str]]
) -> FolderCheck:
    """Every broken link of a built folder; `sources` (article URL -> its
    Markdown file) is asked for only when there is one, to name its line."""
    files = files_in(folder)
    pages = {
        name: linkcheck.links_of((folder / name).read_text(encoding="utf-8", errors="replace"))
        for name in sorted(files)
        if name.endswith(".html")
    }
    base = settings.base_path
    broken = linkcheck.check(pages, files, base, settings.absolute_base)
    known = sources() if broken else {}
    problems = sorted(linkplaces.locate(broken, known, base_path=base), key=ContentError.sort_key)
    return FolderCheck(len(pages), tuple(problems))
