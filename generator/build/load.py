"""Scan, load and model stages: the whole site in memory, or every problem.

The scan finds the article files and what each parses to (by size and
mtime, without reading an unchanged file); load reads the unit registry
and the articles (through the build cache); model makes the frozen site.
Problems of all three are collected and raised together: the readable
articles are still checked against each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.build import keys
from generator.build.publish import intact
from generator.build.run import Report, Run
from generator.content import load as content_load
from generator.content import registry
from generator.content.load import Files, Stat
from generator.content.records import Loaded
from generator.content.registry import Registry
from generator.errors import BuildError, ContentError
from generator.images import stage as images_stage
from generator.images.encode import Sizes
from generator.images.stage import Pictured
from generator.infra.cache import Manifest
from generator.site import articles as site_articles
from generator.site.groups import Site, build_site


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What a build recorded of its inputs and result, for the next one."""

    inputs: str
    articles: int
    drafts: int
    warnings: tuple[ContentError, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "inputs": self.inputs,
                "articles": self.articles,
                "drafts": self.drafts,
                "warnings": [[w.path, w.line, w.message] for w in self.warnings],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> LastBuild | None:
        try:
            last: Any = json.loads(text)
            warnings = tuple(ContentError(*w) for w in last["warnings"])
            return cls(str(last["inputs"]), int(last["articles"]), int(last["drafts"]), warnings)
        except (ValueError, TypeError, KeyError, IndexError):
            return None


@dataclass(frozen=True, slots=True)
class Scanned:
    files: Files | None  # None: there is no content folder
    design: str  # keys.design_key
    inputs: str  # keys.inputs_key
    manifest: Manifest  # of the site published in the output folder
    intact: set[str]  # its files still as the manifest says
    last: LastBuild | None
    # the size and mtime of the files the scan hashed, by key (content.load.scan)
    hashed: dict[str, Stat] = field(default_factory=dict, repr=False)

    @property
    def detail(self) -> str:
        return f"{len(self.files or ()):,} files"

    @property
    def up_to_date(self) -> bool:
        same = self.last is not None and self.last.inputs == self.inputs
        return same and bool(self.manifest) and len(self.intact) == len(self.manifest)

    def report(self) -> Report:
        """The report of a build that found nothing to do."""
        assert self.last is not None
        last = self.last
        return Report(
            articles=last.articles,
            drafts=last.drafts,
            files=len(self.manifest),
            up_to_date=True,
            warnings=last.warnings,
        )


def scan(run: Run) -> Scanned:
    project, settings, options = run.project, run.settings, run.options
    hashed: dict[str, Stat] = {}
    others: list[tuple[str, int, int]] = []  # the photos (every file but the articles)
    files = content_load.scan(project.content, parsing(run), run.store, hashed, others)
    design = keys.design_key(settings, project.layouts, run.assets)
    image = project.root / settings.default_image if settings.default_image else None
    inputs = keys.inputs_key(
        design, options.drafts, options.strict, files, project.content, others, image
    )
    recorded, manifest = ("", {}) if options.clean else run.store.output(project.out)
    found = intact(project.out, manifest)
    return Scanned(files, design, inputs, manifest, found, LastBuild.from_json(recorded), hashed)


def parsing(run: Run) -> content_load.Parsing:
    return content_load.Parsing(run.settings.timezone, run.settings.base_path)


@dataclass(frozen=True, slots=True)
class Read:
    """What the load stage read."""

    units: Registry
    loaded: Loaded
    problems: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]

    @property
    def detail(self) -> str:
        total, parsed = len(self.loaded.inputs), self.loaded.parsed
        return f"{total:,} files: {parsed:,} read, {total - parsed:,} from the cache"


def load(run: Run, files: Files | None, hashed: dict[str, Stat] | None = None) -> Read:
    """The unit registry and every article file; problems are kept for the model
    stage. `hashed`: what the scan hashed (its files are not hashed again)."""
    problems: list[ContentError] = []
    warnings: list[ContentError] = []
    units = registry.EMPTY
    content = run.project.content
    try:
        units = registry.load(content, warnings.append)
    except ContentError as error:
        problems.append(error)
    except BuildError as error:
        problems.extend(error.problems)
    loaded = content_load.load(
        content, files, parsing(run), run.bodies, run.jobs, run.clock.ticker("load"), hashed
    )
    problems += loaded.problems
    warnings += loaded.warnings
    return Read(units, loaded, tuple(problems), tuple(warnings))


@dataclass(frozen=True, slots=True)
class Modelled:
    site: Site
    articles: int  # published articles (drafts in a preview not counted)
    drafts: int
    warnings: tuple[ContentError, ...]  # of the load and model stages

    detail = ""


@dataclass(frozen=True, slots=True)
class Checked:
    """What `archive check` learns: the site model, or the problems that stop it."""

    site: Site | None
    problems: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]


def images(run: Run, read: Read) -> Pictured:
    """Every photo of the articles this build publishes, made ready (images/)."""
    drafts = run.options.drafts
    chosen = [p for p in read.loaded.articles if drafts or not p.source.draft]
    settings = run.settings
    default = run.project.root / settings.default_image if settings.default_image else None
    sizes = Sizes(widths=settings.image_widths)
    return images_stage.process(chosen, run.project.content, run.store, sizes, run.jobs, default)


def model(run: Run, read: Read, pictured: Pictured) -> Modelled:
    """The site model, or BuildError with every problem of the load, image and
    model stages (and, with --strict, every warning)."""
    checked = modelled_or_problems(read, run.options.drafts, pictured)
    if checked.problems:
        raise BuildError(checked.problems)
    assert checked.site is not None
    if run.options.strict and checked.warnings:
        raise BuildError(checked.warnings)
    draft_count = sum(p.source.draft for p in read.loaded.articles)
    published = len(checked.site.articles) - (draft_count if run.options.drafts else 0)
    return Modelled(checked.site, published, draft_count, checked.warnings)


def modelled_or_problems(read: Read, drafts: bool, pictured: Pictured) -> Checked:
    """The site model made from what was read, with every problem and warning."""
    problems = [*read.problems, *pictured.problems]
    warnings = [*read.warnings, *pictured.warnings]
    made: tuple[site_articles.Article, ...] = ()
    try:
        made = site_articles.build_articles(
            read.loaded.articles, warnings.append, drafts, read.units, pictured.shown
        )
    except BuildError as error:
        problems.extend(error.problems)
    if problems:  # the readable articles were still checked against each other
        return Checked(None, tuple(problems), tuple(warnings))
    site = build_site(made, read.units, pictured.default)
    return Checked(site, (), tuple(warnings))
