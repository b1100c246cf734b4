"""What the organisation tree costs a build: related news, the congress
boards, and planning every page (roll-up lists included), timed on a
generated archive's site model.

    .venv/bin/python tests/bench/corpus.py --articles 100000 --out DIR
    .venv/bin/python tests/bench/tree.py DIR --tree 40

`--tree N` first writes DIR/content/units.yaml (when it has none): every
unit of the corpus under one of N parents, which are under one top unit,
all plainly invented names. Then DIR/content is loaded and modelled as
`archive check` does (through the project's build cache, so a second run
is quick) and each step is timed once.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from generator import settings, urls
from generator.build.pipeline import check
from generator.build.run import Project
from generator.content import registry
from generator.pages import routes
from generator.site.board import board, congresses
from generator.site.groups import Site
from generator.site.related import related

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def modelled(content: Path) -> Site:
    checked = check(Project(ROOT, content, content.parent / "site"), settings.load(ROOT, {}))
    if checked.site is None:
        sys.exit("the archive has problems: run archive check")
    return checked.site


def write_tree(content: Path, units: list[str], parents: int) -> None:
    top = "Đảng bộ mẫu cấp trên"
    rows: list[dict[str, Any]] = [{"name": top}]
    rows += [{"name": f"Đảng bộ khối mẫu {n + 1}", "parent": top} for n in range(parents)]
    rows += [
        {"name": unit, "parent": f"Đảng bộ khối mẫu {place % parents + 1}"}
        for place, unit in enumerate(sorted(units))
    ]
    text = yaml.safe_dump(rows, allow_unicode=True, sort_keys=False)
    (content / registry.FILE_NAME).write_text(text, encoding="utf-8")


def timed(name: str, step: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = step()
    print(f"  {name:44} {time.perf_counter() - started:6.2f} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="the folder corpus.py wrote (DIR/content)")
    parser.add_argument("--tree", type=int, metavar="N", help="parents to write (see above)")
    args = parser.parse_args()
    content = args.dir / "content"
    started = time.perf_counter()
    site = modelled(content)
    if args.tree and not (content / registry.FILE_NAME).exists():
        write_tree(content, [g.name for g in site.units], args.tree)
        site = modelled(content)
    print(
        f"{len(site.articles):,} articles, {len(site.units):,} units"
        f" ({sum(1 for g in site.units if g.children):,} with units below them):"
        f" loaded and modelled in {time.perf_counter() - started:.1f} s"
    )
    # as the build does: the site model frozen, the collector off while planning
    gc.freeze()
    gc.disable()
    held = congresses(site.articles)
    timed("related news, every article", lambda: related(site))
    timed("congresses held, every unit and term", lambda: congresses(site.articles))
    timed("the board of every term", lambda: [board(site, t.name, held, True) for t in site.terms])
    config = settings.load(ROOT, {})
    links = urls.Links(config.base_path, config.absolute_base)
    made = timed(
        "plan every page (related, boards, roll-ups)", lambda: routes.plan(site, config, links)
    )
    print(f"  {len(made.pages):,} pages planned")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of this process {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
