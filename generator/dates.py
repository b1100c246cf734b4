"""Parse the dates editors type: ISO 8601 and the Vietnamese day-first forms.

Pure: a string and a time zone in, an aware datetime out (or ValueError with
the message an editor should read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
_OFFSET = r"(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)"
_ISO = re.compile(
    rf"(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})(?:(?:[Tt]|\s+){_TIME}\s*{_OFFSET}?)?"
)
# 17/6/2025, 20/08/2022 15:55, 17-6-2025, 17.6.2025
_DAY_FIRST = re.compile(
    rf"(?P<day>\d{{1,2}})(?P<sep>[/.-])(?P<month>\d{{1,2}})(?P=sep)(?P<year>\d{{4}})(?:\s+{_TIME}\s*{_OFFSET}?)?"
)


@dataclass(frozen=True, slots=True)
class ParsedDate:
    moment: datetime  # always aware
    has_time: bool  # False when the editor gave only a day


def _offset(text: str) -> timezone:
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_date(raw: str, zone: tzinfo) -> ParsedDate:
    """Read `raw`; a date without an offset is in `zone` (the site's time zone)."""
    text = raw.strip()
    match = _ISO.fullmatch(text) or _DAY_FIRST.fullmatch(text)
    if match is None:
        raise ValueError(
            f"date '{raw}' is not a valid date; write it as 17/6/2025 or 2025-06-17,"
            " optionally followed by a time such as 08:30"
        )
    parts = match.groupdict()
    has_time = parts["hour"] is not None
    try:
        moment = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int((parts["fraction"] or "0").ljust(6, "0")),
        )
        tz = _offset(parts["offset"]) if parts["offset"] else zone
        moment = moment.replace(tzinfo=tz)
        if parts["offset"]:
            moment = moment.astimezone(zone)
        moment.astimezone(UTC)  # sorting compares in UTC: year 1 or 9999 may not fit
    except ValueError:
        raise ValueError(f"date '{raw}' is not a valid date") from None
    except OverflowError:
        raise ValueError(f"date '{raw}' is out of range; check the year") from None
    return ParsedDate(moment, has_time)


def machine_date(moment: datetime, has_time: bool) -> str:
    """ISO 8601 for <time datetime>, structured data and sitemaps: with the
    time and offset when the editor gave a time, else the day alone (a day
    written as midnight would claim a time nobody gave)."""
    return moment.isoformat() if has_time else moment.date().isoformat()
