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
from .vietnamese import collation_key


@dataclass(frozen=True, slots=True)
class Group:
    name: str  # as shown: "Chi bộ Tân Hòa", "2025-2030", "2025"
    slug: str  # URL segment
    articles: tuple[Article, ...]  # newest first


@dataclass(frozen=True, slots=True)
class Site:
    articles: tuple[Article, ...]  # newest first
    units: tuple[Group, ...]
    terms: tuple[Group, ...]
    years: tuple[Group, ...]


def _group(
    articles: Iterable[Article], key: Callable[[Article], Hashable]
) -> dict[Hashable, list[Article]]:
    groups: dict[Hashable, list[Article]] = defaultdict(list)
    for article in articles:
        groups[key(article)].append(article)
    return groups


def build_site(articles: tuple[Article, ...]) -> Site:
    units = [
        Group(members[0].unit, slug, newest_first(members))  # type: ignore[arg-type]
        for slug, members in _group(articles, lambda a: a.unit_slug).items()
    ]
    terms = [
        Group(str(label), str(label), newest_first(members))
        for label, members in _group(articles, lambda a: a.term).items()
    ]
    years = [
        Group(str(year), str(year), newest_first(members))
        for year, members in _group(articles, lambda a: a.year).items()
    ]
    return Site(
        articles=newest_first(articles),
        units=tuple(sorted(units, key=lambda g: collation_key(g.name))),
        terms=tuple(sorted(terms, key=lambda g: g.name, reverse=True)),
        years=tuple(sorted(years, key=lambda g: g.name, reverse=True)),
    )
