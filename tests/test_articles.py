"""The model's pure rules, on Sources made in the test: one name per unit,
one address per article, the order readers see."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from generator.content.sources import Source
from generator.dates import ParsedDate
from generator.errors import BuildError, ContentError
from generator.site.articles import assign_slugs, canonical_units

ZONE = timezone(timedelta(hours=7))


def source(
    path: str, title: str = "Đại hội", unit: str = "Chi bộ Tân Hòa", **fields: object
) -> Source:
    day = fields.pop("day", 20)
    made = Source(
        path=path,
        title=title,
        unit=unit,
        unit_line=3,
        term="2025-2030",
        date=ParsedDate(datetime(2025, 5, int(str(day)), tzinfo=ZONE), False),
        updated=None,
        author=None,
        summary=None,
        tags=(),
        slug=None,
        draft=False,
        body="",
        body_line=7,
    )
    return replace(made, **fields)  # type: ignore[arg-type]


def test_spellings_of_one_unit_are_one_unit_shown_as_most_written() -> None:
    sources = [
        source("a.md", unit="Chi bộ Tân Hòa"),
        source("b.md", unit="Chi bộ Tân Hoà"),  # old tone placement
        source("c.md", unit="Chi bộ Tân Hoà"),
        source("d.md", unit="chi bộ tân hòa"),
    ]
    names = canonical_units(sources)
    assert set(names.values()) == {"Chi bộ Tân Hoà"}


def test_among_equally_used_spellings_mixed_case_wins() -> None:
    names = canonical_units(
        [source("a.md", unit="CHI BỘ AN PHÚ"), source("b.md", unit="Chi bộ An Phú")]
    )
    assert set(names.values()) == {"Chi bộ An Phú"}


def test_units_that_would_share_a_page_name_both_places() -> None:
    with pytest.raises(BuildError) as raised:
        canonical_units(
            [source("a.md", unit="Chi bộ An Phú"), source("b.md", unit="Chi bộ Ân Phủ")]
        )
    (problem,) = raised.value.problems
    assert str(problem) == (
        "b.md:3: unit 'Chi bộ Ân Phủ' and unit 'Chi bộ An Phú' (a.md:3) would share the page"
        " /don-vi/chi-bo-an-phu/; spell the unit the same way in both"
    )


def test_a_taken_address_gets_a_number_and_a_warning() -> None:
    warnings: list[ContentError] = []
    slugs = assign_slugs(
        [source("b.md", day=21), source("a.md", day=20), source("c.md", day=22)], warnings.append
    )
    # the earliest article keeps the address; the later ones are numbered in date order
    assert slugs == {"a.md": "dai-hoi", "b.md": "dai-hoi-2", "c.md": "dai-hoi-3"}
    assert [w.path for w in warnings] == ["b.md", "c.md"]
    assert warnings[0].message.startswith("the address /2025/dai-hoi/ is already used by a.md;")


def test_the_editors_slug_is_served_first_and_drafts_last() -> None:
    slugs = assign_slugs(
        [
            source("early.md", day=1),
            source("chosen.md", day=30, slug="dai-hoi"),
            source("draft.md", day=2, draft=True, slug="dai-hoi"),
        ],
        lambda warning: None,
    )
    assert slugs == {"chosen.md": "dai-hoi", "early.md": "dai-hoi-2", "draft.md": "dai-hoi-3"}


def test_the_pager_segment_is_never_an_article_address() -> None:
    slugs = assign_slugs([source("a.md", title="Trang")], lambda warning: None)
    assert slugs == {"a.md": "trang-2"}
