"""Text rules both sides share: sentence spans, byline and credit lines, and a question's content words."""

from __future__ import annotations

import re
import unicodedata

# a reporter's line ('By Jane Doe and John Roe') and a closing credit ('(Reporting by …)'): not what an article says
BYLINE = re.compile(r"^\s*By\s+([A-Z][\w.'’-]*(?:[ ,]+(?:and\s+)?[A-Z][\w.'’-]*){0,8})\s*$")
CREDIT = re.compile(r"^\s*\((?:Reporting|Writing|Additional reporting)\s+by\s+(?P<body>[^)]*)\)\s*$", re.I)

# Words that end with a full stop without ending a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "st",
    "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m",
    "p.m", "mt", "ft", "ave", "blvd", "dept", "est", "fig", "rev", "hon", "pres", "approx",
}
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace.
BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'“‘(\[]*[A-Z0-9…]")
PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*[\"“A-Z0-9(•*-])")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences in text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text, start, end):
        spans.extend(_sentences_in(text, p_start, p_end))
    return spans


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Line and paragraph breaks always end a sentence in news text."""
    spans, pos = [], start
    for match in PARAGRAPH.finditer(text, start, end):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, end))
    return [s for s in (trim_span(text, a, b) for a, b in spans) if s]


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one paragraph at punctuation that really ends a sentence."""
    spans, pos = [], start
    for match in BOUNDARY.finditer(text, start, end):
        cut = match.end()
        if not NEXT_STARTS_SENTENCE.match(text, cut, end) or _is_abbreviation(text, pos, match.start()):
            continue
        span = trim_span(text, pos, cut)
        if span:
            spans.append(span)
        pos = cut
    span = trim_span(text, pos, end)
    if span:
        spans.append(span)
    return spans


def _is_abbreviation(text: str, sent_start: int, dot: int) -> bool:
    """True when the word before a full stop is a known abbreviation or a single initial."""
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > sent_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip("\"'“‘(").lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink a span to exclude surrounding whitespace; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you
    your yours also said says say tell told according following week this year new one two get got
    mean means meant did does article articles happen happened""".split()
)
TOKEN = re.compile(r"[\w][\w'’.-]*\w|\w", re.UNICODE)


def fold(text: str) -> str:
    """The text without accents ('Beyoncé' → 'Beyonce'): people type names without them, articles print them."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def query_terms(question: str) -> list[str]:
    """The content words of a question, lower-cased and de-duplicated, in order."""
    seen: dict[str, None] = {}
    for raw in TOKEN.findall(question.lower()):
        word = raw.replace("’", "'").strip("'.-")
        word = word[:-2] if word.endswith("'s") else word
        if word and word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)
