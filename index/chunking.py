"""Sentence splitting with character offsets, and sentence-aware chunking."""

from __future__ import annotations

import re

from index.models import Article, Chunk

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
    return [s for s in (_trim(text, a, b) for a, b in spans) if s]


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one paragraph at punctuation that really ends a sentence."""
    spans, pos = [], start
    for match in BOUNDARY.finditer(text, start, end):
        cut = match.end()
        if not NEXT_STARTS_SENTENCE.match(text, cut, end) or _is_abbreviation(text, pos, match.start()):
            continue
        span = _trim(text, pos, cut)
        if span:
            spans.append(span)
        pos = cut
    span = _trim(text, pos, end)
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


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink a span to exclude surrounding whitespace; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def chunk_article(article: Article, max_chars: int = 900, overlap: int = 1) -> list[Chunk]:
    """Pack whole sentences into chunks of at most max_chars, repeating `overlap` sentences."""
    sentences = split_sentences(article.text)
    sentences = [piece for s in sentences for piece in _split_long(article.text, s, max_chars)]
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j = i + 1
        while j < len(sentences) and sentences[j][1] - sentences[i][0] <= max_chars:
            j += 1
        start, end = sentences[i][0], sentences[j - 1][1]
        chunks.append(Chunk(article, len(chunks), start, end, article.text[start:end]))
        if j >= len(sentences):
            break
        i = max(j - overlap, i + 1)
    return chunks


def _split_long(text: str, span: tuple[int, int], max_chars: int) -> list[tuple[int, int]]:
    """A 'sentence' longer than a chunk (a table, a list) is cut at word boundaries."""
    start, end = span
    if end - start <= max_chars:
        return [span]
    pieces = []
    while end - start > max_chars:
        cut = text.rfind(" ", start, start + max_chars)
        cut = cut if cut > start else start + max_chars
        pieces.append(_trim(text, start, cut))
        start = cut
    pieces.append(_trim(text, start, end))
    return [p for p in pieces if p]
