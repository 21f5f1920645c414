"""Where in time a question is searched: the window its time words name, as date filters merged with the
ones given, widened (and said so) when the window holds nothing, or nothing on the question."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.answering.models import Answer, Passage, Searched
from bot.answering.retriever import HybridRetriever, Retrieval
from bot.answering.timespans import RECENT_DAYS
from bot.answering.timewords import Window, read_window
from index.dates import day_iso, parse_day
from index.query import Filters
from index.reader import IndexReader

LATEST_MARGIN = 0.08  # "the latest": passages this close to the best match count as on the question


def scope(index: IndexReader, filters: Filters | None, note: str = "") -> Searched:
    """What a search covers: the filters' dates and sources, and how many articles lie within them."""
    f = filters or Filters()
    return Searched(since=day_iso(f.since), until=day_iso(f.until), sources=f.source_names(),
                    articles=index.article_count(filters), note=note)


def day_number(day: date | None) -> int | None:
    """A date as the index's YYYYMMDD day number."""
    return day.year * 10000 + day.month * 100 + day.day if day else None


def merge(filters: Filters | None, window: Window) -> Filters | None:
    """The window's dates within the given filters (None when they do not overlap)."""
    f = filters or Filters()
    since = max(filter(None, (f.since, day_number(window.since))), default=None)
    until = min(filter(None, (f.until, day_number(window.until))), default=None)
    if since and until and since > until:
        return None
    return Filters(source=f.source, since=since, until=until)


def _span(window: Window) -> str:
    """The window's dates in words."""
    return span_words(window.since, window.until)


def span_words(a: date | None, b: date | None) -> str:
    """Dates in words: 'from 30 May to 5 June 2025', 'on 1 June 2025', 'since 1 March 2025'."""
    if not (a and b):
        return f"since {_words(a)}" if a else f"up to {_words(b)}"
    if a == b:
        return f"on {_words(a)}"
    head = str(a.day) if (a.year, a.month) == (b.year, b.month) else f"{a.day} {a:%B}" if a.year == b.year else _words(a)
    return f"from {head} to {_words(b)}"


def _words(day: date) -> str:
    """'5 June 2025'."""
    return f"{day.day} {day:%B %Y}"


@dataclass
class TimeScope:
    """Turns a question's time words into the filters it is searched with, and tells what was searched."""

    index: IndexReader
    enabled: bool = True
    widen_margin: float = 0.2  # the window's best passage this far below the archive's best: nothing on it there

    @classmethod
    def from_settings(cls, index: IndexReader, settings) -> "TimeScope":
        """The scope as the settings tune it (NEWSBOT_TIME_WORDS off: questions are searched as if time did not exist)."""
        return cls(index, settings.time.words, settings.time.widen_margin)

    def window(self, query: str, asked_on: date | None) -> Window:
        """The window the (standalone) question names; empty when time handling is off."""
        if not self.enabled:
            return Window(query=query)
        return read_window(query, asked_on or date.today())

    def retrieve(self, retriever: HybridRetriever, query: str, filters: Filters | None, asked_on: date | None,
                 top_k: int, widen: bool = False) -> tuple[Searched, Retrieval, Window]:
        """Search within the window (or, when it holds nothing on the question, or widen is asked because
        nothing in it answered, everything the filters allow up to the day asked)."""
        asked_on = asked_on or date.today()
        window = self.window(query, asked_on)
        if not window.dated:
            retrieval = self._search(retriever, window.query, filters, top_k, window.latest)
            return scope(self.index, filters, "freshest first" if window.latest else ""), retrieval, window
        merged = merge(filters, window)
        # widened: everything the filters allow up to the day asked (what the archive held then), with a
        # day's grace for time zones as the recency bonus has
        wide = merge(filters, Window(until=asked_on + timedelta(days=1))) or filters
        if merged is None:
            return self._widen(retriever, query, wide, top_k, window, f"“{window.phrase}” is outside the dates given")
        if widen:
            return self._widen(retriever, query, wide, top_k, window, f"nothing {_span(window)} answers it")
        searched = scope(self.index, merged, _told(window))
        if searched.articles == 0:
            return self._widen(retriever, query, wide, top_k, window, f"nothing was published {_span(window)}")
        retrieval = self._search(retriever, window.query, merged, top_k, window.latest)
        if self._off_topic(retrieval, wide):
            return self._widen(retriever, query, wide, top_k, window, f"nothing on this {_span(window)}")
        return searched, retrieval, window

    def _search(self, retriever: HybridRetriever, query: str, filters: Filters | None, top_k: int,
                latest: bool) -> Retrieval:
        """Hybrid retrieval; for 'the latest', a wider pool whose passages on the question come freshest first."""
        if not latest:
            return retriever.search(query, filters, top_k=top_k)
        retrieval = retriever.search(query, filters, top_k=top_k * 3)
        retrieval.passages = freshest_first(retrieval.passages)[:top_k]
        return retrieval

    def _off_topic(self, retrieval: Retrieval, filters: Filters | None) -> bool:
        """Does the archive beyond the window hold something much nearer the question than the window does?"""
        inside = max((p.dense_score or 0.0 for p in retrieval.passages), default=0.0)
        outside = self.index.dense_search(retrieval.vector.tolist(), 1, filters)
        return bool(outside) and outside[0][1] - inside > self.widen_margin

    def _widen(self, retriever: HybridRetriever, query: str, filters: Filters | None, top_k: int, window: Window,
               why: str) -> tuple[Searched, Retrieval, Window]:
        """Search the wider filters with the question as asked, and say why."""
        retrieval = self._search(retriever, query, filters, top_k, window.latest)
        return scope(self.index, filters, why), retrieval, replace(window, since=None, until=None)


def _told(window: Window) -> str:
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
    return sorted(on, key=lambda p: _day(p.published), reverse=True) + rest


def _day(published: str) -> date:
    """A publication date for sorting (undated last)."""
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
    parts.sort(key=lambda part: max((_day(by_n[n].published) for n in part[1]), default=date.min), reverse=True)
    renumber: dict[int, int] = {}
    for _, ns in parts:
        for n in ns:
            renumber.setdefault(n, len(renumber) + 1)
    texts = []
    for text, ns in parts:
        day = max((_day(by_n[n].published) for n in ns), default=date.min)
        lead = f"{_words(day)}: " if day != date.min else ""
        texts.append(lead + text + "".join(f" [{renumber[n]}]" for n in ns))
    citations = sorted((c.model_copy(update={"n": renumber[c.n]}) for c in answer.citations if c.n in renumber),
                       key=lambda c: c.n)
    short = answer.short_answer if citations and answer.short_answer and answer.short_answer in citations[0].quote else None
    return answer.model_copy(update={"answer": "\n".join(texts + ([tail] if tail else [])),
                                     "citations": citations, "short_answer": short})
