"""The days each kind of time expression covers, relative to the day asked: a month, a weekday, 'this week',
'three weeks ago'. bot/answering/time/timewords.py finds the expressions and decides which are dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
          "nov": 11, "dec": 12}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "few": 3, "couple of": 2}
NEWS_TAIL = 2  # a day's news runs on for a couple of days after it ("Sunday's election" is reported on Monday)
RECENT_DAYS = 30  # "recently", "lately"


@dataclass
class Point:
    """One time expression found in a question: its span and the days it covers."""

    start: int
    end: int
    kind: str
    first: date | None
    last: date | None
    alone: bool = True  # a lone day reads as the day and the news after it


def resolve(name: str, m: re.Match, asked_on: date, ahead: bool = False) -> Point | None:
    """The days a matched form covers, relative to asked_on (the next such day when the question looks
    ahead, else the last); None when it names no real date."""
    g = m.groupdict()
    if name in ("iso", "numeric", "day_month", "month_day"):
        day = _parse_day(m.group(0), asked_on, bool(g.get("year")), ahead)
        return Point(m.start(), m.end(), "day", day, day) if day else None
    if name == "month":
        month = MONTHS[g["mon"].lower()[:3]]
        year = int(g["year"]) if g.get("year") else None
        if g.get("rel"):
            year = asked_on.year - (g["rel"].lower() == "last")
        if year is None and ahead:
            year = asked_on.year if month >= asked_on.month else asked_on.year + 1
        if year is None:
            year = asked_on.year if month <= asked_on.month else asked_on.year - 1
        first = date(year, month, 1)
        return Point(m.start(), m.end(), "month", first, first + relativedelta(months=1, days=-1))
    if name == "holiday":
        day = _holiday_near(g["hol"], asked_on, ahead)
        first = day - timedelta(days=2) if g.get("wkend") and day.weekday() == 0 else day  # Memorial Day weekend
        return Point(m.start(), m.end(), "day" if first == day else "holiday", first, day)
    if name == "year":
        y = int(g["year"])
        return Point(m.start(), m.end(), "year", date(y, 1, 1), date(y, 12, 31))
    if name == "weekday" and ahead and not g.get("mod") and not g.get("poss"):
        day = asked_on + timedelta(days=(WEEKDAYS.index(g["wd"].lower()) - asked_on.weekday()) % 7)
        return Point(m.start(), m.end(), "day", day, day)
    first, last = _relative(name, g, asked_on)
    return Point(m.start(), m.end(), "day" if first == last else name, first, last)


def holiday(name: str, year: int) -> date:
    """The day of a (mostly US and UK) public holiday in a year."""
    name = re.sub(r"\s+", " ", name.lower().replace("’", "'"))
    if name.startswith("easter"):
        from dateutil.easter import easter

        return easter(year) + timedelta(days=1 if name.endswith("monday") else 0)
    rules = {"memorial": (5, 0, -1), "labo": (9, 0, 1), "thanksgiving": (11, 3, 4)}  # month, weekday, nth
    for key, (month, weekday, nth) in rules.items():
        if name.startswith(key):
            return _nth_weekday(year, month, weekday, nth)
    fixed = {"new year's eve": (12, 31), "new year": (1, 1), "valentine": (2, 14), "independence": (7, 4),
             "the fourth": (7, 4), "halloween": (10, 31), "christmas eve": (12, 24), "christmas": (12, 25),
             "boxing": (12, 26)}
    month, day = next(v for k, v in fixed.items() if name.replace("years", "year's").startswith(k))
    return date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth such weekday of a month (nth -1: the last)."""
    if nth < 0:
        last = date(year, month, 1) + relativedelta(months=1, days=-1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _holiday_near(name: str, asked_on: date, ahead: bool) -> date:
    """The holiday's last occurrence up to asked_on (the next from it, when the question looks ahead, or when
    it is a few days off: 'pardoned before Thanksgiving' two days before it)."""
    day = holiday(name, asked_on.year)
    if ahead or 0 < (day - asked_on).days <= 7:
        return day if day >= asked_on else holiday(name, asked_on.year + 1)
    return day if day <= asked_on else holiday(name, asked_on.year - 1)


def _parse_day(text: str, asked_on: date, has_year: bool, ahead: bool = False) -> date | None:
    """An absolute day through dateparser (a day without a year is the last such day up to asked_on,
    or the next one from it when the question looks ahead)."""
    import dateparser  # imported on first use: it loads its language data then

    base = datetime.combine(asked_on, datetime.min.time())
    parsed = dateparser.parse(re.sub(r"^the\s+", "", text, flags=re.I), languages=["en"],
                              settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                                        "REQUIRE_PARTS": ["day", "month"], "PREFER_DAY_OF_MONTH": "first"})
    if parsed is None:
        return None
    day = parsed.date()
    if not has_year and day > asked_on and not ahead:
        day = day - relativedelta(years=1)
    if not has_year and day < asked_on and ahead:
        day = day + relativedelta(years=1)
    return day


def _relative(name: str, g: dict, d: date) -> tuple[date, date]:
    """Windows of the relative forms: days, weekdays, weeks, weekends, months, years, spans, 'ago', 'recently'."""
    if name == "relday":
        rel = re.sub(r"\s+", " ", g["rel"].lower())
        back = 2 if rel.startswith("the day before") else 1 if rel in ("yesterday", "last night") else 0
        return d - timedelta(days=back), d - timedelta(days=back)
    if name == "weekday":
        wd = WEEKDAYS.index(g["wd"].lower())
        back = (d.weekday() - wd) % 7
        if back == 0 and (g.get("mod") or "").lower() == "last":
            back = 7
        day = d - timedelta(days=back)
        return day, day
    if name == "recent":
        days = {"days": 7, "weeks": RECENT_DAYS, "months": 180}.get((g.get("runit") or "").lower(), RECENT_DAYS)
        return d - timedelta(days=days), d
    n = g.get("n")
    count = NUMBERS.get(re.sub(r"\s+", " ", n.lower()), 0) if n and not n.isdigit() else int(n or 1)
    unit = (g.get("unit") or g.get("per") or "").lower()
    if name == "span":
        return d - _units(unit, count), d
    if name == "ago" and not n:  # "days ago", "weeks ago": lately, not one day
        return d - {"day": timedelta(days=7), "week": timedelta(days=42)}.get(unit, relativedelta(months=6)), d
    if name == "ago":
        return _around(d - _units(unit, count), unit)
    return _period(unit, re.sub(r"\s+", " ", (g.get("which") or "over the").lower()), d)


def _units(unit: str, n: int) -> relativedelta:
    """n days, weeks, months or years."""
    return relativedelta(**{unit + "s": n})


def _around(day: date, unit: str) -> tuple[date, date]:
    """'Three weeks ago': the week around that day; 'two months ago': that calendar month; and so on."""
    if unit == "week":
        return day - timedelta(days=3), day + timedelta(days=3)
    if unit == "month":
        first = day.replace(day=1)
        return first, first + relativedelta(months=1, days=-1)
    if unit == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


def _period(unit: str, which: str, d: date) -> tuple[date, date]:
    """this/last/past week, weekend, month, year (this week: the last seven days; last week: the one before)."""
    past = which in ("past", "the past", "the last", "over the")
    if unit == "week":
        if past or which == "this":
            return d - timedelta(days=7 if past else 6), d
        monday = d - timedelta(days=d.weekday())
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if unit == "weekend":
        saturday = d - timedelta(days=(d.weekday() - 5) % 7)
        if which in ("last", "previous", "the last") and d.weekday() >= 5:
            saturday -= timedelta(days=7)
        return saturday, saturday + timedelta(days=1 + NEWS_TAIL)
    if unit == "month":
        if past:
            return d - relativedelta(months=1), d
        first = d.replace(day=1) - (relativedelta(months=1) if which != "this" else relativedelta())
        return first, (first + relativedelta(months=1, days=-1)) if which != "this" else d
    if past:
        return d - relativedelta(years=1), d
    year = d.year - (which != "this")
    return date(year, 1, 1), (date(year, 12, 31) if which != "this" else d)
