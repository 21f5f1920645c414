"""The short answer: candidates of the asked-for type in the best sentences, scored, the winner if clear.

A candidate found in several of the best sentences, close to the question's words, in a sentence the
ranker trusts, wins; it is a span of its sentence, so the short answer is always an exact substring of
the quote that cites it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from bot.answering.ranking import candidates as cand
from bot.answering.ranking.answer_types import Kind
from bot.answering.ranking.features import Row, matrix
from bot.answering.ranking.words import stem
from bot.answering.stages import Candidate

SHORT_FEATURES = ("sent_p", "sum_p", "count", "first_rank_inv", "proximity", "proximity_first", "n_words", "chars",
                  "quoted", "capitalised", "multiword_name", "in_title", "specific", "digits", "in_top1", "after_terms",
                  "kind_person", "kind_org", "kind_place", "kind_number", "kind_entity")
SPECIFIC = {Kind.COUNTRY, Kind.STATE, Kind.CITY, Kind.DATE, Kind.NUMBER, Kind.MONEY, Kind.PERCENT, Kind.DURATION}
WORD = re.compile(r"\w+")
# kinds whose answers look alike share a weight (the model learns how much a name or a number is trusted)
KIND_GROUPS = ({Kind.PERSON}, {Kind.ORG}, {Kind.COUNTRY, Kind.STATE, Kind.CITY, Kind.PLACE},
               {Kind.NUMBER, Kind.MONEY, Kind.PERCENT, Kind.DURATION, Kind.DATE}, {Kind.ENTITY, Kind.WORK, Kind.EVENT})


@dataclass(frozen=True)
class Option:
    """One candidate answer, gathered over the sentences that hold it."""

    text: str
    sentence: int  # index (in ranked order) of the best sentence holding it
    start: int  # its offsets in the article, inside that sentence
    end: int
    features: Row = field(default_factory=dict, repr=False)  # SHORT_FEATURES by name


def _proximity(sentence: str, start: int, end: int, terms: list[str]) -> float:
    """1 / (1 + words between the candidate and the nearest question word in the sentence)."""
    words = [(m.start(), m.group(0).lower()) for m in WORD.finditer(sentence)]
    exact = {t for t in terms if len(t) > 2}
    stems = {stem(t) for t in exact} - {None}
    hits = [i for i, (_, w) in enumerate(words) if w in exact or stem(w) in stems]  # same_word with any term
    inside = [i for i, (pos, _) in enumerate(words) if start <= pos < end]
    if not hits or not inside:
        return 0.0
    gap = min(abs(h - c) for h in hits for c in inside if h not in inside) if set(hits) - set(inside) else 0
    return 1.0 / (1 + gap)


def options(question_terms: list[str], question: str, kind: Kind, ranked: Sequence[Candidate], probs: np.ndarray,
            top: int = 8, subject: str = "") -> list[Option]:
    """Candidates of the kind in the `top` best sentences, one Option per distinct text (subject: see cand.find)."""
    if not kind.factoid:
        return []
    found: dict[str, tuple[Option, list[list[float]]]] = {}
    for rank, (s, p) in enumerate(zip(ranked[:top], probs[:top])):
        for c in cand.find(kind, s.text, question, subject, strict=True):
            key = c.text.lower()
            _, rows = found.setdefault(key, (Option(c.text, rank, s.start + c.start, s.start + c.end), []))
            rows.append([float(p), rank, _proximity(s.text, c.start, c.end, question_terms),
                         _after_terms(s.text, c.start, question_terms)])
    return [_describe(opt, rows, ranked, kind) for opt, rows in found.values()]


def _describe(opt: Option, rows: list[list[float]], ranked: Sequence[Candidate], kind: Kind) -> Option:
    """The option with its SHORT_FEATURES, gathered over its sentences' rows (probability, rank, proximity, after)."""
    ps = [r[0] for r in rows]
    words = opt.text.split()
    sentence = ranked[opt.sentence]
    values = {"sent_p": max(ps), "sum_p": sum(ps), "count": math.log1p(len(ps)), "first_rank_inv": 1.0 / (1 + rows[0][1]),
              "proximity": max(r[2] for r in rows), "proximity_first": rows[0][2], "n_words": min(len(words), 6),
              "chars": math.log(len(opt.text) + 1), "quoted": 1.0 if _quoted(sentence.text, opt) else 0.0,
              "capitalised": 1.0 if opt.text[:1].isupper() else 0.0,
              "multiword_name": 1.0 if len(words) >= 2 and all(w[:1].isupper() for w in words) else 0.0,
              "in_title": 1.0 if opt.text.lower() in sentence.passage.title.lower() else 0.0,
              "specific": 1.0 if kind in SPECIFIC else 0.0, "digits": 1.0 if re.search(r"\d", opt.text) else 0.0,
              "in_top1": 1.0 if any(r[1] == 0 for r in rows) else 0.0, "after_terms": max(r[3] for r in rows)}
    kinds = {name: 1.0 if kind in group else 0.0 for name, group in zip(SHORT_FEATURES[-5:], KIND_GROUPS)}
    return replace(opt, features=values | kinds)


def _after_terms(sentence: str, start: int, terms: list[str]) -> float:
    """Does a question word come before the candidate in the sentence ('… won by Ann Lee')?"""
    head = sentence[:start].lower()
    return 1.0 if any(t in head for t in terms if len(t) > 2) else 0.0


def _quoted(sentence_text: str, opt: Option) -> bool:
    """Is the candidate a quoted phrase (a title, a nickname)?"""
    return any(o + opt.text + c in sentence_text for o in "\"“‘" for c in "\"”’")  # no pattern built per option


def choose(opts: list[Option], model, threshold: float) -> tuple[Option | None, float]:
    """The best option and its probability; None unless it clears the threshold."""
    if not opts:
        return None, 0.0
    probs = model.prob(matrix([o.features for o in opts], model.features))
    best = int(np.argmax(probs))
    return (opts[best] if probs[best] >= threshold else None), float(probs[best])
