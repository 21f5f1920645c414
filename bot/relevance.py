"""Does the index cover a question? The signal behind plain refusals."""

from __future__ import annotations

import re

from bot import extractive

QUESTION_WORDS = frozenset(
    "what who whom whose which when where why how is are was were do does did can could will would should "
    "has have had the a an in of and or for to on at by from with as if".split()
)
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
TOKEN = re.compile(r"[A-Za-z0-9][\w&-]*")


def named_phrases(question: str) -> list[list[str]]:
    """Runs of capitalised words (names, places, organisations) in the question, lower-cased."""
    body = extractive.question_body(question)
    runs: list[list[str]] = []
    current: list[str] = []
    for i, token in enumerate(TOKEN.findall(body.replace("’", "'"))):
        low = token.lower()
        named = token[0].isupper() and not (i == 0 and low in QUESTION_WORDS) and low not in CALENDAR
        if named and not token.isdigit():
            current.append(low)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def unknown_share(index, question: str) -> float:
    """Share of the question's names that occur nowhere in the index (words near each other)."""
    phrases = named_phrases(question)
    if not phrases:
        return 0.0
    return len(index.lexical.unknown_phrases(phrases)) / len(phrases)


def relevance(question: str, best, passages, unknown: float) -> float:
    """Tuned on answerable vs unanswerable dev questions (bench/questions, ../shared/eval).

    The closer of passage and sentence similarity, plus the best sentence's similarity, minus
    half the share of the question's names the index has never seen. A byline or credit line
    answering a who-wrote-it question counts as a full match.
    """
    if best.is_credit and extractive.AUTHORSHIP.search(question):
        return 2.0 - unknown
    dense = max((p.dense_score or 0.0 for p in passages[:3]), default=0.0)
    return max(dense, best.cosine) + best.cosine - 0.5 * unknown
