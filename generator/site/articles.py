"""Model stage: turn validated sources into complete, frozen articles.

An Article is finished when it is made: canonical unit name, final slug and
URL, rendered HTML and summary. Drafts stop here and go no further.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from generator import urls
from generator.content import kinds
from generator.content.markdown import shorten
from generator.content.records import Body, Prepared
from generator.content.registry import EMPTY, Registry, name_key
from generator.content.sources import Source
from generator.dates import machine_date
from generator.errors import BuildError, ContentError
from generator.site.photos import Figure, Shown
from generator.vietnamese import collation_key, slugify

FALLBACK_SLUG = "bai-viet"
_NONE = Shown()
RESERVED_SLUGS = frozenset({urls.PAGE_SEGMENT})


@dataclass(frozen=True, slots=True)
class Article:
    source: str
    title: str
    unit: str
    term: str
    date: datetime
    has_time: bool
    updated: datetime | None
    updated_has_time: bool  # False when `updated` was given as a day only
    author: str | None
    summary: str  # the editor's summary, or the start of the first paragraph
    lead: str | None  # the editor's summary only, shown above the body
    tags: tuple[str, ...]
    unit_slug: str
    slug: str
    url: str  # site-relative, e.g. /2025/dai-hoi-chi-bo/
    body: Body  # the rendered HTML, fetched from the build cache when needed
    fold: str  # đ -> d forms of the article's words with đ, for search
    names: str  # its names, each joined into one word, for search (name_tokens)
    draft: bool = False  # only ever True in a preview build
    figures: tuple[Figure, ...] = ()  # the body's photos, by marker number
    image: Figure | None = None  # the lead photo: cards, top of the page, link previews
    image_number: int | None = None  # the figure the lead photo is, when in the body
    kind: str = kinds.NEWS  # what it reports: the editor's `kind`, else read from its text
    congress_number: str | None = None  # "III", for a congress: given, or read from its text
    sample: bool = False  # sample text, not news

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def modified(self) -> datetime:
        """When the article last changed, as far as anyone said."""
        return self.updated or self.date

    @property
    def published_iso(self) -> str:
        """The date published as machines read it: a day stays a day."""
        return machine_date(self.date, self.has_time)

    @property
    def updated_iso(self) -> str | None:
        return machine_date(self.updated, self.updated_has_time) if self.updated else None

    @property
    def modified_iso(self) -> str:
        return self.updated_iso or self.published_iso


def _kind(ready: Prepared) -> tuple[str, str | None]:
    """What the article reports and which congress: as the editor wrote, else
    as read from its title and first paragraph when the file was parsed."""
    source = ready.source
    kind = source.kind or ready.kind_read
    number = source.congress_number
    if number is None and kind == kinds.CONGRESS:
        number = ready.number_read
    return kind, number


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    """Newest first; same moment -> by URL, so the order never depends on the disk."""
    ordered = sorted(articles, key=lambda a: a.url)
    return tuple(sorted(ordered, key=lambda a: a.date, reverse=True))


def canonical_units(
    sources: Iterable[Source],
    registry: Registry = EMPTY,
    warn: Callable[[ContentError], None] = lambda _: None,
) -> dict[str, str]:
    """Map each unit spelling to the one name shown for it.

    A name in the registry (canonical, alias or former name) is filed under its
    canonical name; a name not in a registry that has entries is a warning.
    Other spellings that differ only in case, spaces or old/new tone placement
    (`uỷ`/`ủy`) are one unit, shown in its most used spelling (among equals,
    one in mixed case). Different names that would share a URL are an error
    naming both places.
    """
    names: dict[str, str] = {}
    owners: dict[str, tuple[str, str]] = {}  # slug -> (name, where it comes from)
    for unit in registry.units:
        owners[slugify(unit.name)] = (unit.name, f"{registry.path}:{unit.line}")
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[str, Source] = {}
    for source in sources:
        known = registry.find(source.unit)
        if known is not None:
            names[source.unit] = known.name
            continue
        if registry:
            warn(_unknown_unit(source, registry))
        by_key[name_key(source.unit)][source.unit] += 1
        first_seen.setdefault(source.unit, source)
    problems = []
    for key in sorted(by_key):
        counts = by_key[key]
        shown = min(
            counts, key=lambda name: (-counts[name], _lettercase(name), collation_key(name))
        )
        where = first_seen[shown]
        problem = _address_problem(shown, where, owners)
        if problem is not None:
            problems.append(problem)
        owners.setdefault(slugify(shown), (shown, f"{where.path}:{where.unit_line}"))
        names.update({spelling: shown for spelling in counts})
    if problems:
        raise BuildError(problems)
    return names


def _address_problem(
    shown: str, where: Source, owners: Mapping[str, tuple[str, str]]
) -> ContentError | None:
    """Why a unit's name cannot have a page of its own, if it cannot."""
    slug = slugify(shown)
    if not slug:
        return ContentError(where.path, where.unit_line, f"unit '{shown}' has no letters or digits")
    if slug in owners:
        other, place = owners[slug]
        return ContentError(
            where.path,
            where.unit_line,
            f"unit '{shown}' and unit '{other}' ({place})"
            f" would share the page {urls.unit(slug)}; spell the unit the same way in both",
        )
    return None


def _lettercase(name: str) -> int:
    """0 for a name in mixed case (`Chi bộ Tân Hòa`), 1 for all lower or all upper case."""
    return int(name in (name.lower(), name.upper()))


def _unknown_unit(source: Source, registry: Registry) -> ContentError:
    nearest = registry.suggest(source.unit)
    hint = (
        "did you mean " + " or ".join(f"'{name}'" for name in nearest) + "?"
        if nearest
        else f"check the spelling, or add the unit to {registry.path}"
    )
    return ContentError(
        source.path,
        source.unit_line,
        f"unit '{source.unit}' is not in {registry.path}; {hint}",
    )


def assign_slugs(
    sources: Iterable[Source],
    warn: Callable[[ContentError], None],
    title_slugs: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Give every article a URL slug unique within its year, deterministically.

    Slugs the editor chose are served first, then by date and file path; a
    later article whose slug is taken gets `-2`, `-3`, ... and a warning.
    Drafts (present only in a preview) come last, so they never move the
    address a published article gets in the real build.
    """
    ordered = sorted(sources, key=lambda s: (s.draft, s.slug is None, s.date.moment, s.path))
    taken: dict[tuple[int, str], str] = {}
    result: dict[str, str] = {}
    for source in ordered:
        year = source.date.moment.year
        made = title_slugs.get(source.path) if title_slugs else None
        wanted = source.slug or (slugify(source.title) if made is None else made) or FALLBACK_SLUG
        slug, number = wanted, 1
        while (year, slug) in taken or slug in RESERVED_SLUGS:
            number += 1
            slug = f"{wanted}-{number}"
        if slug != wanted and (year, wanted) in taken:
            warn(
                ContentError(
                    source.path,
                    1,
                    f"the address {urls.article(year, wanted)} is already used by"
                    f" {taken[(year, wanted)]}; this article is published at"
                    f" {urls.article(year, slug)} (set 'slug' to choose another)",
                )
            )
        taken[(year, slug)] = source.path
        result[source.path] = slug
    return result


def build_articles(
    prepared: Iterable[Prepared],
    warn: Callable[[ContentError], None],
    drafts: bool = False,
    registry: Registry = EMPTY,
    shown: Mapping[str, Shown] | None = None,
) -> tuple[Article, ...]:
    """Articles, newest first; drafts are dropped here unless previewing."""
    chosen = [p for p in prepared if drafts or not p.source.draft]
    published = [p.source for p in chosen]
    units = canonical_units(published, registry, warn)
    # slugs of titles were made when the files were parsed (and cached)
    slugs = assign_slugs(published, warn, {p.source.path: p.title_slug for p in chosen})
    unit_slugs = {name: slugify(name) for name in set(units.values())}
    articles = []
    for ready in chosen:
        source = ready.source
        moment = source.date.moment
        slug = slugs[source.path]
        photos = (shown or {}).get(source.path, _NONE)
        kind, number = _kind(ready)
        articles.append(
            Article(
                source=source.path,
                title=source.title,
                unit=units[source.unit],
                term=source.term,
                date=moment,
                has_time=source.date.has_time,
                updated=source.updated.moment if source.updated else None,
                updated_has_time=bool(source.updated and source.updated.has_time),
                author=source.author,
                summary=source.summary or shorten(ready.text),
                lead=source.summary,
                tags=source.tags,
                unit_slug=unit_slugs[units[source.unit]],
                slug=slug,
                url=urls.article(moment.year, slug),
                body=ready.body,
                fold=ready.fold,
                names=ready.names,
                draft=source.draft,
                kind=kind,
                congress_number=number,
                sample=source.sample,
                figures=photos.figures,
                image=photos.lead,
                image_number=photos.lead_number,
            )
        )
    check_addresses((a.url, a.source) for a in articles)
    return newest_first(articles)


def check_addresses(addresses: Iterable[tuple[str, str]]) -> None:
    """Refuse two articles whose addresses differ only in case: (URL, source file) pairs.

    Slugs are lower-case ASCII today (slugify, and the check of an editor's
    `slug`), so this is a guard: on a case-insensitive disk (macOS, Windows)
    or host the second page would silently replace the first.
    """
    seen: dict[str, tuple[str, str]] = {}
    problems = []
    for url, source in sorted(addresses, key=lambda pair: pair[1]):
        other = seen.setdefault(url.casefold(), (url, source))
        if other[1] != source:
            problems.append(
                ContentError(
                    source,
                    1,
                    f"the address {url} differs from {other[0]} ({other[1]}) only in"
                    " upper/lower case; they would be one file on many disks and hosts",
                )
            )
    if problems:
        raise BuildError(problems)
