"""Published dates as sortable day numbers (YYYYMMDD), for filters and recency."""

from __future__ import annotations

import re
from datetime import date, datetime

# /2024/01/02/ or /2024-01-02- in a news url's path: the publication day most sites put there
URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/\-_.]|$)")


def parse_day(value: str) -> date | None:
    """Parse the date part of ISO stamps and the usual news formats; None when unknown."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        from dateutil import parser  # present via trafilatura's date handling

        return parser.parse(value, fuzzy=True, default=datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError, ImportError):
        return None


def day_date(value: date | str | None) -> date | None:
    """A date, or a date's text read by parse_day; None when missing, unreadable or before 1901."""
    day = parse_day(value) if isinstance(value, str) else value
    return day if day and day.year > 1900 else None


def day_number(value: date | str | None) -> int | None:
    """A date (or a date's text) as the index's YYYYMMDD int; None when missing or unreadable."""
    day = day_date(value)
    return day.year * 10000 + day.month * 100 + day.day if day else None


def day_words(day: date) -> str:
    """A day as people write it: '5 June 2025'."""
    return f"{day.day} {day:%B %Y}"


def day_iso(day: int | None) -> str | None:
    """A YYYYMMDD day number as YYYY-MM-DD (None stays None)."""
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}" if day else None


def day_from_url(url: str) -> str:
    """The YYYY-MM-DD a news url's path carries, or '' when it carries none."""
    match = URL_DAY.search((url or "").split("?", 1)[0])
    if not match:
        return ""
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        return ""
