"""Filters as SQL and as Chroma's where: one source as before, several sources, single articles, dates."""

from __future__ import annotations

from index.query import Filters
from index.store import chroma_where, url_variants


def test_one_source_keeps_the_old_sql_and_where():
    assert Filters(source="Reuters").sql() == (" AND lower(a.source) = lower(:f_source)", {"f_source": "Reuters"})
    assert chroma_where(Filters(source="Reuters")) == {"source": "reuters"}
    assert chroma_where(Filters()) is None and not Filters()


def test_several_sources_any_of_them_without_repeats():
    f = Filters(source="Reuters", sources=("AP", "reuters", "BBC"))
    assert f.source_names() == ["Reuters", "AP", "BBC"]
    where, params = f.sql()
    assert where == " AND lower(a.source) IN (lower(:f_source0), lower(:f_source1), lower(:f_source2))"
    assert params == {"f_source0": "Reuters", "f_source1": "AP", "f_source2": "BBC"}
    assert chroma_where(f) == {"source": {"$in": ["reuters", "ap", "bbc"]}}


def test_articles_and_dates_combine():
    f = Filters(sources=("AP",), article_ids=("a1", "a2"), since=20240101, until=20241231)
    where, params = f.sql()
    assert "a.article_id IN (:f_article0, :f_article1)" in where and params["f_article1"] == "a2"
    assert params["f_since"] == 20240101 and params["f_until"] == 20241231
    assert chroma_where(f) == {"$and": [{"source": "ap"}, {"article_id": {"$in": ["a1", "a2"]}},
                                        {"published_day": {"$gte": 20240101}}, {"published_day": {"$lte": 20241231}}]}
    assert chroma_where(Filters(article_ids=("a1",))) == {"article_id": "a1"}


def test_url_variants_cover_scheme_and_trailing_slash():
    got = url_variants("http://news.example/a/#top")
    assert got[0] == "http://news.example/a/"
    assert {"https://news.example/a", "https://news.example/a/", "http://news.example/a"} <= set(got)
    assert url_variants("https://news.example/a?id=1") == ["https://news.example/a?id=1", "http://news.example/a?id=1"]
    assert url_variants("javascript:alert(1)") == [] and url_variants("") == []
