"""The extractive answer: the retrieved sentences that best answer the question, quoted and cited."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.models import Citation, Passage
from index.chunking import split_sentences
from index.lexical import query_terms

WORD = re.compile(r"\w+")


@dataclass
class Sentence:
    """A candidate sentence: where it sits in its article, and how well it answers."""

    passage: Passage
    rank: int  # rank of its passage in retrieval
    start: int  # offsets into the article text
    end: int
    text: str
    cosine: float = 0.0
    overlap: float = 0.0
    score: float = 0.0


def candidates(passages: list[Passage], min_chars: int = 25) -> list[Sentence]:
    """Every distinct sentence of the passages (overlapping chunks repeat some)."""
    seen: set[tuple[str, int]] = set()
    out: list[Sentence] = []
    for rank, p in enumerate(passages):
        for s, e in split_sentences(p.text):
            key = (p.article_id, p.start + s)
            text = p.text[s:e]
            if key in seen or len(text) < min_chars:
                continue
            seen.add(key)
            out.append(Sentence(p, rank, p.start + s, p.start + e, text))
    return out


def term_overlap(terms: list[str], text: str) -> float:
    """Share of the question's content words found in the text (prefix match stands in for stemming)."""
    if not terms:
        return 0.0
    words = {w.lower() for w in WORD.findall(text)}
    hits = sum(1 for t in terms if t in words or (len(t) >= 5 and any(w.startswith(t[:5]) for w in words)))
    return hits / len(terms)


def score_sentences(question: str, qvec: np.ndarray, sents: list[Sentence], embedder, weights) -> None:
    """Score each candidate by meaning (cosine), shared words and its passage's rank."""
    if not sents:
        return
    vectors = embedder.encode([s.text for s in sents])
    cosines = vectors @ qvec
    terms = query_terms(question)
    for s, cos in zip(sents, cosines):
        s.cosine = float(cos)
        s.overlap = term_overlap(terms, s.text)
        s.score = s.cosine + weights.overlap * s.overlap + weights.rank / (1 + s.rank)


@dataclass
class Weights:
    """How sentence scores are combined (tuned on the dev set)."""

    overlap: float = 0.3
    rank: float = 0.1
    near_duplicate: float = 0.6


def select(sents: list[Sentence], n: int, weights: Weights) -> list[Sentence]:
    """Greedy best-first choice that skips near-duplicates of what is already chosen."""
    chosen: list[Sentence] = []
    for s in sorted(sents, key=lambda s: s.score, reverse=True):
        if len(chosen) >= n:
            break
        if any(_jaccard(s.text, c.text) > weights.near_duplicate for c in chosen):
            continue
        chosen.append(s)
    return chosen


def _jaccard(a: str, b: str) -> float:
    """Word-set overlap of two sentences."""
    wa, wb = set(WORD.findall(a.lower())), set(WORD.findall(b.lower()))
    return len(wa & wb) / max(1, len(wa | wb))


def compose(chosen: list[Sentence]) -> tuple[str, list[Citation]]:
    """Order the sentences (best article first, then article order) and number their citations."""
    order: dict[str, int] = {}
    for s in chosen:
        order.setdefault(s.passage.article_id, len(order))
    ordered = sorted(chosen, key=lambda s: (order[s.passage.article_id], s.start))
    groups = _merge_adjacent(ordered)
    parts, citations = [], []
    for n, group in enumerate(groups, 1):
        first, last = group[0], group[-1]
        p = first.passage
        text = " ".join(s.text for s in group)
        quote = p.text[first.start - p.start:last.end - p.start]  # exact article text, by offsets
        parts.append(f"{text} [{n}]")
        citations.append(Citation(
            n=n, article_id=p.article_id, title=p.title, source=p.source, author=p.author,
            published=p.published, url=p.link, quote=quote, start=first.start, end=last.end,
        ))
    return " ".join(parts), citations


def _merge_adjacent(ordered: list[Sentence]) -> list[list[Sentence]]:
    """Consecutive sentences of one passage share one citation."""
    groups: list[list[Sentence]] = []
    for s in ordered:
        prev = groups[-1][-1] if groups else None
        if prev and prev.passage.chunk_id == s.passage.chunk_id and 0 <= s.start - prev.end <= 2:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups
