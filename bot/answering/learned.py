"""The learned answer step: rank candidate sentences, find the short answer, judge answerability."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bot.answering import answerability, features, shortanswer
from bot.answering.answer_types import Kind, classify
from bot.answering.extractive import (
    AUTHORSHIP,
    Sentence,
    question_body,
    question_options,
)
from bot.answering.ranker import Models
from index.reader import IndexReader


@dataclass
class Judgement:
    """What the learned step made of one question."""

    kind: Kind
    ranked: list[Sentence]  # embedded candidates of the kept passages, best first
    probs: np.ndarray  # the ranker's probability per ranked sentence
    short: shortanswer.Option | None
    short_p: float
    verdict: answerability.Verdict
    row: list[float] = field(default_factory=list)  # QUESTION_FEATURES, for training and inspection


def context(question: str, kind: Kind, recency: dict[str, float], recency_weight: float) -> features.Context:
    """The question-side inputs of the sentence features."""
    from index.text import query_terms

    return features.Context(query_terms(question_body(question)), kind, question_options(question),
                            bool(AUTHORSHIP.search(question)), recency, recency_weight)


def following(sents: list[Sentence], top: list[Sentence]) -> dict[int, str]:
    """The next sentence's text (same passage) of each top sentence, by its position in top."""
    by_place = {(s.passage.chunk_id, s.index): s.text for s in sents}
    return {i: by_place.get((s.passage.chunk_id, s.index + 1), "") for i, s in enumerate(top)}


HAND_WEIGHT = 1.0  # the hand-set score's weight beside the ranker's log-odds (see fused_order)


def fused_order(sents: list[Sentence], with_options: bool = False) -> list[Sentence]:
    """The sentences by the ranker's log-odds plus the hand-set score.

    Out of fold on the weekly quizzes this ranks the gold sentence first as often as the ranker alone
    (0.521 vs 0.523; top-3 0.768 vs 0.778), but where the ranker barely tells sentences apart, as on a
    small archive asked about one article's details, the hand-set score, which weighs the words asked,
    decides ('says Di Li, the chief scientist of FAST').
    """
    if with_options:  # quiz options appended: the ranker learned from bare questions; the hand-set score knows options
        return sorted(sents, key=lambda s: -s.hand)

    def key(s: Sentence) -> float:
        p = min(max(s.score, 1e-9), 1 - 1e-9)
        return math.log(p / (1 - p)) + HAND_WEIGHT * s.hand

    return sorted(sents, key=lambda s: -key(s))


class Learned:
    """The three models of bot/answering/ranker.py applied to one question's candidates."""

    def __init__(self, models: Models):
        self.models = models

    def score(self, question: str, sents: list[Sentence], top: list[Sentence], recency: dict[str, float],
              recency_weight: float) -> np.ndarray:
        """Feature rows of the top (embedded) sentences; each one's score becomes the ranker's probability."""
        ctx = context(question, classify(question_body(question)), recency, recency_weight)
        rows = features.sentence_matrix(top, ctx, following(sents, top))
        for s, p in zip(top, self.models.sentence.prob(rows)):
            s.score = float(p)
        return rows

    def judge(self, question: str, ranked: list[Sentence], index: IndexReader, dense1: float) -> Judgement:
        """Short answer and answerability for the ranked sentences of the kept passages."""
        body = question_body(question)
        kind = classify(body)
        credits = [s for s in ranked if s.is_credit] if AUTHORSHIP.search(question) else []
        if credits:  # who wrote or edited it: the byline or credit line leads
            ranked = credits[:1] + [s for s in ranked if s is not credits[0]]
        probs = np.array([s.score for s in ranked])
        terms = answerability.distinctive_terms(body)
        opts = shortanswer.options(terms, body, kind, ranked, probs)
        short, short_p = shortanswer.choose(opts, self.models.short, self.models.thresholds.get("short", 1.0))
        together = answerability.together(body, ranked)
        type_in_top = any(o.sentence < 3 for o in opts)
        coverage = answerability.coverage_features(index, question)
        row = answerability.question_row(probs, ranked, coverage, together, short_p, kind.factoid, type_in_top, dense1)
        confidence = float(self.models.answerable.prob(np.array([features.pick(row, self.models.answerable.features)]))[0])
        verdict = answerability.decide(confidence, answerability.held_together(coverage, ranked, explain=not kind.factoid), bool(credits),
                                       self.models.thresholds)
        return Judgement(kind, ranked, probs, short, short_p, verdict, row)
