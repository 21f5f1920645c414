"""Timelines: one dated sentence per event on a topic, quoted verbatim and cited, oldest first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from bot.answering.briefs.stories import (
    Quote,
    best_sentence,
    covers,
    jaccard,
    sentences,
    topic_hits,
)
from bot.answering.models import Answer, Passage, Searched
from bot.answering.retriever import Retrieval
from bot.answering.time.timescope import merge, scope
from bot.answering.time.timewords import Window, read_window
from index.dates import day_words
from index.query import Filters
from index.reader import IndexReader
from index.text import query_terms

# "timeline of the Gaza ceasefire", "give me a timeline for the strike", "what's the chronology of …?"
ASKED = re.compile(
    r"^\s*(?:(?:please\s+)?(?:give|show|make|build|get|can\s+you\s+(?:give|show|make))\s+(?:me\s+|us\s+)?|"
    r"(?:what|where)(?:['’]s|\s+is)\s+)?(?:an?\s+|the\s+)?(?:timeline|chronology)\s+(?:of|for|on|about)\s+"
    r"(?P<topic>.+?)\s*[?.!]*\s*$", re.I)
POOL = 120  # hits on the topic looked at
FLOOR = 0.3  # a passage less similar than this to the topic is not about it
MARGIN = 0.25  # ... nor one this far below the best match
DUPLICATE_COSINE = 0.8  # two entries this alike (or sharing most words) within DUPLICATE_DAYS tell one event
DUPLICATE_DAYS = 3
PRESELECT = 4  # sentences per article embedded to find its best (by words shared with the topic)


def timeline_topic(question: str) -> str | None:
    """The topic of a 'timeline of …' question, else None."""
    m = ASKED.match(question or "")
    return m.group("topic").strip() if m and query_terms(m.group("topic")) else None


@dataclass
class Timeline:
    """A topic's entries, oldest first, and what was searched for them."""

    topic: str
    entries: list[Quote] = field(default_factory=list)
    searched: Searched = field(default_factory=Searched)
    vector: np.ndarray | None = None
    undated: int = 0  # articles on the topic that carry no date (a timeline cannot place them)

    def to_json(self) -> dict:
        """`newsbot timeline --json`: {"topic", "entries": [{"date", "title", "source", "url", "quote"}], "searched"}."""
        return {"topic": self.topic, "entries": [e.to_json() for e in self.entries],
                "searched": self.searched.model_dump(by_alias=True, exclude={"note"})}

    def as_answer(self, question: str) -> Answer:
        """The timeline as an answer every front end can show: one dated, cited line per entry."""
        if not self.entries:  # how many were searched is the footer's to say, once
            text = (f"I found no dated articles about “{self.topic}”." if not self.undated else
                    f"The article about “{self.topic}” carries no date, so it cannot be placed on a timeline."
                    if self.undated == 1 else f"The {self.undated} articles about “{self.topic}” carry no date, "
                    "so they cannot be placed on a timeline.")
            return Answer(question=question, answered=False, answer=text, standalone_question=self.topic,
                          searched=self.searched)
        lines = [f"{day_words(e.day)}: {e.text} [{n}]" for n, e in enumerate(self.entries, 1)]
        return Answer(question=question, answered=True, answer="\n".join(lines), standalone_question=self.topic,
                      citations=[e.citation(n) for n, e in enumerate(self.entries, 1)], confidence=1.0,
                      searched=self.searched)

    def retrieval(self) -> Retrieval:
        """The entries' passages as a retrieval (what evaluation looks at)."""
        return Retrieval(self.topic, self.vector, [e.passage for e in self.entries])


class TimelineBuilder:
    """Builds timelines from the index: the topic's articles, each one's best sentence, duplicates merged."""

    def __init__(self, index: IndexReader, settings):
        self.index = index
        self.limit = settings.time.timeline_entries
        self.time_words = settings.time.words

    def build(self, topic: str, filters: Filters | None = None, asked_on: date | None = None,
              limit: int | None = None) -> Timeline:
        """The timeline of a topic (its own time words narrow it: 'the strike since March')."""
        window = read_window(topic, asked_on or date.today()) if self.time_words else Window(query=topic)
        narrowed = merge(filters, window) if window.dated else None
        query, merged = (window.query, narrowed) if narrowed is not None else (topic, filters)
        vector = self.index.embed_query(query)
        hits = topic_hits(self.index, query, vector, merged, POOL)
        on_topic = self._on_topic(hits, query)
        entries = self._entries(on_topic, query, vector)
        entries = sorted(sorted(entries, key=lambda e: -e.score)[: limit or self.limit], key=lambda e: (e.day, -e.score))
        note = f"“{window.phrase}”" if narrowed is not None else ""
        undated = len({p.article_id for p in on_topic if p.published_day is None})
        return Timeline(topic, entries, scope(self.index, merged, note), vector, undated)

    @staticmethod
    def _on_topic(hits: list[Passage], query: str) -> list[Passage]:
        """The hits that use the topic's words and are near enough to it (dated or not)."""
        hits = [p for p in hits if covers(p, query_terms(query))]
        best = max((p.dense_score or 0.0 for p in hits), default=0.0)
        return [p for p in hits if (p.dense_score or 0.0) >= max(FLOOR, best - MARGIN)]

    def _entries(self, on_topic: list[Passage], query: str, vector: np.ndarray) -> list[Quote]:
        """Each on-topic article's best sentence, near-duplicates (one event told twice) merged."""
        terms = query_terms(query)
        by_article: dict[str, list[Quote]] = {}
        for p in on_topic:
            by_article.setdefault(p.article_id, []).extend(sentences(p))
        chosen = []
        for quotes in by_article.values():
            quotes.sort(key=lambda q: -sum(t in q.text.lower() for t in terms))
            if (entry := best_sentence(_distinct(quotes)[:PRESELECT], vector, self.index.embed)) is not None:
                chosen.append(entry)
        return self._merge(chosen)

    def _merge(self, entries: list[Quote]) -> list[Quote]:
        """Keep the earliest telling of each event (the best-scored on its day); drop later near-duplicates."""
        if not entries:
            return []
        entries.sort(key=lambda e: (e.day, -e.score))
        vectors = self.index.embed([e.text for e in entries])
        kept: list[int] = []
        for i, e in enumerate(entries):
            if not any(abs((e.day - entries[j].day).days) <= DUPLICATE_DAYS
                       and (float(vectors[i] @ vectors[j]) >= DUPLICATE_COSINE or jaccard(e.text, entries[j].text) > 0.5)
                       for j in kept):
                kept.append(i)
        return [entries[i] for i in kept]


def _distinct(quotes: list[Quote]) -> list[Quote]:
    """One of each sentence (overlapping chunks repeat some)."""
    seen, out = set(), []
    for q in quotes:
        if q.start not in seen:
            seen.add(q.start)
            out.append(q)
    return out
