"""Load stage, part two: the optional registry of units, `content/units.yaml`.

A list of the party organisations the archive covers: canonical name, short
name, parent organisation, aliases and former names, description. Articles
may name a unit by any of its names; they are filed under the canonical one.
The archive works without the file (an empty registry).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from generator.content import frontmatter
from generator.content.files import link_problem
from generator.content.sources import decode
from generator.errors import BuildError, ContentError
from generator.infra.files import display_path
from generator.vietnamese import collapse_spaces, fold, slugify, spelling_key

FILE_NAME = "units.yaml"
FIELDS = ("name", "short_name", "parent", "aliases", "former_names", "description")


@dataclass(frozen=True, slots=True)
class Unit:
    name: str  # canonical, as shown
    short_name: str | None
    parent: str | None  # canonical name of the parent organisation
    aliases: tuple[str, ...]
    former_names: tuple[str, ...]
    description: str | None
    line: int


def name_key(name: str) -> str:
    """Two spellings of one name give one key: case, spaces, tone placement."""
    return spelling_key(collapse_spaces(name)).casefold()


@dataclass(frozen=True, slots=True)
class Registry:
    units: tuple[Unit, ...] = ()
    path: str = "content/" + FILE_NAME
    _by_key: Mapping[str, Unit] = field(default_factory=dict, repr=False)

    def __bool__(self) -> bool:
        return bool(self.units)

    def find(self, name: str) -> Unit | None:
        """The unit called `name` (canonical name, alias or former name)."""
        return self._by_key.get(name_key(name))

    def children(self, name: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.parent == name)

    def ancestors(self, name: str) -> Iterator[Unit]:
        unit = self.find(name)
        while unit is not None and unit.parent is not None:
            unit = self.find(unit.parent)
            if unit is not None:
                yield unit

    def names(self) -> tuple[str, ...]:
        """Every name an editor may write: canonical names first, then the others."""
        others = [n for u in self.units for n in (*u.aliases, *u.former_names)]
        return tuple(dict.fromkeys([u.name for u in self.units] + others))

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Canonical names nearest to a name that is not registered.

        The kind of organisation (`Chi bộ`, `Đảng bộ xã` ...) is left out of
        the comparison: every name shares it, so it says nothing.
        """
        wanted = _distinctive(name)
        words = set(wanted.split())
        scored: dict[str, float] = {}
        for unit in self.units:
            for known in (unit.name, *unit.aliases, *unit.former_names):
                folded = _distinctive(known)
                score = difflib.SequenceMatcher(None, wanted, folded).ratio()
                if words and words <= set(folded.split()):
                    score += 1  # every word typed is in the name: a shortened name
                scored[unit.name] = max(scored.get(unit.name, 0.0), score)
        ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
        floor = max(0.75, ranked[0][1] - 0.25) if ranked else 1.0
        return [name for name, score in ranked[:limit] if score >= floor]


_KINDS = frozenset(
    [
        "chi",
        "bo",
        "dang",
        "uy",
        "xa",
        "phuong",
        "thi",
        "tran",
        "huyen",
        "quan",
        "tinh",
        "thanh",
        "pho",
    ]
)


def _distinctive(name: str) -> str:
    """Folded name without the words that only say what kind of unit it is."""
    return " ".join(w for w in fold(collapse_spaces(name)).split() if w not in _KINDS)


EMPTY = Registry()


def load(content_dir: Path, warn: Callable[[ContentError], None]) -> Registry:
    """Read `units.yaml` in the content folder; an empty registry when absent."""
    path = content_dir / FILE_NAME
    shown = display_path(path)
    if not path.is_file():
        return Registry(path=shown)
    problem = link_problem(path, content_dir) if path.is_symlink() else None
    if problem is not None:
        raise problem
    root = frontmatter.compose(decode(path.read_bytes(), shown), shown, 1)
    if root is None:
        return Registry(path=shown)
    if not isinstance(root, yaml.SequenceNode):
        raise ContentError(
            shown, 1, "the registry must be a list of units, each starting with '- name: ...'"
        )
    reader = _Reader(shown, warn)
    units = [unit for node in root.value if (unit := reader.unit(node)) is not None]
    by_key = reader.index(units)
    reader.check_parents(units, by_key)
    if reader.problems:
        raise BuildError(reader.problems)
    # a parent written as an alias is stored under its canonical name
    units = [replace(u, parent=by_key[name_key(u.parent)].name) if u.parent else u for u in units]
    canonical = {u.name: u for u in units}
    return Registry(tuple(units), shown, {key: canonical[u.name] for key, u in by_key.items()})


class _Reader:
    """Reads entries, collecting every problem with its line."""

    def __init__(self, path: str, warn: Callable[[ContentError], None]) -> None:
        self.path = path
        self.warn = warn
        self.problems: list[ContentError] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(ContentError(self.path, node.start_mark.line + 1, message))

    def text(self, node: yaml.Node, name: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            self.problem(node, f"{name} must be text")
            return None
        return collapse_spaces(str(node.value)) or None

    def texts(self, node: yaml.Node, name: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null"):
            items = [node]
        elif isinstance(node, yaml.SequenceNode):
            items = node.value
        else:
            self.problem(node, f"{name} must be a list of names, e.g. [Đảng ủy xã A]")
            return ()
        values = (self.text(item, name) for item in items)
        return tuple(dict.fromkeys(v for v in values if v))

    def unit(self, node: yaml.Node) -> Unit | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "each unit must be fields such as 'name: Chi bộ …'")
            return None
        values: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.problem(key, "a field name must be plain text")
                continue
            name = str(key.value)
            if name not in FIELDS:
                known = ", ".join(FIELDS)
                line = key.start_mark.line + 1
                self.warn(
                    ContentError(self.path, line, f"unknown field '{name}' is ignored ({known})")
                )
            else:
                values[name] = value
        if "name" not in values:
            self.problem(node, "this unit has no 'name'")
            return None
        unit_name = self.text(values["name"], "name")
        if not unit_name or not slugify(unit_name):
            self.problem(values["name"], "name must contain letters")
            return None
        single = {
            k: self.text(values[k], k)
            for k in ("short_name", "parent", "description")
            if k in values
        }
        return Unit(
            name=unit_name,
            short_name=single.get("short_name"),
            parent=single.get("parent"),
            aliases=self.texts(values["aliases"], "aliases") if "aliases" in values else (),
            former_names=(
                self.texts(values["former_names"], "former_names")
                if "former_names" in values
                else ()
            ),
            description=single.get("description"),
            line=node.start_mark.line + 1,
        )

    def index(self, units: list[Unit]) -> dict[str, Unit]:
        by_key: dict[str, Unit] = {}
        slugs: dict[str, Unit] = {}
        for unit in units:
            for known in (unit.name, *unit.aliases, *unit.former_names):
                other = by_key.setdefault(name_key(known), unit)
                if other is not unit:
                    self.problems.append(
                        ContentError(
                            self.path,
                            unit.line,
                            f"the name '{known}' is also used by '{other.name}' (line"
                            f" {other.line}); a name may belong to one unit only",
                        )
                    )
            owner = slugs.setdefault(slugify(unit.name), unit)
            if owner is not unit and name_key(owner.name) != name_key(unit.name):
                self.problems.append(
                    ContentError(
                        self.path,
                        unit.line,
                        f"'{unit.name}' and '{owner.name}' (line {owner.line}) would share one"
                        " page address; make the names differ in more than accents",
                    )
                )
        return by_key

    def check_parents(self, units: list[Unit], by_key: Mapping[str, Unit]) -> None:
        for unit in units:
            if unit.parent is None:
                continue
            parent = by_key.get(name_key(unit.parent))
            if parent is None:
                self.problems.append(
                    ContentError(
                        self.path,
                        unit.line,
                        f"parent '{unit.parent}' of '{unit.name}' is not in the list;"
                        " add it as a unit of its own",
                    )
                )
                continue
            chain = [unit.name, parent.name]
            while parent is not None and parent.name != unit.name and chain.count(parent.name) < 2:
                parent = by_key.get(name_key(parent.parent)) if parent.parent else None
                if parent is not None:
                    chain.append(parent.name)
            if chain[-1] == unit.name:
                self.problems.append(
                    ContentError(
                        self.path,
                        unit.line,
                        f"'{unit.name}' is its own parent ({' → '.join(chain)});"
                        " a unit's parents must lead up to a top organisation",
                    )
                )
