"""Scoring shared by `newsbot eval` and `make bench`: gold strings as whole words, top-k hits, percentiles."""

from __future__ import annotations

import re
import statistics

from bot.answering.models import HEDGE

KS = (1, 3, 5, 10)
QUOTES = "\"'“”‘’«»"
FIRST_MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")


def bare_gold(needle: str) -> str:
    """A gold string without surrounding blanks and the quotation marks around it as a whole."""
    needle = needle.strip()
    if len(needle) > 2 and needle[0] in QUOTES and needle[-1] in QUOTES:
        needle = needle[1:-1].strip()
    return needle


def gold_pattern(needle: str) -> re.Pattern:
    """A gold string as a case-insensitive pattern that matches whole words only.

    'Henk' must not count as found in 'Yaroshenko', nor 'Rats' in 'Democrats'; a gold string that
    starts or ends with punctuation ('48%') needs no word edge on that side. Quotation marks around a
    whole gold string are typography, not the answer: '“Jaws”' is found in 'question “Jaws,” which'.
    """
    needle = bare_gold(needle)
    head = r"(?<!\w)" if re.match(r"\w", needle) else ""
    tail = r"(?!\w)" if re.search(r"\w$", needle) else ""
    return re.compile(head + re.escape(needle) + tail, re.I)


def contains(haystack: str, needles: list[str]) -> bool:
    """Case-insensitive, whole words: does any gold string occur?"""
    return any(gold_pattern(n).search(haystack) for n in needles if n.strip())


def short_answer_hit(short: str | None, gold: list[str]) -> bool:
    """Does the short answer hold a gold string, or a gold string hold it (whole words, either way)?"""
    if not short or not short.strip():
        return False
    return contains(short, gold) or any(contains(g, [short]) for g in gold if g.strip())


def first_sentence(answer: str) -> tuple[str, list[int]]:
    """What a reader sees first: the answer up to its first citation marker, and the numbers that marker cites.

    An answer with no marker (a refusal, an uncited LLM line) is read up to its first sentence end."""
    marker = FIRST_MARKER.search(answer)
    if marker:
        return answer[: marker.end()], [int(n) for n in marker.group(1).split(",")]
    end = re.search(r"[.!?](?:\s|$)", answer)
    return (answer[: end.end()].rstrip() if end else answer), []


def first_holds(answer: str, quotes: dict[int, list[str]], gold: list[str]) -> bool:
    """Does the first sentence, or the quote it was taken from (any quote of its source, for LLM prose), hold gold?"""
    text, numbers = first_sentence(answer)
    if contains(text, gold):
        return True
    head = FIRST_MARKER.sub("", text).removeprefix(HEDGE).strip()[:60]
    cited = [q for n in numbers for q in quotes.get(n, [])]
    own = [q for q in cited if head and head in q]  # an extracted sentence: the passage quoted around it
    return any(contains(q, gold) for q in (own or cited))


def gold_rank(texts: list[str], gold: list[str], k: int = max(KS)) -> int | None:
    """1-based rank of the first of the top-k texts holding a gold string, or None."""
    return next((i for i, text in enumerate(texts[:k], 1) if contains(text, gold)), None)


def top_k_shares(ranks: list[int | None]) -> dict[str, float]:
    """Share of questions whose gold is within the top k, for each k in KS."""
    n = max(1, len(ranks))
    return {str(k): sum(1 for r in ranks if r and r <= k) / n for k in KS}


def percentiles(ms: list[float]) -> tuple[float, float]:
    """p50 and p95 of latencies in milliseconds (nearest rank)."""
    s = sorted(ms) or [0.0]
    return statistics.median(s), s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
