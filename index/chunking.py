"""Sentence-aware chunking (sentence spans come from index.text)."""

from __future__ import annotations

from index.models import Article, Chunk
from index.text import split_sentences, trim_span


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
        pieces.append(trim_span(text, start, cut))
        start = cut
    pieces.append(trim_span(text, start, end))
    return [p for p in pieces if p]
