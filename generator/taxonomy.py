"""Group stage: articles by unit, term and year, each group in reader order.

Units are in Vietnamese alphabetical order, terms and years newest first,
articles in every group newest first. Groups hold the articles themselves
(the same frozen objects), never copies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from .model import Article, newest_first
from .registry import EMPTY, Registry
from .vietnamese import collation_key, fold, slugify


@dataclass(frozen=True, slots=True)
class Group:
    name: str  # as shown: "Chi bộ Tân Hòa", "2025-2030", "2025"
    slug: str  # URL segment
    articles: tuple[Article, ...]  # newest first


@dataclass(frozen=True, slots=True)
class Site:
    articles: tuple[Article, ...]  # newest first
    units: tuple[Group, ...]  # includes registered parents of units with articles
    terms: tuple[Group, ...]
    years: tuple[Group, ...]
    registry: Registry = EMPTY

    def unit_group(self, name: str) -> Group | None:
        return next((g for g in self.units if g.name == name), None)


def _group(
    articles: Iterable[Article], key: Callable[[Article], Hashable]
) -> dict[Hashable, list[Article]]:
    groups: dict[Hashable, list[Article]] = defaultdict(list)
    for article in articles:
        groups[key(article)].append(article)
    return groups


def build_site(articles: tuple[Article, ...], registry: Registry = EMPTY) -> Site:
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
        units=tuple(sorted(units, key=lambda g: collation_key(g.name))),
        terms=tuple(sorted(terms, key=lambda g: g.name, reverse=True)),
        years=tuple(sorted(years, key=lambda g: g.name, reverse=True)),
        registry=registry,
    )


def congress(articles: Iterable[Article], term: str) -> Article | None:
    """The article reporting a unit's congress (Đại hội) for a term, if any.

    A title naming "Đại hội" counts, one also naming the term's years more;
    among equals the earliest wins (the congress comes before the news of
    carrying out its resolution).
    """
    first, last = term.split("-")
    best: tuple[int, Article] | None = None
    for article in sorted(articles, key=lambda a: (a.date, a.url)):
        if article.term != term:
            continue
        title = fold(article.title)
        if "dai hoi" not in title:
            continue
        score = 1 + (first in title and last in title)
        if best is None or score > best[0]:
            best = (score, article)
    return best[1] if best else None
