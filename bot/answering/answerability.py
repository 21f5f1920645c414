"""Does the answer hold what was asked? A calibrated probability over question-level features.

Three outcomes: answered; answered tentatively ("the articles may not answer this directly — the
closest passages"), still cited; refused with related articles. A question whose distinctive words
all stand together in one retrieved sentence is never refused for low similarity alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.answering import relevance
from bot.answering.extractive import Sentence, Vocabulary, local_idf
from bot.answering.features import all_in_one
from index.query import query_terms
from index.reader import IndexReader

# the words of a question's frame ("how long", "how many") are not what it is about
FRAME = re.compile(r"\bhow\s+(?:many|much|long|old|far|big|large|tall|high|often|deep|fast|heavy)\b", re.I)
TOGETHER = 0.999  # every distinctive word in one sentence


@dataclass
class Verdict:
    """What the gate decided, with the probability behind it."""

    confidence: float
    outcome: str  # "answered", "tentative" or "refused"


def distinctive_terms(question: str) -> list[str]:
    """The question's content words without its frame ('how long', 'how many')."""
    return query_terms(FRAME.sub(" ", question))


def coverage_features(index: IndexReader, question: str) -> dict[str, float]:
    """What the index has never seen of the question: names, words, word pairs (bot/answering/relevance.py)."""
    words, pairs = relevance.word_coverage(index, question)
    return {"names_unknown": relevance.unknown_share(index, question), "words_unknown": words,
            "pairs_unknown": pairs}


def together(question: str, sents: list[Sentence]) -> float:
    """The largest rarity-weighted share of the question's distinctive words one candidate sentence holds."""
    terms = distinctive_terms(question)
    if not terms or not sents:
        return 0.0
    idf = local_idf(terms, [Vocabulary(s.text) for s in sents])
    return all_in_one(terms, idf, [s.text for s in sents])


def question_row(probs: np.ndarray, top: list[Sentence], coverage: dict[str, float], together_share: float,
                 short_p: float, factoid: bool, type_in_top: bool, dense1: float) -> list[float]:
    """QUESTION_FEATURES (bot/answering/features.py) of one question, in order."""
    ps = sorted(probs.tolist(), reverse=True) + [0.0, 0.0]
    return [ps[0], ps[1], ps[0] - ps[1], max((s.cosine for s in top), default=0.0), dense1, together_share,
            coverage["names_unknown"], coverage["words_unknown"], coverage["pairs_unknown"], short_p,
            1.0 if factoid else 0.0, 1.0 if type_in_top else 0.0]


def decide(confidence: float, together_share: float, thresholds: dict[str, float]) -> Verdict:
    """Refused below `refuse`, tentative below `tentative`; all the words in one sentence is never refused."""
    if confidence < thresholds["refuse"] and together_share < TOGETHER:
        return Verdict(confidence, "refused")
    if confidence < thresholds["tentative"]:
        return Verdict(confidence, "tentative")
    return Verdict(confidence, "answered")
