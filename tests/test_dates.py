from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from generator.dates import parse_date

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("raw", "iso", "has_time"),
    [
        ("2025-06-17", "2025-06-17T00:00:00+07:00", False),
        ("2025-06-17 08:30", "2025-06-17T08:30:00+07:00", True),
        ("2025-06-17T08:30:15", "2025-06-17T08:30:15+07:00", True),
        ("2025-06-17T08:30+07:00", "2025-06-17T08:30:00+07:00", True),
        ("2025-06-17T01:30:00Z", "2025-06-17T08:30:00+07:00", True),
        ("2025-06-16T20:00:00-05:00", "2025-06-17T08:00:00+07:00", True),
        ("17/6/2025", "2025-06-17T00:00:00+07:00", False),
        ("20/08/2022 15:55", "2022-08-20T15:55:00+07:00", True),
        ("3/2/2025", "2025-02-03T00:00:00+07:00", False),
        ("17-6-2025", "2025-06-17T00:00:00+07:00", False),
        (" 17.6.2025 ", "2025-06-17T00:00:00+07:00", False),
    ],
)
def test_accepted_forms(raw: str, iso: str, has_time: bool) -> None:
    parsed = parse_date(raw, ZONE)
    assert parsed.moment.isoformat() == iso
    assert parsed.has_time is has_time


@pytest.mark.parametrize("raw", ["2025-13-45", "31/2/2025", "2025-06-17 25:00", "32/1/2025"])
def test_impossible_dates_are_errors(raw: str) -> None:
    with pytest.raises(ValueError, match=rf"^date '{raw}' is not a valid date$"):
        parse_date(raw, ZONE)


@pytest.mark.parametrize("raw", ["hôm qua", "June 5, 2025", "2025/06/17", "6/17", "17/6/25"])
def test_unknown_forms_explain_what_to_write(raw: str) -> None:
    with pytest.raises(ValueError, match="is not a valid date; write it as 17/6/2025"):
        parse_date(raw, ZONE)
