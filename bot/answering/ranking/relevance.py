"""Does the index cover a question? The signal behind plain refusals."""

from __future__ import annotations

import re

from bot.answering.ranking import extractive
from index.reader import IndexReader
from index.text import query_terms

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


def unknown_share(index: IndexReader, question: str) -> float:
    """Share of the question's names that occur nowhere in the index (words near each other)."""
    phrases = named_phrases(question)
    if not phrases:
        return 0.0
    return len(index.unknown_phrases(phrases)) / len(phrases)


def word_coverage(index: IndexReader, question: str) -> tuple[float, float]:
    """(share of the question's content words no chunk holds, share of its neighbouring word pairs
    whose words are indexed but never together).

    Unknown words: 'sumo', 'saffron' in a politics archive. Pairs: 'quantum dots', 'cash rate',
    'sumo grand (champion)': an index that covers the topic holds its word pairs in some chunk, even
    when every single word is common. Anywhere in the chunk, so a paraphrase still finds its pairs;
    a word the index lacks altogether proves nothing about the topic (a small index, a paraphrase),
    so its pairs are not counted. One lookup of the single words serves both shares.
    """
    terms = query_terms(extractive.question_body(question))
    if not terms:
        return 0.0, 0.0
    unknown = {words[0] for words in index.unknown_phrases([[t] for t in terms])}
    pairs = [[a, b] for a, b in zip(terms, terms[1:])]
    known_pairs = [p for p in pairs if not unknown & set(p)]
    unknown_pairs = index.unknown_phrases(known_pairs, near=False) if known_pairs else []
    return len(unknown) / len(terms), (len(unknown_pairs) / len(pairs) if pairs else 0.0)


def relevance(question: str, best, cosine: float, passages, unknown: float, unknown_pairs: float,
              unknown_words: float) -> float:
    """Tuned on answerable vs unanswerable dev questions (bench/questions, ../shared/eval).

    The best sentence's similarity plus 1.5 times the best passage similarity, minus half the share
    of the question's names the index has never seen, the share of its word pairs that no chunk
    holds together and the share of its words that no chunk holds.
    A byline or credit line answering a who-wrote-it question counts as a full match.
    """
    if best.is_credit and extractive.AUTHORSHIP.search(question):
        return 2.0 - unknown
    dense = max((p.dense_score or 0.0 for p in passages[:3]), default=0.0)
    return cosine + 1.5 * dense - 0.5 * unknown - unknown_pairs - unknown_words
