"""Digests: a period's stories grouped by clustering their chunk vectors, each group one cited lead sentence
plus how many more articles tell it, biggest first."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from bot.answering.briefs.stories import (
    Quote,
    best_sentence,
    covers,
    passage_day,
    sentences,
    topic_hits,
    unit,
)
from bot.answering.models import Answer, Passage, Searched
from bot.answering.retriever import Retrieval
from bot.answering.time.timescope import scope, span_words
from bot.answering.time.timewords import read_window
from index.dates import day_number, day_words
from index.errors import BadFlag
from index.query import Filters
from index.reader import IndexReader
from index.text import query_terms

MAX_CHUNKS = 5000  # a period's chunks clustered at most (the newest)
STORY_DISTANCE = 0.45  # articles whose mean chunk vectors are nearer than this (cosine distance) tell one story
TOPIC_POOL, TOPIC_FLOOR, TOPIC_MARGIN = 200, 0.3, 0.25  # a digest on a topic: its hits, as near as a timeline's
RECENT_DAYS = 7  # an undated topic's digest reaches back a week when nothing came since yesterday
LEAD_CHUNKS = 2  # the lead sentence comes from the opening of the story's most central article
# "what happened this week?", "what's new?", "what's the latest news on the strike since monday?": a digest of
# the window (and topic) asked about, not a sentence search; "what happened to X" stays a question
ASKED = re.compile(r"^\s*(?:so\s+|and\s+)?(?:what(?:['’]s|\s+is|\s+has|\s+have)?\s+(?:been\s+)?(?P<verb>happened|happening|"
                   r"new|going\s+on|the\s+(?:latest\s+)?news)|any(?:thing)?\s+new[s]?)(?![\w'’])(?P<rest>.*?)[\s?.!]*$",
                   re.IGNORECASE)
ABOUT = re.compile(r"^(?:in|on|with|about|around|regarding)\s+", re.IGNORECASE)


@dataclass
class Story:
    """One group of articles: the lead sentence quoted from its most central article, and the others."""

    lead: Quote
    articles: list[Passage]  # one passage per article, the lead's first

    @property
    def more(self) -> list[Passage]:
        """The articles besides the lead's."""
        return self.articles[1:]

    def to_json(self) -> dict:
        """{"lead": {date, title, source, url, quote}, "more": N, "articles": [...]}."""
        return {"lead": self.lead.to_json(), "more": len(self.more),
                "articles": [{"date": p.published, "title": p.title, "source": p.source, "url": p.link}
                             for p in self.more]}


@dataclass
class Digest:
    """A period's stories, biggest first."""

    topic: str
    since: date
    until: date
    stories: list[Story] = field(default_factory=list)
    left_out: int = 0  # smaller stories beyond the digest's size
    searched: Searched = field(default_factory=Searched)

    def title(self) -> str:
        """'News digest on the strike, 1–2 June 2025'."""
        about = f" on {self.topic}" if self.topic else ""
        return f"News digest{about} {span_words(self.since, self.until)}"

    def to_json(self) -> dict:
        """`newsbot digest --json`."""
        return {"topic": self.topic, "from": self.since.isoformat(), "to": self.until.isoformat(),
                "stories": [s.to_json() for s in self.stories], "more_stories": self.left_out,
                "searched": self.searched.model_dump(by_alias=True, exclude={"note"})}

    def as_answer(self, question: str) -> Answer:
        """The digest as an answer every front end can show: one cited lead per story, biggest first."""
        if not self.stories:  # how many were searched is the footer's to say
            about = f" on {self.topic}" if self.topic else ""
            return Answer(question=question, answered=False, searched=self.searched,
                          answer=f"No dated articles{about} were published {span_words(self.since, self.until)}.")
        lines = [f"{self.title()}:"]
        for n, s in enumerate(self.stories, 1):
            more = f" (+{len(s.more)} more article{'s' if len(s.more) != 1 else ''})" if s.more else ""
            lines.append(f"{n}. {s.lead.text} [{n}]{more}")
        return Answer(question=question, answered=True, answer="\n".join(lines), confidence=1.0,
                      citations=[s.lead.citation(n) for n, s in enumerate(self.stories, 1)], searched=self.searched)

    def retrieval(self) -> Retrieval:
        """The stories' passages as a retrieval (what evaluation looks at)."""
        return Retrieval(self.topic, None, [p for s in self.stories for p in s.articles])

    def lines(self) -> list[str]:
        """Plain text: each story's lead with its source and how many more articles tell it."""
        out = []
        for n, s in enumerate(self.stories, 1):
            p = s.lead.passage
            more = f" (+{len(s.more)} more article{'s' if len(s.more) != 1 else ''})" if s.more else ""
            out.append(f"{n}. {s.lead.text} [{n}]{more}")
            out.append(f"   — {p.title}, {', '.join(x for x in (p.source, day_words(s.lead.day)) if x)}  {p.link}")
        if self.left_out:
            out.append(f"… and {self.left_out} smaller stor{'ies' if self.left_out != 1 else 'y'}.")
        return out


def since_day(value: str | None, today: date) -> date:
    """`--since`: a date (2025-06-01), a span back from today (1d, 2w, 36h), or time words ('monday', 'last week')."""
    value = (value or "1d").strip()
    if m := re.fullmatch(r"(\d+)\s*([hdw])", value.lower()):
        n, unit_ = int(m.group(1)), m.group(2)
        return today - timedelta(days={"h": math.ceil(n / 24), "d": n, "w": 7 * n}[unit_])
    window = read_window(value if " " in value else f"since {value}", today)
    if window.since is None:
        raise BadFlag(f"--since expects a date like 2025-06-01, a span like 1d or 2w, or words like 'monday'; "
                      f"got {value!r}")
    return window.since


class DigestBuilder:
    """Clusters a period's chunks into stories (scikit-learn's agglomerative clustering on cosine distance)."""

    def __init__(self, index: IndexReader, settings):
        self.index = index
        self.size = settings.time.digest_groups

    def build(self, topic: str, since: date, until: date, filters: Filters | None = None) -> Digest:
        """The digest of since..until (inclusive), on a topic when one is given."""
        f = Filters(source=filters.source if filters else None, since=day_number(since), until=day_number(until))
        passages = self._topic(topic, f) if topic else [Passage.of(r) for r in self.index.chunks_in(f, MAX_CHUNKS)]
        vectors = self.index.vectors([p.chunk_id for p in passages])
        passages = [p for p in passages if p.chunk_id in vectors and passage_day(p)]
        stories = self._stories(passages, vectors) if passages else []
        stories.sort(key=lambda s: (-len(s.articles), -s.lead.day.toordinal()))
        return Digest(topic, since, until, stories[: self.size], max(0, len(stories) - self.size), scope(self.index, f))

    def _topic(self, topic: str, f: Filters) -> list[Passage]:
        """The period's chunks on the topic."""
        vector = self.index.embed_query(topic)
        hits = [p for p in topic_hits(self.index, topic, vector, f, TOPIC_POOL) if covers(p, query_terms(topic))]
        best = max((p.dense_score or 0.0 for p in hits), default=0.0)
        return [p for p in hits if (p.dense_score or 0.0) >= max(TOPIC_FLOOR, best - TOPIC_MARGIN)]

    def _stories(self, passages: list[Passage], vectors: dict[str, list[float]]) -> list[Story]:
        """Group articles by their mean chunk vector; lead each group with its most central article's best sentence."""
        by_article: dict[str, list[Passage]] = {}
        for p in passages:
            by_article.setdefault(p.article_id, []).append(p)
        ids = list(by_article)
        means = unit(np.stack([np.mean([vectors[p.chunk_id] for p in by_article[a]], axis=0) for a in ids]))
        labels = cluster(means, STORY_DISTANCE)
        stories = []
        for label in sorted(set(labels)):
            members = [i for i, lab in enumerate(labels) if lab == label]
            centre = unit(means[members].mean(axis=0))
            members.sort(key=lambda i: -float(means[i] @ centre))
            lead = self._lead(by_article[ids[members[0]]], centre)
            if lead is None:
                continue
            others = [min(by_article[ids[i]], key=lambda p: p.start) for i in members[1:]]
            stories.append(Story(lead, [lead.passage] + others))
        return stories

    def _lead(self, chunks: list[Passage], centre: np.ndarray) -> Quote | None:
        """The sentence of the article's opening nearest the story's centre."""
        ordered = sorted(chunks, key=lambda p: p.start)
        quotes = [q for p in ordered[:LEAD_CHUNKS] for q in sentences(p)] or [q for p in ordered for q in sentences(p)]
        return best_sentence(quotes, centre, self.index.embed)


def digest_for(builder: DigestBuilder, text: str, day: date, filters: Filters | None = None) -> Digest:
    """The digest a request asks for: its topic, over the dates its time words name (default: since yesterday)."""
    window = read_window(text, day) if text else None
    if window and window.dated:
        return builder.build(window.query if window.query != text else "", window.since or day - timedelta(days=1),
                             window.until or day, filters)
    return builder.build(text, day - timedelta(days=1), day, filters)


def digest_request(question: str, day: date) -> str | None:
    """What a 'what happened this week?' question asks a digest of ('' for everything), else None.

    The rest after 'what happened' must be time words, or a topic after in/on/about: 'what happened to
    the ferry?' asks about one event, and 'what's new on the strike?' for the latest on it: both answered from
    sentences ('the latest' comes freshest first).
    """
    m = ASKED.match(question or "")
    if m is None:
        return None
    rest = m.group("rest").strip()
    on_topic = (m.group("verb") or "").lower() != "new"  # "what's new on X": the latest on X, freshest first
    topic = ABOUT.sub("", rest)
    if not rest or topic != rest and on_topic:
        return topic
    window = read_window(rest, day)
    return rest if window.dated and (window.query == rest or on_topic and ABOUT.match(window.query)) else None


def question_digest(builder: DigestBuilder, about: str, day: date, filters: Filters | None = None) -> Digest | None:
    """The digest a 'what happened …?' question asks for: over the dates its time words name; on a topic named with
    none ('what happened in Baltimore?'), since yesterday, else over the past week, else None: nothing recent tells
    what happened, so the archive's sentences answer ('what happened in the Moscow concert hall attack?' a week on)."""
    if not about or read_window(about, day).dated:
        return digest_for(builder, about, day, filters)
    for days in (1, RECENT_DAYS):
        digest = builder.build(about, day - timedelta(days=days), day, filters)
        if digest.stories:
            return digest
    return None


def cluster(vectors: np.ndarray, distance: float) -> list[int]:
    """Agglomerative clustering (average linkage, cosine distance) cut at a distance: one label per row."""
    if len(vectors) < 2:
        return [0] * len(vectors)
    from sklearn.cluster import (
        AgglomerativeClustering,  # imported when a digest is made
    )

    model = AgglomerativeClustering(n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average")
    return [int(x) for x in model.fit_predict(vectors)]
