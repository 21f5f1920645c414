"""Word matching shared by every answer step: words of a text, cheap stemming, rarity-weighted overlap."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from index.text import fold

WORD = re.compile(r"\w+")
STEM = 5  # words sharing their first five letters count as one ('reported' ~ 'reporting', 'strike' ~ 'strikes')
INFLECTIONS = ("s", "es", "d", "ed", "ing", "er", "ers")


def words(text: str) -> set[str]:
    """Lower-cased word set of a text."""
    return {w.lower() for w in WORD.findall(text)}


def stem(word: str) -> str | None:
    """The prefix two words share when they count as one; None for words too short to stem."""
    return word[:STEM] if len(word) >= STEM else None


def same_word(a: str, b: str) -> bool:
    """One word, or two sharing their stem."""
    return a == b or (stem(a) is not None and stem(a) == stem(b))


class Vocabulary:
    """A text's words and their stems, for fast matching of question words."""

    __slots__ = ("prefixes", "words")

    def __init__(self, text: str):
        self.words = frozenset(fold(w) for w in words(text))
        self.prefixes = frozenset({stem(w) for w in self.words} - {None})

    def has_stem(self, term: str) -> bool:
        """The exact word or one sharing its stem, accents aside."""
        term = fold(term)
        return term in self.words or stem(term) in self.prefixes

    def has(self, term: str) -> bool:
        """The word or its stem, a short word's inflection; a hyphenated or dotted term ('full-scale', 'u.s')
        when the text holds each of its parts."""
        term = fold(term)
        if self.has_stem(term):
            return True
        if 3 <= len(term) < STEM and any(term + end in self.words for end in INFLECTIONS):
            return True  # short words inflect too: 'want' ~ 'wanted', 'sue' ~ 'sued
        parts = _parts(term)
        return len(parts) > 1 and all(p in self.words for p in parts)


@lru_cache(maxsize=2048)
def vocabulary(text: str) -> Vocabulary:
    """A text's Vocabulary, kept for the next time (a passage is matched once for each of its sentences)."""
    return Vocabulary(text)


@lru_cache(maxsize=4096)
def _parts(term: str) -> tuple[str, ...]:
    """The word parts of a hyphenated or dotted term ('full-scale' → full, scale)."""
    return tuple(p for p in re.split(r"[^\w]+", term) if p)


def term_overlap(terms: Sequence[str], idf: dict[str, float], vocab: Vocabulary) -> float:
    """Share of the question's content words (weighted by rarity) found in the text."""
    total = sum(idf.get(t, 1.0) for t in terms)
    if not total:
        return 0.0
    return sum(idf.get(t, 1.0) for t in terms if vocab.has(t)) / total


def local_idf(terms: Sequence[str], vocabs: Sequence[Vocabulary]) -> dict[str, float]:
    """Rarity of each question word among the candidates: words every sentence has say little."""
    n = len(vocabs) or 1
    return {t: math.log(1 + n / (1 + sum(1 for v in vocabs if v.has(t)))) for t in terms}


def jaccard(a: str, b: str) -> float:
    """Word-set overlap of two sentences."""
    wa, wb = words(a), words(b)
    return len(wa & wb) / max(1, len(wa | wb))


def mentions(text: str, names: Sequence[str]) -> bool:
    """Does the text name one of the names (as whole words)?"""
    low = text.lower()
    return any(re.search(r"(?<!\w)" + re.escape(n.lower()) + r"(?!\w)", low) for n in names)
