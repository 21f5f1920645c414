"""The extractive answer: the retrieved sentences that best answer the question, quoted and cited."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from bot.answering.models import Citation, Passage
from index.dates import parse_day
from index.text import BYLINE, CREDIT, query_terms, split_sentences

# "Who wrote/reported/edited ...?": bylines and credit lines answer these, short as they are.
AUTHORSHIP = re.compile(
    r"\b(who|which|whose|name)\b.*\b(wrote|write|written|writes|writer|reported|reporting|reporters?|"
    r"edited|editing|editors?|authors?|byline|journalists?|correspondents?)\b", re.I)
WORD = re.compile(r"\w+")


@dataclass
class Weights:
    """How sentence scores are combined (tuned on the dev set)."""

    overlap: float = 0.3
    rank: float = 0.1
    near_duplicate: float = 0.6
    embed_top: int = 10  # only the best candidates by words and rank are embedded (latency)
    option: float = 0.3  # bonus for naming one of the options a question lists
    credit: float = 0.5  # bonus for a byline or credit line when the question asks who wrote it
    context_after: int = 1  # sentences of context quoted after a chosen sentence
    recency: float = 0.0  # bonus for an article published on the day the question is asked (see recency())
    half_life_days: float = 30.0  # ... halved for every half-life between publication and the question


@dataclass
class Sentence:
    """A candidate sentence: where it sits in its article, and how well it answers."""

    passage: Passage
    rank: int  # rank of its passage in retrieval
    index: int  # position among its passage's sentences
    start: int  # offsets into the article text
    end: int
    text: str
    cosine: float = 0.0
    overlap: float = 0.0
    score: float = 0.0
    hand: float = 0.0  # the hand-set score, kept beside the learned one (bot/answering/learned.py fuses the two)

    @property
    def is_credit(self) -> bool:
        """A byline ('By Jane Roe') or credit line ('(Reporting by …; Editing by …)')."""
        return bool(BYLINE.match(self.text) or CREDIT.match(self.text))


def candidates(passages: list[Passage], min_chars: int = 25) -> list[Sentence]:
    """Every distinct sentence of the passages (overlapping chunks repeat some)."""
    seen: set[tuple[str, int]] = set()
    out: list[Sentence] = []
    for rank, p in enumerate(passages):
        for i, (s, e) in enumerate(split_sentences(p.text)):
            key = (p.article_id, p.start + s)
            text = p.text[s:e]
            if key in seen or (len(text) < min_chars and not BYLINE.match(text)):
                continue
            seen.add(key)
            out.append(Sentence(p, rank, i, p.start + s, p.start + e, text))
    return out


def _words(text: str) -> set[str]:
    """Lower-cased word set of a text."""
    return {w.lower() for w in WORD.findall(text)}


INFLECTIONS = ("s", "es", "d", "ed", "ing", "er", "ers")


class Vocabulary:
    """A text's words and their 5-letter prefixes, for fast matching of question words."""

    __slots__ = ("words", "prefixes")

    def __init__(self, text: str):
        self.words = _words(text)
        self.prefixes = {w[:5] for w in self.words if len(w) >= 5}

    def has(self, term: str) -> bool:
        """Exact word, a shared 5-letter prefix (cheap stemming: 'reported' ~ 'reporting') or a short word's
        inflection;
        a hyphenated or dotted term ('full-scale', 'u.s') when the text holds each of its parts."""
        if term in self.words or (len(term) >= 5 and term[:5] in self.prefixes):
            return True
        if 3 <= len(term) < 5 and any(term + end in self.words for end in INFLECTIONS):
            return True  # short words inflect too: 'want' ~ 'wanted', 'sue' ~ 'sued
        parts = [p for p in re.split(r"[^\w]+", term) if p]
        return len(parts) > 1 and all(p in self.words for p in parts)


def term_overlap(terms: list[str], idf: dict[str, float], vocab: Vocabulary) -> float:
    """Share of the question's content words (weighted by rarity) found in the text."""
    total = sum(idf.get(t, 1.0) for t in terms)
    if not total:
        return 0.0
    return sum(idf.get(t, 1.0) for t in terms if vocab.has(t)) / total


def local_idf(terms: list[str], vocabs: list[Vocabulary]) -> dict[str, float]:
    """Rarity of each question word among the candidates: words every sentence has say little."""
    n = len(vocabs) or 1
    return {t: math.log(1 + n / (1 + sum(1 for v in vocabs if v.has(t)))) for t in terms}


OPTIONS = re.compile(r"\(([^()]+,[^()]+)\)\s*\??\s*$")


def question_options(question: str) -> list[str]:
    """Options a quiz-style question lists at its end: 'Who won? (Ann, Bo, Cy)'."""
    match = OPTIONS.search(question.strip())
    if not match:
        return []
    parts = re.split(r",\s*(?:or\s+)?|\s+or\s+", match.group(1))
    return [p.strip(" \"'“”‘’") for p in parts if p.strip(" \"'“”‘’")][:8]


def question_body(question: str) -> str:
    """The question without the options it lists."""
    match = OPTIONS.search(question.strip())
    return question.strip()[: match.start()] if match else question


def _mentions(text: str, options: list[str]) -> bool:
    """Does the sentence name one of the options (as whole words)?"""
    low = text.lower()
    return any(re.search(r"(?<!\w)" + re.escape(o.lower()) + r"(?!\w)", low) for o in options)


def score_sentences(question: str, qvec: np.ndarray, sents: list[Sentence], embed: Callable, weights: Weights,
                    asked_on: date | None = None) -> list[Sentence]:
    """Score by shared rare words, passage rank and recency, then add meaning (cosine) for the best few.

    Returns the best few (the embedded ones), which the learned ranker scores again.
    """
    if not sents:
        return []
    terms = query_terms(question)
    vocabs = [Vocabulary(s.text) for s in sents]
    idf = local_idf(terms, vocabs)
    options = question_options(question)
    authorship = bool(AUTHORSHIP.search(question))
    fresh = recency({s.passage.published for s in sents}, asked_on or date.today(), weights.recency,
                    weights.half_life_days)
    for s, vocab in zip(sents, vocabs):
        s.overlap = term_overlap(terms, idf, vocab)
        s.score = weights.overlap * s.overlap + weights.rank / (1 + s.rank) + fresh[s.passage.published]
        if options and _mentions(s.text, options):
            s.score += weights.option
        if authorship and s.is_credit:
            s.score += weights.credit
    top = sorted(sents, key=lambda s: s.score, reverse=True)[: weights.embed_top]
    vectors = embed([s.text for s in top])
    for s, cos in zip(top, vectors @ qvec):
        s.cosine = float(cos)
        s.score += s.cosine
    return top


def recency(published: set[str], asked_on: date, weight: float, half_life_days: float) -> dict[str, float]:
    """Bonus per publication date: weight, halved per half-life between publication and the day asked.

    News questions are about the news of their day ('this week', 'the latest'); an undated article
    gets nothing, nor one published after the day asked (hindsight, for `--as-of` and dated evals;
    a day's grace for time zones), and with a weight of 0 dates play no part.
    """
    out = {}
    for value in published:
        day = parse_day(value) if weight and value else None
        age = (asked_on - day).days if day else None
        out[value] = weight * 0.5 ** (max(age, 0) / half_life_days) if age is not None and age >= -1 else 0.0
    return out


def select(sents: list[Sentence], n: int, weights: Weights, keep_order: bool = False) -> list[Sentence]:
    """Greedy best-first choice (or in the given order) that skips near-duplicates of what is already chosen."""
    chosen: list[Sentence] = []
    for s in sents if keep_order else sorted(sents, key=lambda s: s.score, reverse=True):
        if len(chosen) >= n:
            break
        if any(_jaccard(s.text, c.text) > weights.near_duplicate for c in chosen):
            continue
        chosen.append(s)
    return chosen


def _jaccard(a: str, b: str) -> float:
    """Word-set overlap of two sentences."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / max(1, len(wa | wb))


def compose(chosen: list[Sentence], context_after: int = 1) -> tuple[str, list[Citation]]:
    """Order the sentences (the best first, then by article and position) and number their citations."""
    # the best sentence leads; the rest follow grouped by article, in reading order
    order: dict[str, int] = {}
    for s in chosen:
        order.setdefault(s.passage.article_id, len(order))
    ordered = chosen[:1] + sorted(chosen[1:], key=lambda s: (order[s.passage.article_id], s.start))
    parts, citations = [], []
    for n, group in enumerate(_merge_adjacent(ordered), 1):
        first, last = group[0], group[-1]
        parts.append(" ".join(s.text for s in group) + f" [{n}]")
        citations.append(citation(n, first.passage, first.start, _context_end(last, context_after)))
    return " ".join(parts), citations


def citation(n: int, p: Passage, start: int, end: int) -> Citation:
    """Citation n quoting the article from start to end (offsets inside passage p)."""
    return Citation(
        n=n, article_id=p.article_id, title=p.title, source=p.source, author=p.author,
        published=p.published, url=p.link, quote=p.text[start - p.start:end - p.start], start=start, end=end,
    )


def _context_end(last: Sentence, after: int) -> int:
    """Article offset where the quote ends: a sentence or so past the claim, within its passage."""
    spans = split_sentences(last.passage.text)
    stop = min(len(spans) - 1, last.index + after)
    return last.passage.start + max(spans[stop][1], last.end - last.passage.start)


def _merge_adjacent(ordered: list[Sentence]) -> list[list[Sentence]]:
    """Consecutive sentences of one passage share one citation."""
    groups: list[list[Sentence]] = []
    for s in ordered:
        prev = groups[-1][-1] if groups else None
        if prev and prev.passage.chunk_id == s.passage.chunk_id and s.index - prev.index == 1:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups
