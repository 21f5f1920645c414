"""Shared query types and helpers: a question's content words and the filters retrieval applies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Text, func, literal

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


def query_terms(question: str) -> list[str]:
    """The content words of a question, lower-cased and de-duplicated, in order."""
    seen: dict[str, None] = {}
    for raw in TOKEN.findall(question.lower()):
        word = raw.replace("’", "'").strip("'.-")
        word = word[:-2] if word.endswith("'s") else word
        if word and word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


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
