"""Frozen rows the index reader returns: an article's metadata, and a chunk with its article's metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


def published_day(value: int | date | None) -> date | None:
    """The publication day a row carries, from the stored day (YYYYMMDD today); the one place rows read it.

    The day is parsed once at indexing (index.dates.day_number), never per question; None when undated.
    """
    if value is None or isinstance(value, date):
        return value
    return date(value // 10000, value // 100 % 100, value % 100) if value else None


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One indexed article's metadata (what citations, unfurls and the home tab show)."""

    article_id: str
    title: str = ""
    author: str = ""
    source: str = ""
    published: str = ""  # as the article gave it
    url: str = ""
    published_day: date | None = None


@dataclass(frozen=True, slots=True)
class ChunkRow:
    """One committed chunk: its text and offsets into its article's text, with the article's metadata."""

    chunk_id: str
    article_id: str
    text: str
    start: int
    end: int
    title: str = ""
    author: str = ""
    source: str = ""
    published: str = ""
    url: str = ""
    path: str = ""
    published_day: date | None = None


ARTICLE_FIELDS = ("article_id", "title", "author", "source", "published", "url")
CHUNK_FIELDS = ("chunk_id", "article_id", "text", "start", "end", "title", "author", "source", "published", "url",
                "path")


def article_row(row: Mapping[str, Any]) -> ArticleRow:
    """An article row from a database row holding ARTICLE_FIELDS and the stored published_day."""
    return ArticleRow(**{k: row[k] or "" for k in ARTICLE_FIELDS}, published_day=published_day(row["published_day"]))


def chunk_row(row: Mapping[str, Any]) -> ChunkRow:
    """A chunk row from a database row holding CHUNK_FIELDS and the stored published_day."""
    values = {k: row[k] if k in ("start", "end") else row[k] or "" for k in CHUNK_FIELDS}
    return ChunkRow(**values, published_day=published_day(row["published_day"]))
