"""The one typed door from answering into the index: what a reader may ask, and nothing of how it is kept."""

from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

import numpy as np

from index.query import Filters
from index.rows import ArticleRow, ChunkRow


@runtime_checkable
class IndexReader(Protocol):
    """Read access to an index; `index.store.NewsIndex` implements it, answering code calls only this."""

    def embed_query(self, text: str) -> np.ndarray:
        """The question's vector (normalised float32)."""

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors of texts, one row each (normalised float32)."""

    def dense_search(self, vector: list[float], k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk_id, cosine similarity)."""

    def lexical_search(self, question: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """BM25 hits as (chunk_id, score; higher is better)."""

    def passages(self, chunk_ids: list[str]) -> dict[str, ChunkRow]:
        """Committed chunks with their article's metadata, by chunk id (unknown ids are dropped)."""

    def vectors(self, chunk_ids: list[str]) -> dict[str, list[float]]:
        """Stored vectors of chunks, by chunk id (ids whose vector cannot be read are left out)."""

    def chunks_in(self, filters: Filters, limit: int) -> list[ChunkRow]:
        """Committed chunks of the articles within the filters (a period's news), newest first, at most limit."""

    def unknown_phrases(self, phrases: list[list[str]], near: bool = True) -> list[list[str]]:
        """The phrases whose words never occur together in one chunk (near each other, or anywhere)."""

    def word_counts(self, words: list[str]) -> tuple[dict[str, int], int]:
        """How many chunks hold each word (counted up to the lexical budget), and how many chunks there are."""

    def article_count(self, filters: Filters | None = None) -> int:
        """Number of indexed articles (within the filters, when given)."""

    def newest_articles(self, limit: int, filters: Filters | None = None) -> list[ArticleRow]:
        """The most recently published articles (newest indexed first on a tie)."""

    def article(self, article_id: str) -> ArticleRow | None:
        """The indexed article with this id, or None."""

    def article_by_url(self, url: str) -> ArticleRow | None:
        """The indexed article at this url (scheme, trailing slash and fragment aside), or None."""

    def last_indexed(self) -> str:
        """When the index was last written ('' when never)."""

    def warm_up(self) -> None:
        """Load the embedding model now rather than on the first question."""


@runtime_checkable
class EvalReader(IndexReader, Protocol):
    """What evaluation asks beyond answering (bot/evaluation and bench only): does the archive hold a text?"""

    def any_text_matches(self, needle: str, pattern: re.Pattern) -> bool:
        """Does an indexed article's text match pattern (needle: the literal it looks for)?"""

    def article_text(self, article_id: str) -> str:
        """The stored text of an article (what citation offsets point into; '' when unknown)."""
