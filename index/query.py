"""The filters retrieval applies (a question's content words are in index.text)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Text, func, literal


@dataclass
class Filters:
    """Restrict retrieval to sources, articles and/or a published-date range (YYYYMMDD, inclusive)."""

    source: str | None = None
    since: int | None = None
    until: int | None = None
    sources: tuple[str, ...] = ()  # more sources (any of them), e.g. a Slack channel's scope
    article_ids: tuple[str, ...] = ()  # only these articles, e.g. "ask about this article"

    def source_names(self) -> list[str]:
        """Every source allowed, `source` first, without repeats (case-insensitive)."""
        out: dict[str, str] = {}
        for name in ([self.source] if self.source else []) + list(self.sources):
            out.setdefault(name.lower(), name)
        return list(out.values())

    def clauses(self) -> list[ColumnElement[bool]]:
        """The filters as SQL conditions over the articles table (bound values, never SQL text)."""
        from index.schema import articles

        a, out = articles.c, []
        names = self.source_names()
        if names:
            # lower() on both sides in SQL: SQLite's folds ASCII only, and both sides must fold alike
            out.append(func.lower(a.source).in_([func.lower(literal(name, Text)) for name in names]))
        if self.article_ids:
            out.append(a.article_id.in_(list(self.article_ids)))
        if self.since:
            out.append(a.published_day >= self.since)
        if self.until:
            out.append(a.published_day <= self.until)
        return out

    def __bool__(self) -> bool:
        return bool(self.source or self.sources or self.article_ids or self.since or self.until)
