"""A hand-built index for unit tests: fixed rankings and word-hash vectors, no model, no Chroma."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from index.dates import day_number, parse_day
from index.rows import ArticleRow, ChunkRow

DIM = 64
WORD = re.compile(r"\w+")


def word_vector(text: str) -> np.ndarray:
    """A deterministic bag-of-words vector: texts sharing words point the same way."""
    vec = np.zeros(DIM, dtype=np.float32)
    for word in WORD.findall(text.lower()):
        vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1.0
    norm = np.linalg.norm(vec)
    return vec / norm if norm else vec


def embed(texts: list[str]) -> np.ndarray:
    """Vectors of texts, one row each."""
    return np.stack([word_vector(t) for t in texts]) if texts else np.zeros((0, DIM), np.float32)


def row(chunk_id: str, article_id: str, text: str, start: int = 0, **meta) -> ChunkRow:
    """A chunk row as `IndexReader.passages` returns it (its published day read as indexing reads it)."""
    published = meta.get("published", "")
    return ChunkRow(chunk_id=chunk_id, article_id=article_id, text=text, start=start, end=start + len(text),
                    title=meta.get("title", f"Article {article_id}"), source=meta.get("source", "Wire"),
                    published=published, url=f"https://news.example/{article_id}", published_day=parse_day(published))


def article_of(r: ChunkRow) -> ArticleRow:
    """The article row of a chunk row."""
    return ArticleRow(r.article_id, r.title, r.author, r.source, r.published, r.url, r.published_day)


class FakeReader:
    """`IndexReader` (and `EvalReader`) over hand-built rows: dense and lexical rankings are given, not computed."""

    def __init__(self, rows: list[ChunkRow], dense: list[str], lexical: list[str], known_words=None):
        self.rows = {r.chunk_id: r for r in rows}
        self.dense, self.lexical = dense, lexical
        self.known_words = known_words  # None: every word is known
        self.vector_calls: list[list[str]] = []

    def embed_query(self, text: str) -> np.ndarray:
        return word_vector(text)

    def embed(self, texts: list[str]) -> np.ndarray:
        return embed(texts)

    def dense_search(self, vector, k, filters=None):
        return [(cid, float(np.dot(vector, word_vector(self.rows[cid].text)))) for cid in self.dense[:k]]

    def lexical_search(self, question, k, filters=None):
        return [(cid, 1.0 / (1 + i)) for i, cid in enumerate(self.lexical[:k])]

    def passages(self, chunk_ids):
        return {cid: self.rows[cid] for cid in chunk_ids if cid in self.rows}

    def vectors(self, chunk_ids):
        self.vector_calls.append(list(chunk_ids))
        return {cid: word_vector(self.rows[cid].text).tolist() for cid in chunk_ids if cid in self.rows}

    def chunks_in(self, filters, limit):
        day = lambda r: day_number(r.published_day) or 0  # noqa: E731
        inside = [r for r in self.rows.values() if day(r) and (not filters.since or day(r) >= filters.since)
                  and (not filters.until or day(r) <= filters.until)]
        return sorted(inside, key=day, reverse=True)[:limit]

    def unknown_phrases(self, phrases, near=True):
        if self.known_words is None:
            return []
        return [p for p in phrases if not all(w in self.known_words for w in p)]

    def word_counts(self, words):
        texts = [r.text.lower() for r in self.rows.values()]
        return {w: sum(w in t for t in texts) for w in words}, len(texts)

    def any_text_matches(self, needle, pattern):
        return any(pattern.search(r.text) for r in self.rows.values())

    def article_text(self, article_id):
        return " ".join(r.text for r in self.rows.values() if r.article_id == article_id)

    def article_count(self, filters=None) -> int:
        return len({r.article_id for r in self.rows.values()})

    def newest_articles(self, limit, filters=None):
        seen = {}
        for r in self.rows.values():
            seen.setdefault(r.article_id, article_of(r))
        return sorted(seen.values(), key=lambda a: a.published, reverse=True)[:limit]

    def article(self, article_id):
        return next((a for a in self.newest_articles(len(self.rows)) if a.article_id == article_id), None)

    def article_by_url(self, url):
        return next((a for a in self.newest_articles(len(self.rows)) if a.url == url), None)

    def last_indexed(self):
        return ""

    def warm_up(self) -> None:
        return None
