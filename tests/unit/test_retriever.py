"""Hybrid retrieval's fusion on a hand-built index: reciprocal rank fusion, article diversity, scores."""

from __future__ import annotations

from fakes.reader import FakeReader, row

from bot.answering.faces import NewsRetriever
from bot.answering.retriever import HybridRetriever, _diverse, rrf, with_exact


def test_rrf_sums_weighted_reciprocal_ranks():
    scores = rrf([(["a", "b"], 1.0), (["b", "c"], 2.0)], k=60)
    assert scores["a"] == 1 / 61 and scores["c"] == 2 / 62
    assert scores["b"] == 1 / 62 + 2 / 61
    assert max(scores, key=scores.get) == "b"


def test_diverse_demotes_an_articles_extra_passages_below_others_of_like_strength_only():
    rows = {cid: row(cid, cid[0], "x") for cid in ("a1", "a2", "a3", "b1", "c1")}
    ids = ["a1", "a2", "a3", "b1"]
    near = {"a1": 0.033, "a2": 0.032, "a3": 0.031, "b1": 0.030}  # b is about as good: a's third waits
    assert _diverse(ids, rows, 2, near) == ["a1", "a2", "b1", "a3"]
    assert _diverse(ids, rows, 1, near) == ["a1", "b1", "a2", "a3"]
    far = {"a1": 0.033, "a2": 0.032, "a3": 0.031, "b1": 0.016}  # b found by one search only: a is the answer
    assert _diverse(ids, rows, 2, far) == ["a1", "a2", "a3", "b1"]
    # a strong second article (c) does not send a's third passage below the weak one (b)
    rival = {"a1": 0.033, "a2": 0.032, "c1": 0.030, "a3": 0.029, "b1": 0.016}
    assert _diverse(["a1", "a2", "c1", "a3", "b1"], rows, 2, rival) == ["a1", "a2", "c1", "a3", "b1"]


def test_lexical_hits_missed_by_the_approximate_dense_search_join_it_at_their_exact_cosine():
    dense = [("d1", 0.25), ("d2", 0.24), ("d3", 0.20)]
    got = with_exact(dense, {"x": 0.42, "y": 0.22, "z": 0.10})
    assert got == [("x", 0.42), ("d1", 0.25), ("d2", 0.24)]  # as long as it was; y beats d3 but not d2
    assert with_exact(dense, {"z": 0.10}) == dense
    assert with_exact([], {"x": 0.9}) == []


def reader() -> FakeReader:
    rows = [row("a1", "a", "The central bank held interest rates."),
            row("a2", "a", "Rates stay at four percent, the bank said."),
            row("a3", "a", "Markets rose after the bank decision."),
            row("b1", "b", "The finance minister welcomed the rates decision.")]
    return FakeReader(rows, dense=["a1", "a2", "a3"], lexical=["a1", "a2", "a3", "gone", "b1"])


def test_search_fuses_both_rankings_and_drops_uncommitted_chunks():
    index = reader()
    got = HybridRetriever(index=index, top_k=4, per_article=2).search("did the bank hold rates?")
    ids = [p.chunk_id for p in got.passages]
    # a third passage of article a found by both searches stays ahead of b's, found by the lexical one alone
    assert ids == ["a1", "a2", "a3", "b1"]
    assert "gone" not in ids  # in the lexical ranking, but not committed
    assert got.query == "did the bank hold rates?" and got.vector.shape == (64,)


def test_lexical_only_hits_get_their_dense_score_from_stored_vectors():
    index = reader()
    got = HybridRetriever(index=index, top_k=4).search("bank rates")
    b1 = next(p for p in got.passages if p.chunk_id == "b1")
    # one lookup, of the lexical hits the dense search did not find ("gone" has no stored vector)
    assert b1.dense_score is not None and index.vector_calls == [["gone", "b1"]]
    assert all(p.score > 0 for p in got.passages)


def test_the_retriever_is_a_langchain_retriever():
    docs = NewsRetriever(hybrid=HybridRetriever(index=reader(), top_k=2)).invoke("bank rates")
    assert [d.id for d in docs] == ["a1", "a2"] and docs[0].metadata["article_id"] == "a"
    assert docs[0].page_content == "The central bank held interest rates."
