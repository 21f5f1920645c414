"""Time helpers of the answer stages: a window as filters, what a search covered, dates in words, 'the latest'
newest first (bot/answering/plan.py decides the window and when to widen it)."""

from __future__ import annotations

import re
from datetime import date

from bot.answering.models import Answer, Passage, Searched
from bot.answering.time.timespans import RECENT_DAYS
from bot.answering.time.timewords import Window
from index.dates import day_iso, day_number, day_words, parse_day
from index.query import Filters
from index.reader import IndexReader

LATEST_MARGIN = 0.08  # "the latest": passages this close to the best match count as on the question


def scope(index: IndexReader, filters: Filters | None, note: str = "", articles: int | None = None) -> Searched:
    """What a search covers: the filters' dates and sources, and how many articles lie within them
    (`articles` when the plan already counted them)."""
    f = filters or Filters()
    count = index.article_count(filters) if articles is None else articles
    return Searched(since=day_iso(f.since), until=day_iso(f.until), sources=f.source_names(), articles=count,
                    note=note)


def merge(filters: Filters | None, window: Window) -> Filters | None:
    """The window's dates within the given filters (None when they do not overlap)."""
    f = filters or Filters()
    since = max(filter(None, (f.since, day_number(window.since))), default=None)
    until = min(filter(None, (f.until, day_number(window.until))), default=None)
    if since and until and since > until:
        return None
    return Filters(source=f.source, since=since, until=until)


def span_words(a: date | None, b: date | None) -> str:
    """Dates in words: 'from 30 May to 5 June 2025', 'on 1 June 2025', 'since 1 March 2025'."""
    if not (a and b):
        return f"since {day_words(a)}" if a else f"up to {day_words(b)}"
    if a == b:
        return f"on {day_words(a)}"
    head = (str(a.day) if (a.year, a.month) == (b.year, b.month) else f"{a.day} {a:%B}" if a.year == b.year
            else day_words(a))
    return f"from {head} to {day_words(b)}"


def told(window: Window) -> str:
    """How the window was read, for the user to check: '“this week”'."""
    if window.upcoming:
        return f"“{window.phrase}” is still to come: the last {RECENT_DAYS} days"
    if window.phrase == "the latest":
        return f"“the latest”: the last {RECENT_DAYS} days, freshest first"
    return f"“{window.phrase}”" + (", freshest first" if window.latest else "")


def freshest_first(passages: list[Passage], margin: float = LATEST_MARGIN) -> list[Passage]:
    """Passages on the question (dense score near the best), newest first; the rest after them, as ranked."""
    best = max((p.dense_score or 0.0 for p in passages), default=0.0)
    on = [p for p in passages if (p.dense_score or 0.0) >= best - margin]
    rest = [p for p in passages if (p.dense_score or 0.0) < best - margin]
    return sorted(on, key=lambda p: p.published_day or date.min, reverse=True) + rest


def _day(published: str) -> date:
    """A citation's publication date for sorting (undated last)."""
    return parse_day(published) or date.min


MARKERS = re.compile(r"(?:\s*\[\d+\])+[.,;:]?")


def dated_answer(answer: Answer, window: Window | None) -> Answer:
    """'The latest on X': the answer's parts newest first, each led by its date; other answers unchanged."""
    if not (window and window.latest and answer.answered and answer.citations):
        return answer
    by_n = {c.n: c for c in answer.citations}
    parts, pos = [], 0
    for m in MARKERS.finditer(answer.answer):
        ns = [int(n) for n in re.findall(r"\[(\d+)\]", m.group(0)) if int(n) in by_n]
        parts.append((answer.answer[pos:m.start()].strip(), ns))
        pos = m.end()
    tail = answer.answer[pos:].strip()
    merged: dict[tuple[int, ...], list[str]] = {}  # one line per source: its sentences together
    for text, ns in parts:
        merged.setdefault(tuple(ns), []).append(text)
    parts = [(" ".join(texts), list(ns)) for ns, texts in merged.items()]
    parts.sort(key=lambda part: max((_day(by_n[n].published) for n in part[1]), default=date.min), reverse=True)
    renumber: dict[int, int] = {}
    for _, ns in parts:
        for n in ns:
            renumber.setdefault(n, len(renumber) + 1)
    texts = []
    for text, ns in parts:
        day = max((_day(by_n[n].published) for n in ns), default=date.min)
        lead = f"{day_words(day)}: " if day != date.min else ""
        texts.append(lead + text + "".join(f" [{renumber[n]}]" for n in ns))
    citations = sorted((c.model_copy(update={"n": renumber[c.n]}) for c in answer.citations if c.n in renumber),
                       key=lambda c: c.n)
    short = answer.short_answer if citations and answer.short_answer and answer.short_answer in citations[0].quote else None
    return answer.model_copy(update={"answer": "\n".join(texts + ([tail] if tail else [])),
                                     "citations": citations, "short_answer": short})
