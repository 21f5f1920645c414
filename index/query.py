"""The filters retrieval applies (a question's content words are in index.text)."""

from __future__ import annotations

from dataclasses import dataclass


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

    def sql(self) -> tuple[str, dict]:
        """A WHERE fragment over `articles a` and its parameters."""
        parts, params = [], {}
        names = self.source_names()
        if len(names) == 1:
            parts.append("lower(a.source) = lower(:f_source)")
            params["f_source"] = names[0]
        elif names:
            keys = [f"f_source{i}" for i in range(len(names))]
            parts.append("lower(a.source) IN (" + ", ".join(f"lower(:{k})" for k in keys) + ")")
            params.update(zip(keys, names))
        if self.article_ids:
            keys = [f"f_article{i}" for i in range(len(self.article_ids))]
            parts.append("a.article_id IN (" + ", ".join(f":{k}" for k in keys) + ")")
            params.update(zip(keys, self.article_ids))
        if self.since:
            parts.append("a.published_day >= :f_since")
            params["f_since"] = self.since
        if self.until:
            parts.append("a.published_day <= :f_until")
            params["f_until"] = self.until
        return (" AND " + " AND ".join(parts) if parts else ""), params

    def __bool__(self) -> bool:
        return bool(self.source or self.sources or self.article_ids or self.since or self.until)
