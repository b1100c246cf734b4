"""What a build is given and what it gives back.

`Project` and `Options` are what the caller asks for; `Run` is the frozen
object every stage receives (no stage takes ten positional parameters or
reaches for module state); `Clock` times the stages and tells the caller
(stage lines, a progress bar); `Report` is assembled at the end from what
the stages returned.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from generator import urls
from generator.content.load import Bodies
from generator.errors import ContentError
from generator.infra.cache import Cache
from generator.pages.assets import Asset
from generator.settings import Settings

P = ParamSpec("P")
T = TypeVar("T")

Progress = Callable[[str, int, int], None]  # (stage, done, total)
StageLine = Callable[[str, float, str], None]  # (stage, seconds, what it did)


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


@dataclass(slots=True)
class Clock:
    """Times each stage and tells whoever watches the build."""

    on_stage: StageLine | None = None
    progress: Progress | None = None
    timings: dict[str, float] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)

    def time(self, name: str, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one stage; what it did is the `detail` of its result, if it has one."""
        start = time.perf_counter()
        result = step(*args, **kwargs)
        detail = getattr(result, "detail", "")
        self.timings[name] = time.perf_counter() - start
        self.details[name] = detail if isinstance(detail, str) else ""
        if self.on_stage:
            self.on_stage(name, self.timings[name], self.details[name])
        return result

    def tick(self, stage: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(stage, done, total)

    def ticker(self, stage: str) -> Callable[[int, int], None]:
        return lambda done, total: self.tick(stage, done, total)


@dataclass(frozen=True, slots=True)
class Run:
    """One build: what it reads, how, and where it keeps what it learnt."""

    project: Project
    settings: Settings
    options: Options
    links: urls.Links
    assets: Mapping[str, Asset]
    jobs: int
    store: Cache
    bodies: Bodies
    clock: Clock


@dataclass(frozen=True, slots=True)
class Report:
    """What a build did, for the command line and the preview."""

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
    timings: Mapping[str, float] = field(default_factory=dict)
    details: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[ContentError, ...] = ()
