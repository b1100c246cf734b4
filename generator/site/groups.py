"""Model stage, second half: articles by unit, term and year, in reader order.

Units are in Vietnamese alphabetical order, terms and years newest first,
articles in every group newest first. Groups hold the articles themselves
(the same frozen objects), never copies. Unit groups know their place in
the tree of organisations (the registry's parents): their parent, children
and ancestors, by slug, made once here so that nothing later walks the
registry again, and the articles of the unit and every unit below it
(`rollup`): a parent's page gathers its cells' news.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from generator.content.registry import EMPTY, Registry, Unit
from generator.site.articles import Article, newest_first
from generator.site.photos import Picture
from generator.vietnamese import collation_key, slugify


@dataclass(frozen=True, slots=True)
class Group:
    name: str  # as shown: "Chi bộ Tân Hòa", "2025-2030", "2025"
    slug: str  # URL segment
    articles: tuple[Article, ...]  # newest first
    # units only: the registry entry, and the unit's place in the tree (slugs)
    unit: Unit | None = None
    parent: str | None = None
    children: tuple[str, ...] = ()  # in Vietnamese order
    ancestors: tuple[str, ...] = ()  # the parent first, the top organisation last
    # units only: its own articles and those of every unit below it, newest first
    rollup: tuple[Article, ...] = ()

    @property
    def gathers(self) -> bool:
        """A unit whose page shows more than its own articles."""
        return len(self.rollup) > len(self.articles)


@dataclass(frozen=True, slots=True)
class Site:
    articles: tuple[Article, ...]  # newest first
    units: tuple[Group, ...]  # includes registered parents of units with articles
    terms: tuple[Group, ...]
    years: tuple[Group, ...]
    registry: Registry = EMPTY
    by_slug: Mapping[str, Group] = field(default_factory=dict, repr=False)  # unit groups
    image: Picture | None = None  # shown in link previews of pages without a photo

    @property
    def pictures(self) -> tuple[Picture, ...]:
        """Every picture the site publishes, each once, in a stable order."""
        found: dict[str, Picture] = {}
        for article in self.articles:
            for figure in (*article.figures, article.image):
                if figure is not None:
                    found.setdefault(figure.picture.address, figure.picture)
        if self.image is not None:
            found.setdefault(self.image.address, self.image)
        return tuple(found[key] for key in sorted(found))


def _group(
    articles: Iterable[Article], key: Callable[[Article], Hashable]
) -> dict[Hashable, list[Article]]:
    groups: dict[Hashable, list[Article]] = defaultdict(list)
    for article in articles:
        groups[key(article)].append(article)
    return groups


def build_site(
    articles: tuple[Article, ...], registry: Registry = EMPTY, image: Picture | None = None
) -> Site:
    # sorted once: every group, filled in this order, is newest first too
    articles = newest_first(articles)
    units = [
        Group(members[0].unit, slug, tuple(members))  # type: ignore[arg-type]
        for slug, members in _group(articles, lambda a: a.unit_slug).items()
    ]
    # A registered parent organisation gets a page listing its sub-units even
    # when no article is filed under it directly.
    present = {g.name for g in units}
    for group in list(units):
        for ancestor in registry.ancestors(group.name):
            if ancestor.name not in present:
                present.add(ancestor.name)
                units.append(Group(ancestor.name, slugify(ancestor.name), ()))
    units = _rolled_up(_in_tree(sorted(units, key=lambda g: collation_key(g.name)), registry))
    terms = [
        Group(str(label), str(label), tuple(members))
        for label, members in _group(articles, lambda a: a.term).items()
    ]
    years = [
        Group(str(year), str(year), tuple(members))
        for year, members in _group(articles, lambda a: a.year).items()
    ]
    return Site(
        articles=articles,
        units=tuple(units),
        terms=tuple(sorted(terms, key=lambda g: g.name, reverse=True)),
        years=tuple(sorted(years, key=lambda g: g.name, reverse=True)),
        registry=registry,
        by_slug={g.slug: g for g in units},
        image=image,
    )


def _in_tree(units: list[Group], registry: Registry) -> list[Group]:
    """The unit groups (in Vietnamese order) with their registry entry, parent,
    children and ancestors among the groups present."""
    slug_of = {g.name: g.slug for g in units}
    entries = {g.name: registry.find(g.name) for g in units}
    parents: dict[str, str | None] = {}
    for group in units:
        unit = entries[group.name]
        parent = registry.find(unit.parent) if unit and unit.parent else None
        parents[group.name] = slug_of.get(parent.name) if parent else None
    children: dict[str | None, list[str]] = {}
    for group in units:  # in Vietnamese order: so are the children
        children.setdefault(parents[group.name], []).append(group.slug)
    ancestors = {
        g.name: tuple(slug_of[a.name] for a in registry.ancestors(g.name) if a.name in slug_of)
        for g in units
    }
    return [
        replace(
            group,
            unit=entries[group.name],
            parent=parents[group.name],
            children=tuple(children.get(group.slug, ())),
            ancestors=ancestors[group.name],
        )
        for group in units
    ]


def _rolled_up(units: list[Group]) -> list[Group]:
    """The unit groups with their `rollup`: their own articles and every
    descendant's, newest first (in the order of `newest_first`)."""
    by_slug = {g.slug: g for g in units}
    done: dict[str, tuple[Article, ...]] = {}

    def below(slug: str, seen: frozenset[str]) -> tuple[Article, ...]:
        if slug in done:
            return done[slug]
        group = by_slug[slug]
        found = list(group.articles)
        for child in group.children:
            if child not in seen:  # the registry refuses cycles; never loop on one
                found += below(child, seen | {child})
        done[slug] = newest_first(found) if group.children else group.articles
        return done[slug]

    return [replace(group, rollup=below(group.slug, frozenset([group.slug]))) for group in units]
