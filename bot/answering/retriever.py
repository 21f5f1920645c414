"""Hybrid retrieval: dense (Chroma) and lexical (BM25) results fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.answering.models import Passage
from index.query import Filters
from index.reader import IndexReader
from index.rows import ChunkRow
from index.text import STOPWORDS, TOKEN, query_terms


@dataclass
class Retrieval:
    """Fused passages for a question, best first, with the question's vector."""

    query: str  # what was searched: the question, made standalone when it is a follow-up
    vector: np.ndarray
    passages: list[Passage] = field(default_factory=list)


def rrf(rankings: list[tuple[list[str], float]], k: int) -> dict[str, float]:
    """Reciprocal rank fusion of several ranked id lists, each with a weight."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, item in enumerate(ids):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank + 1)
    return scores


# an article's extra passages stay in place when their fused score is this many times any other article's best:
# found high by both dense and lexical search while the others are found by one (one article holds the answer)
DOMINANT = 1.5

def hybrid_hits(index: IndexReader, query: str, vector: np.ndarray, filters: Filters | None, dense_k: int,
                lexical_k: int, dense_weight: float = 1.0, lexical_weight: float = 1.0):
    """Dense and lexical hits on a query: the dense (chunk_id, cosine) pairs, and both rankings weighted for rrf."""
    dense = index.dense_search(vector.tolist(), dense_k, filters)
    lexical = index.lexical_search(query, lexical_k, filters)
    return dense, [([i for i, _ in dense], dense_weight), ([i for i, _ in lexical], lexical_weight)]


def scored_passages(index: IndexReader, vector: np.ndarray, rows: dict[str, ChunkRow], ids: list[str],
                    fused: dict[str, float], dense: list[tuple[str, float]],
                    unknown: float | None = None) -> list[Passage]:
    """Passages of these chunks with their fused score and cosine to the vector: the dense search's, else
    computed from the stored vector (lexical-only hits), else `unknown`."""
    cosine = dict(dense)
    for cid, vec in index.vectors([i for i in ids if i not in cosine]).items():
        cosine[cid] = float(np.dot(vector, np.asarray(vec, dtype=np.float32)))
    return [Passage.of(rows[i], fused[i], cosine.get(i, unknown)) for i in ids]


def _diverse(ranked: list[str], rows: dict[str, ChunkRow], per_article: int,
             fused: dict[str, float] | None = None) -> list[str]:
    """Keep the ranking, but an article's passages beyond per_article go after everyone else's, unless they
    stand far above every other article's best (then that article is the one that answers)."""
    fused = fused or {}
    best: dict[str, float] = {}  # each article's best fused score
    for cid in ranked:
        best[rows[cid].article_id] = max(best.get(rows[cid].article_id, 0.0), fused.get(cid, 0.0))
    leader = max(best, key=best.get, default=None)  # every other article's best: the leader's, or the runner-up's
    runner_up = max((v for a, v in best.items() if a != leader), default=0.0)
    seen: dict[str, int] = {}
    first, overflow = [], []
    for cid in ranked:
        art = rows[cid].article_id
        seen[art] = seen.get(art, 0) + 1
        others = runner_up if art == leader else best[leader]
        keep = seen[art] <= per_article or (others > 0 and fused.get(cid, 0.0) >= DOMINANT * others)
        (first if keep else overflow).append(cid)
    return first + overflow


def feedback_terms(question: str, texts: list[str], n: int) -> list[str]:
    """RM3-style expansion: words frequent in the first passages, weighted by rank, not in the question.

    A word must occur in at least two of the passages, so one article's pet words do not steer the search.
    """
    asked = set(query_terms(question))
    weight: dict[str, float] = {}
    docs: dict[str, int] = {}
    for rank, text in enumerate(texts):
        words = query_terms_all(text)
        for word in set(words):
            docs[word] = docs.get(word, 0) + 1
        for word in words:
            if word not in asked and not word.isdigit():
                weight[word] = weight.get(word, 0.0) + 1.0 / (len(words) * (1 + rank))
    ranked = sorted((w for w in weight if docs[w] >= 2), key=lambda w: -weight[w])
    return ranked[:n]


def query_terms_all(text: str) -> list[str]:
    """A text's content words with repeats (query_terms keeps each once)."""
    return [w for w in (t.lower().strip("'.-") for t in TOKEN.findall(text)) if w and w not in STOPWORDS and len(w) > 2]


@dataclass(frozen=True)
class HybridRetriever:
    """Hybrid search over newsbot's index: passages with their scores and the query vector (its LangChain
    retriever face is bot/answering/faces.py, imported only by callers that want one)."""

    index: IndexReader
    dense_k: int = 40
    lexical_k: int = 40
    top_k: int = 8
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    per_article: int = 2  # more of one article only after the others: more articles, more answers
    prf_terms: int = 0  # pseudo-relevance feedback: words from the first passages added to a second lexical search
    prf_weight: float = 0.5
    filters: Filters | None = None

    @classmethod
    def from_settings(cls, index: IndexReader, settings) -> "HybridRetriever":
        """A retriever tuned by the settings."""
        r = settings.retrieval
        return cls(
            index=index, dense_k=r.dense_k, lexical_k=r.lexical_k, top_k=r.passages_k, rrf_k=r.rrf_k,
            dense_weight=r.dense_weight, lexical_weight=r.lexical_weight, per_article=r.passages_per_article,
            prf_terms=r.prf_terms, prf_weight=r.prf_weight,
        )

    def search(self, question: str, filters: Filters | None = None, top_k: int | None = None,
               vector: np.ndarray | None = None) -> Retrieval:
        """Fuse dense and lexical hits and return the best committed passages (`vector`: the question's, when
        the caller embedded it already)."""
        filters = filters if filters is not None else self.filters
        vector = self.index.embed_query(question) if vector is None else vector
        dense, rankings = hybrid_hits(self.index, question, vector, filters, self.dense_k, self.lexical_k,
                                      self.dense_weight, self.lexical_weight)
        fused = rrf(rankings, self.rrf_k)
        ranked = sorted(fused, key=fused.get, reverse=True)[: (top_k or self.top_k) * 3]
        rows = self.index.passages(ranked)  # drops chunks not committed in SQL
        if self.prf_terms and (extra := feedback_terms(question, [rows[i].text for i in ranked[:5] if i in rows],
                                                       self.prf_terms)):
            expanded = self.index.lexical_search(f"{question} {' '.join(extra)}", self.lexical_k, filters)
            fused = rrf(rankings + [([i for i, _ in expanded], self.prf_weight)], self.rrf_k)
            ranked = sorted(fused, key=fused.get, reverse=True)[: (top_k or self.top_k) * 3]
            rows = self.index.passages(ranked)
        chosen = _diverse([i for i in ranked if i in rows], rows, self.per_article, fused)[: top_k or self.top_k]
        return Retrieval(question, vector, scored_passages(self.index, vector, rows, chosen, fused, dense))
