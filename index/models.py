"""Plain data of the indexing side: articles, their chunks, and the metadata citations carry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pydantic import BaseModel


def short_hash(text: str, n: int = 16) -> str:
    """A stable hex digest prefix of text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


class ArticleMeta(BaseModel):
    """What a citation names of its article: shared by articles, passages, citations and related links."""

    title: str = ""
    author: str = ""
    source: str = ""
    published: str = ""
    url: str = ""


class Article(ArticleMeta):
    """One news article with its metadata; `text` is what chunks' offsets point into."""

    text: str
    path: str = ""
    place: str = ""
    key: str = ""  # identity: url when known, else path relative to the indexed root

    @property
    def article_id(self) -> str:
        """Deterministic id derived from the article's identity."""
        return short_hash(self.key or self.url or self.path or self.text)

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the index, so metadata edits count as changes."""
        meta = "\x1f".join([self.title, self.author, self.source, self.published, self.url, self.place])
        return hashlib.sha256((meta + "\x1e" + self.text).encode("utf-8")).hexdigest()


@dataclass
class Chunk:
    """A run of whole sentences from one article, with offsets into its text."""

    article: Article
    n: int
    start: int
    end: int
    text: str = field(repr=False)

    @property
    def text_hash(self) -> str:
        """Hash of the chunk text (embeddings are reused by it)."""
        return short_hash(self.text, 12)

    @property
    def chunk_id(self) -> str:
        """article id + chunk number + content hash: deterministic and never overwritten in place."""
        return f"{self.article.article_id}-{self.n:04d}-{self.text_hash[:8]}"
