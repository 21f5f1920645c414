"""Filters as SQL and as Chroma's where: one source as before, several sources, single articles, dates."""

from __future__ import annotations

from sqlalchemy.dialects import sqlite

from index.query import Filters
from index.store import chroma_where, url_variants


def sql(f: Filters) -> tuple[list[str], list]:
    """The filters' conditions as SQLite text, and their bound values in order."""
    compiled = [c.compile(dialect=sqlite.dialect()) for c in f.clauses()]
    return [str(c) for c in compiled], [v for c in compiled for v in c.params.values()]


def test_one_source_keeps_the_old_sql_and_where():
    where, params = sql(Filters(source="Reuters"))
    assert where == ["lower(articles.source) IN (lower(?))"] and params == ["Reuters"]
    assert chroma_where(Filters(source="Reuters")) == {"source": "reuters"}
    assert chroma_where(Filters()) is None and not Filters()


def test_several_sources_any_of_them_without_repeats():
    f = Filters(source="Reuters", sources=("AP", "reuters", "BBC"))
    assert f.source_names() == ["Reuters", "AP", "BBC"]
    where, params = sql(f)
    assert where == ["lower(articles.source) IN (lower(?), lower(?), lower(?))"]
    assert params == ["Reuters", "AP", "BBC"]
    assert chroma_where(f) == {"source": {"$in": ["reuters", "ap", "bbc"]}}


def test_articles_and_dates_combine():
    f = Filters(sources=("AP",), article_ids=("a1", "a2"), since=20240101, until=20241231)
    where, params = sql(f)
    assert where[1:] == ["articles.article_id IN (__[POSTCOMPILE_article_id_1])", "articles.published_day >= ?",
                         "articles.published_day <= ?"]
    assert params == ["AP", ["a1", "a2"], 20240101, 20241231]
    assert chroma_where(f) == {"$and": [{"source": "ap"}, {"article_id": {"$in": ["a1", "a2"]}},
                                        {"published_day": {"$gte": 20240101}}, {"published_day": {"$lte": 20241231}}]}
    assert chroma_where(Filters(article_ids=("a1",))) == {"article_id": "a1"}


def test_url_variants_cover_scheme_and_trailing_slash():
    got = url_variants("http://news.example/a/#top")
    assert got[0] == "http://news.example/a/"
    assert {"https://news.example/a", "https://news.example/a/", "http://news.example/a"} <= set(got)
    assert url_variants("https://news.example/a?id=1") == ["https://news.example/a?id=1", "http://news.example/a?id=1"]
    assert url_variants("javascript:alert(1)") == [] and url_variants("") == []
