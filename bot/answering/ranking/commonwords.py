"""Everyday English: the Zipf frequency of common words, from a shipped table (weights/common-words.txt).

Zipf is log10 of a word's frequency per billion words; 'the' is 7.7, 'bakery' 3.4. Only words at or above
FLOOR are listed; any other word is rarer. A word of parts (hyphens, or 'no.1') has a frequency that
combines its parts' as wordfreq's does (1/f = Σ 1/f_part), so it is common only when every part is.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

FLOOR = 4.8  # the bar answerability asks about; the table holds nothing below it
TABLE = Path(__file__).resolve().parent / "weights" / "common-words.txt"


@functools.cache
def table() -> dict[str, float]:
    """word → Zipf, read once."""
    rows = (line.split("\t") for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    return {word: float(zipf) for word, zipf in rows}


def zipf(word: str) -> float:
    """The word's Zipf frequency in English when it is an everyday word, else 0.0 (rarer than FLOOR)."""
    word = word.lower().replace("’", "'")
    known = table()
    if word in known:
        return known[word]
    parts = [p for p in re.split(r"-|(?<=[a-z])\.(?=\d)", word) if p]
    if len(parts) < 2 or any(p not in known for p in parts):
        return 0.0
    freq = 1.0 / sum(1.0 / 10 ** (known[p] - 9) for p in parts)
    return round(math.log10(freq) + 9, 2)
