"""Model stage: the related news shown under each article.

Up to `LIMIT` other articles, chosen in this order, each tier newest first:
the same unit in the same term; then the unit's family in the tree (its
parent, its sibling units and the units below it); then articles sharing
a tag. Deterministic (ties of date go by URL, as everywhere), and cheap at
100,000 articles: every tier is a list made once, newest first, and an
article reads only the first few entries of each that it is not in.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

from generator.site.articles import Article
from generator.site.groups import Site

LIMIT = 5


def related(site: Site, limit: int = LIMIT) -> dict[str, tuple[Article, ...]]:
    """Each article's URL -> its related articles, the best first."""
    same: dict[tuple[str, str], list[Article]] = defaultdict(list)
    tagged: dict[str, list[Article]] = defaultdict(list)
    for article in site.articles:  # newest first: so is every list made here
        same[(article.unit_slug, article.term)].append(article)
        for tag in article.tags:
            tagged[tag.casefold()].append(article)
    rank = {article.url: place for place, article in enumerate(site.articles)}
    kin = _kin(site)
    chosen: dict[str, tuple[Article, ...]] = {}
    for article in site.articles:
        group = site.by_slug[article.unit_slug]
        # the family: the parent's kin (it and its children, this unit among
        # them) and this unit's own (it and the units below it), less itself
        lists = [kin.get(group.parent or "", ()), kin.get(group.slug, ())]
        family = (a for a in _merged(lists, rank) if a.unit_slug != group.slug)
        tags = _merged([tagged[tag.casefold()] for tag in article.tags], rank)
        tiers = (same[(article.unit_slug, article.term)], family, tags)
        chosen[article.url] = _pick(article, tiers, limit)
    return chosen


def _kin(site: Site) -> dict[str, list[Article]]:
    """For each unit with units below it: its own articles and those of the
    units directly below it, newest first (made once per unit, not per child)."""
    made: dict[str, list[Article]] = {}
    for group in site.units:
        if group.children:
            members = {group.slug, *group.children}
            made[group.slug] = [a for a in group.rollup if a.unit_slug in members]
    return made


def _pick(article: Article, tiers: Iterable[Iterable[Article]], limit: int) -> tuple[Article, ...]:
    """The first `limit` articles of the tiers, in order, each once, not `article`."""
    taken: dict[str, Article] = {}
    for tier in tiers:
        for other in tier:
            if len(taken) == limit:
                return tuple(taken.values())
            if other.url != article.url:
                taken.setdefault(other.url, other)
    return tuple(taken.values())


def _merged(lists: Iterable[Sequence[Article]], rank: Mapping[str, int]) -> Iterator[Article]:
    """The lists as one, newest first (`rank`: each article's place in the
    site's newest-first order, of which every list is a part), read only as
    far as needed."""
    return heapq.merge(*lists, key=lambda article: rank[article.url])
