"""Features of candidate sentences and of whole questions, for the learned ranker and answerability.

Every feature is cheap and readable: similarity, rarity-weighted word overlap, word pairs, whether a
sentence holds an answer of the asked-for type, where its passage ranked, where it sits in its
article, recency, length. The same code computes them when training (bot/evaluation/train.py) and
when answering, so the weights in bot/answering/ranking/weights/ mean the same thing in both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.answering.ranking import candidates as cand
from bot.answering.ranking.answer_types import Kind
from bot.answering.ranking.words import Vocabulary, local_idf, mentions, term_overlap, vocabulary
from bot.answering.stages import Candidate

SENTENCE_FEATURES = (
    "cosine", "cosine_rank", "overlap", "overlap_rank", "coverage", "pairs", "title_overlap", "passage_overlap",
    "next_overlap", "rank_inv", "fusion", "dense", "lead", "recency", "length", "type_match", "type_count",
    "option", "credit", "quote", "digit", "pool_articles",
)
QUESTION_FEATURES = (
    "p1", "p2", "p1_minus_p2", "cosine1", "dense1", "all_in_one", "names_unknown", "words_unknown",
    "pairs_unknown", "short_p", "factoid", "type_in_top", "has_names", "names_together", "gidf_passage",
    "gidf_sentence", "pool_articles",
)
# what the answerability gate weighs: signals that mean the same on a one-article index and on a year of news
# (the share of words or names an index has never seen says more of its size than of the question)
GATE_FEATURES = ("p1", "p2", "p1_minus_p2", "cosine1", "dense1", "all_in_one", "short_p", "factoid",
                 "type_in_top", "pool_articles")
QUOTES = re.compile(r"[\"“”]")


Row = dict[str, float]  # one feature row: each value under its name


def matrix(rows: Sequence[Mapping[str, float]], names: Sequence[str]) -> np.ndarray:
    """Rows as an array whose columns follow names (the order a weights file records)."""
    return np.array([[row[n] for n in names] for row in rows], dtype=np.float64).reshape(len(rows), len(names))


@dataclass(frozen=True)
class Context:
    """What the sentence features need to know of the question and its retrieval."""

    terms: list[str]  # the question's content words
    kind: Kind
    options: list[str]
    authorship: bool
    recency: dict[str, float]  # bonus per publication date (bot/answering/extractive.recency)
    recency_weight: float


def _rank_inv(values: list[float]) -> list[float]:
    """1/(1+rank) of each value among all (highest first): position, not size."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    out = [0.0] * len(values)
    for rank, i in enumerate(order):
        out[i] = 1.0 / (1 + rank)
    return out


def sentence_rows(sents: Sequence[Candidate], cosines: Sequence[float], ctx: Context,
                  following: dict[int, str]) -> tuple[Row, ...]:
    """SENTENCE_FEATURES of each sentence, by name."""
    vocabs = [vocabulary(s.text) for s in sents]
    idf = local_idf(ctx.terms, vocabs)
    overlaps = [term_overlap(ctx.terms, idf, v) for v in vocabs]
    cos_rank, ov_rank = _rank_inv(list(cosines)), _rank_inv(overlaps)
    top_fusion = max((s.passage.score for s in sents), default=0.0) or 1.0
    articles = pool_articles(sents)  # one article's passages rank by other signs than many articles' do
    return tuple(_sentence_row(s, vocab, ctx, idf, following.get(i, "")) | {
        "cosine": cosines[i], "cosine_rank": cos_rank[i], "overlap": overlaps[i], "overlap_rank": ov_rank[i],
        "fusion": s.passage.score / top_fusion, "pool_articles": articles}
        for i, (s, vocab) in enumerate(zip(sents, vocabs)))


def _sentence_row(s: Candidate, vocab: Vocabulary, ctx: Context, idf: dict[str, float], nxt: str) -> Row:
    """The features of one sentence that need no other sentence."""
    found = cand.find(ctx.kind, s.text, " ".join(ctx.terms)) if ctx.kind.factoid else []
    pairs = list(zip(ctx.terms, ctx.terms[1:]))
    return {
        "coverage": sum(vocab.has(t) for t in ctx.terms) / max(1, len(ctx.terms)),
        "pairs": sum(vocab.has(a) and vocab.has(b) for a, b in pairs) / max(1, len(pairs)),
        "title_overlap": term_overlap(ctx.terms, idf, vocabulary(s.passage.title)),
        "passage_overlap": term_overlap(ctx.terms, idf, vocabulary(s.passage.text)),
        "next_overlap": term_overlap(ctx.terms, idf, vocabulary(nxt)) if nxt else 0.0,
        "rank_inv": 1.0 / (1 + s.rank), "dense": s.passage.dense_score or 0.0,
        "lead": 1.0 if s.start < 400 else 0.0,
        "recency": ctx.recency.get(s.passage.published, 0.0) / (ctx.recency_weight or 1.0),
        "length": math.log(max(20, len(s.text))), "type_match": 1.0 if found else 0.0,
        "type_count": math.log1p(len(found)),
        "option": 1.0 if ctx.options and mentions(s.text, ctx.options) else 0.0,
        "credit": 1.0 if ctx.authorship and s.is_credit else 0.0,
        "quote": 1.0 if QUOTES.search(s.text) else 0.0, "digit": 1.0 if re.search(r"\d", s.text) else 0.0,
    }


def pool_articles(sents: Sequence[Candidate]) -> float:
    """log(1 + the number of articles the candidates come from): one article, or many."""
    return math.log1p(len({s.passage.article_id for s in sents}))


def all_in_one(terms: list[str], idf: dict[str, float], texts: list[str], share: float = 0.99) -> float:
    """The largest rarity-weighted share of the question's words that one sentence holds."""
    best = 0.0
    for text in texts:
        best = max(best, term_overlap(terms, idf, vocabulary(text)))
        if best >= share:
            break
    return best
