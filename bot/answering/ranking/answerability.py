"""Does the answer hold what was asked? A calibrated probability over question-level features.

Three outcomes: answered; answered tentatively ("the articles may not answer this directly — the
closest passages"), still cited; refused with related articles. A question whose distinctive words
(those the index holds, most of them) all stand together in one retrieved sentence is never refused
for low similarity alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.answering.ranking import commonwords, relevance
from bot.answering.ranking.features import Row, all_in_one, pool_articles
from bot.answering.ranking.words import local_idf, term_overlap, vocabulary
from bot.answering.stages import Candidate
from index.reader import IndexReader
from index.text import query_terms

# the words of a question's frame ("how long", "how many") are not what it is about
FRAME = re.compile(r"\bhow\s+(?:many|much|long|old|far|big|large|tall|high|often|deep|fast|heavy)\b", re.I)
# 'think', 'alone', 'begin', 'runs' (Zipf ≥ 4.8) are everyday words; 'bakery', 'invasion', 'ceasefire' are not
COMMON_ZIPF = commonwords.FLOOR


@dataclass(frozen=True)
class Verdict:
    """What the gate decided, with the probability behind it."""

    confidence: float
    outcome: str  # "answered", "tentative" or "refused"


def distinctive_terms(question: str) -> list[str]:
    """The question's content words without its frame ('how long', 'how many')."""
    return query_terms(FRAME.sub(" ", question))


# features read from phrase lookups in the whole index: their cost grows with it (10-190 ms a phrase at 100k chunks
# on PostgreSQL), and the shipped gates weigh none of them
LOOKED_UP = frozenset({"names_unknown", "words_unknown", "pairs_unknown", "names_together"})


def coverage_features(index: IndexReader, question: str, looked_up: bool = True) -> dict:
    """What the index holds of the question: names, words and word pairs it has never seen
    (bot/answering/ranking/relevance.py), whether its names stand together in one chunk, and each of its
    distinctive words' rarity across the whole index (for `support`). looked_up=False: LOOKED_UP left NaN."""
    names = [w for phrase in relevance.named_phrases(question) for w in phrase]
    terms = distinctive_terms(question)
    counts, chunks = index.word_counts(terms) if terms else ({}, 0)
    out = {"has_names": 1.0 if names else 0.0, "named": names,
           "idf": {t: math.log((chunks + 1) / (counts.get(t, 0) + 1)) + 1e-6 for t in terms},
           "known": [t for t in terms if counts.get(t, 0) > 0]}
    if not looked_up:
        return out | dict.fromkeys(LOOKED_UP, math.nan)
    words, pairs = relevance.word_coverage(index, question)
    together_names = bool(names) and not index.unknown_phrases([list(dict.fromkeys(names))], near=False)
    return out | {"names_unknown": relevance.unknown_share(index, question), "words_unknown": words,
                  "pairs_unknown": pairs, "names_together": 1.0 if together_names else 0.0}


def held_together(coverage: dict, sents: Sequence[Candidate], top: int = 10, explain: bool = False) -> bool:
    """Do all the question's distinctive words stand together in one of the best sentences (for a why/how
    question, one of their passages: an explanation spans sentences)? Then low similarity alone does not
    refuse it. Distinctive: the words rarer than everyday English, when the question has two or more."""
    known, terms = set(coverage.get("known", [])), list(coverage.get("idf", {}))
    required = distinctive(terms)
    if len(known) < 2 or not set(required) <= known:
        return False
    texts = [s.text for s in sents[:top]]
    if explain:
        texts += list(dict.fromkeys(s.passage.text for s in sents[:top]))
    return any(all(vocab.has(t) for t in required) for vocab in map(vocabulary, texts))


def one_name_held(coverage: dict, sents: Sequence[Candidate], top: int) -> bool:
    """A question about one name and nothing else ('what happened to R. Kelly?', 'tell me about Gaza'): the name
    stands in one of the best sentences. One word says little in general ('alone'); a name asked about alone
    says which story, and any sentence of it tells what happened."""
    terms = list(coverage.get("idf", {}))
    if len(terms) != 1 or terms[0] not in coverage.get("named", ()) or terms[0] not in coverage.get("known", ()):
        return False
    return any(vocabulary(s.text).has(terms[0]) for s in sents[:top])


def warm_up() -> None:
    """Read the everyday-English table before the first question needs it."""
    commonwords.table()


def distinctive(terms: list[str]) -> list[str]:
    """The terms rarer than everyday English (Zipf scale), or all of them when fewer than two are:
    an index that lacks 'alone' says little; one that lacks 'bakery' says the question is not about it."""
    rare = [t for t in terms if commonwords.zipf(t) < COMMON_ZIPF]
    return rare if len(rare) >= 2 else terms


def support(idf: dict[str, float], ranked: Sequence[Candidate]) -> tuple[float, float]:
    """The rarity-weighted share of the question's words the best of the first passages, and the best
    of the first sentences, hold."""
    terms = list(idf)
    if not terms:
        return 0.0, 0.0
    passages = list({s.passage.chunk_id: s.passage for s in ranked[:12]}.values())[:5]
    return (max((term_overlap(terms, idf, vocabulary(p.text)) for p in passages), default=0.0),
            max((term_overlap(terms, idf, vocabulary(s.text)) for s in ranked[:10]), default=0.0))


def together(question: str, sents: Sequence[Candidate]) -> float:
    """The largest rarity-weighted share of the question's distinctive words one candidate sentence holds."""
    terms = distinctive_terms(question)
    if not terms or not sents:
        return 0.0
    idf = local_idf(terms, [vocabulary(s.text) for s in sents])
    return all_in_one(terms, idf, [s.text for s in sents])


def question_row(probs: np.ndarray, cosines: np.ndarray, top: Sequence[Candidate], coverage: dict,
                 together_share: float, short_p: float, factoid: bool, type_in_top: bool, dense1: float) -> Row:
    """QUESTION_FEATURES (bot/answering/ranking/features.py) of one question, by name."""
    ps = sorted(probs.tolist(), reverse=True) + [0.0, 0.0]
    passage_share, sentence_share = support(coverage["idf"], top)
    return {"p1": ps[0], "p2": ps[1], "p1_minus_p2": ps[0] - ps[1], "cosine1": max(cosines.tolist(), default=0.0),
            "dense1": dense1, "all_in_one": together_share, "names_unknown": coverage["names_unknown"],
            "words_unknown": coverage["words_unknown"], "pairs_unknown": coverage["pairs_unknown"], "short_p": short_p,
            "factoid": 1.0 if factoid else 0.0, "type_in_top": 1.0 if type_in_top else 0.0,
            "has_names": coverage["has_names"], "names_together": coverage["names_together"],
            "gidf_passage": passage_share, "gidf_sentence": sentence_share, "pool_articles": pool_articles(top)}


def decide(confidence: float, held: bool, credit: bool, thresholds: dict[str, float], explained: bool = False) -> Verdict:
    """Refused below `refuse`, tentative below `tentative`; a question whose words are held together in
    one sentence is never refused, and a byline or credit line answers who wrote or edited a story.

    explained: a what-does-X-mean / why / how question whose distinctive words all stand in one of the
    very best sentences is answered unhedged: that sentence explains it, however many other articles
    the archive holds (the gate's signals weaken as an archive grows; this one does not)."""
    if credit or explained:
        return Verdict(max(confidence, thresholds["tentative"]), "answered")
    if confidence < thresholds["refuse"] and not held:
        return Verdict(confidence, "refused")
    if confidence < thresholds["tentative"]:
        return Verdict(confidence, "tentative")
    return Verdict(confidence, "answered")
