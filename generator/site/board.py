"""Model stage: the congress board, which units have news of their congress
for a term and which not yet, in the tree of organisations.

A unit's congress for a term is its earliest article of that term whose
kind is `dai-hoi` (the congress comes before the news of carrying out its
resolution). Articles filed under a former name or an alias are already the
unit's (articles.canonical_units), so a unit renamed during the term is
counted once.

Which units a term's board lists: with a registry, its units in its tree;
every one of them for the newest term (the congress season: a unit with no
news yet is what the staff chase) and for `archive check --congress`; for an
older term, those with news of that term, themselves or below them. Without
a registry, the units with news of the term, flat.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.content import kinds
from generator.content.registry import Unit
from generator.site.articles import Article
from generator.site.groups import Site
from generator.vietnamese import collation_key


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    slug: str | None  # its unit page, when it has one
    congress: Article | None  # its congress of the term, if the archive has it
    children: tuple[Entry, ...] = ()  # in Vietnamese order

    @property
    def held(self) -> int:
        """How many of its sub-units have news of their congress."""
        return sum(child.congress is not None for child in self.children)


@dataclass(frozen=True, slots=True)
class Board:
    term: str
    entries: tuple[Entry, ...]  # the top units, each with the tree below it

    def every(self) -> Iterable[Entry]:
        """Every entry, each before the units below it."""
        stack = list(reversed(self.entries))
        while stack:
            entry = stack.pop()
            yield entry
            stack.extend(reversed(entry.children))

    @property
    def held(self) -> int:
        return sum(entry.congress is not None for entry in self.every())

    @property
    def total(self) -> int:
        return sum(1 for _ in self.every())


def congresses(articles: Iterable[Article]) -> dict[tuple[str, str], Article]:
    """(unit, term) -> the article of that unit's congress for that term."""
    found: dict[tuple[str, str], Article] = {}
    for article in sorted(articles, key=lambda a: (a.date, a.url)):
        if article.kind == kinds.CONGRESS:
            found.setdefault((article.unit, article.term), article)
    return found


def board(
    site: Site,
    term: str,
    held: Mapping[tuple[str, str], Article],
    everyone: bool,
) -> Board:
    """The board of a term; `held`: `congresses(site.articles)`; `everyone`:
    every registered unit, not only those with news of the term."""
    slug_of = {group.name: group.slug for group in site.units}
    in_term = {a.unit for a in site.articles if a.term == term}

    def entry(name: str, children: tuple[Entry, ...]) -> Entry:
        return Entry(name, slug_of.get(name), held.get((name, term)), children)

    registry = site.registry
    if not registry:
        names = sorted(in_term, key=collation_key)
        return Board(term, tuple(entry(name, ()) for name in names))
    below: dict[str | None, list[Unit]] = {}
    for unit in registry.units:
        below.setdefault(unit.parent, []).append(unit)
    # an article's unit that is not registered stands at the top
    loose = [name for name in in_term if registry.find(name) is None]

    def branch(units: list[Unit]) -> tuple[Entry, ...]:
        made = []
        for unit in sorted(units, key=lambda u: collation_key(u.name)):
            children = branch(below.get(unit.name, []))
            if everyone or unit.name in in_term or children:
                made.append(entry(unit.name, children))
        return tuple(made)

    top = [*branch(below.get(None, [])), *(entry(name, ()) for name in loose)]
    return Board(term, tuple(sorted(top, key=lambda e: collation_key(e.name))))
