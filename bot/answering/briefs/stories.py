"""What timelines and digests share: a topic's hits across a period, articles' sentences, and dated quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from bot.answering.models import Citation, Passage
from bot.answering.retriever import hybrid_hits, rrf, scored_passages
from index.query import Filters
from index.reader import IndexReader
from index.text import BYLINE, CREDIT, split_sentences

MIN_SENTENCE = 40  # shorter 'sentences' are captions, headings and datelines, not events
WORD = re.compile(r"\w+")
# links to other stories and headings that pages leave in the text: not what an article says
NOT_PROSE = re.compile(r"^(?:more|read\s+more|related|watch|listen|see\s+also|contributing|photos?|video)\s*:", re.I)
ENDS = re.compile(r"[.!][\"'”’)\]]*$")  # a statement: questions and headings tell no event


@dataclass
class Quote:
    """One sentence quoted verbatim from an article, with what is needed to cite it."""

    day: date
    text: str
    passage: Passage
    start: int  # offsets into the article text
    end: int
    score: float = 0.0

    def to_json(self) -> dict:
        """The entry as `--json` prints it: date, title, source, url, quote."""
        p = self.passage
        return {"date": self.day.isoformat(), "title": p.title, "source": p.source, "url": p.link, "quote": self.text}

    def citation(self, n: int) -> Citation:
        """Citation n quoting exactly this sentence."""
        p = self.passage
        return Citation(n=n, article_id=p.article_id, title=p.title, source=p.source, author=p.author,
                        published=p.published, url=p.link, quote=self.text, start=self.start, end=self.end)


def passage_day(p: Passage) -> date | None:
    """The day a passage's article was published (None when undated)."""
    return p.published_day


def sentences(p: Passage) -> list[Quote]:
    """The passage's sentences that can stand as an entry (not bylines, credits or fragments), undated ones dropped."""
    day = passage_day(p)
    if day is None:
        return []
    out = []
    for s, e in split_sentences(p.text):
        text = p.text[s:e]
        if len(text) >= MIN_SENTENCE and ENDS.search(text) and not (BYLINE.match(text) or CREDIT.match(text)
                                                                     or NOT_PROSE.match(text)):
            out.append(Quote(day, text, p, p.start + s, p.start + e))
    return out


def topic_hits(index: IndexReader, query: str, vector: np.ndarray, filters: Filters | None, k: int) -> list[Passage]:
    """Dense and lexical hits on a topic fused by rank, each with its cosine to the topic, nearest first."""
    known, rankings = hybrid_hits(index, query, vector, filters, k, k)
    fused = rrf(rankings, 60)
    rows = index.passages(list(fused))
    passages = scored_passages(index, vector, rows, list(rows), fused, known, unknown=0.0)
    return sorted(passages, key=lambda p: -(p.dense_score or 0.0))


def covers(p: Passage, terms: list[str]) -> bool:
    """Does the passage (with its title) name the topic: all its words, or all but one of four or more?
    A word counts when the text has it or a word sharing its first five letters ('strike' ~ 'strikes')."""
    words = {w.lower() for w in WORD.findall(f"{p.title} {p.text}")}
    prefixes = {w[:5] for w in words if len(w) >= 5}
    found = sum(t in words or (len(t) >= 5 and t[:5] in prefixes) for t in terms)
    return found >= len(terms) - (len(terms) >= 4)


def best_sentence(quotes: list[Quote], target: np.ndarray, embed) -> Quote | None:
    """The sentence nearest a target vector (the topic, a story's centre), scored by cosine."""
    if not quotes:
        return None
    for q, cos in zip(quotes, embed([q.text for q in quotes]) @ target):
        q.score = float(cos)
    return max(quotes, key=lambda q: q.score)


def jaccard(a: str, b: str) -> float:
    """Word-set overlap of two sentences."""
    wa, wb = {w.lower() for w in WORD.findall(a)}, {w.lower() for w in WORD.findall(b)}
    return len(wa & wb) / max(1, len(wa | wb))


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)
