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


# an article's passages beyond the first per_article count their fused score divided by this: they go after
# other articles' passages of like strength, not after much weaker ones (the article that answers keeps its lead)
DOMINANT = 1.5

def hybrid_hits(index: IndexReader, query: str, vector: np.ndarray, filters: Filters | None, dense_k: int,
                lexical_k: int, dense_weight: float = 1.0, lexical_weight: float = 1.0):
    """Dense and lexical hits on a query: every (chunk_id, cosine) pair known (the dense hits and the lexical
    hits scored exactly), and both rankings weighted for rrf."""
    lexical = [i for i, _ in index.lexical_search(query, lexical_k, filters)]
    dense = index.dense_search(vector.tolist(), dense_k, filters)
    found = dict(dense)
    exact = exact_cosines(index, vector, [i for i in lexical if i not in found]) if dense else {}
    ranked = with_exact(dense, exact)
    return dense + list(exact.items()), [([i for i, _ in ranked], dense_weight), (lexical, lexical_weight)]


def exact_cosines(index: IndexReader, vector: np.ndarray, ids: list[str]) -> dict[str, float]:
    """Cosine of the vector to each of these chunks' stored vectors (chunks without one are left out)."""
    if not ids:
        return {}
    return {i: float(np.dot(vector, np.asarray(v, dtype=np.float32))) for i, v in index.vectors(ids).items()}


def with_exact(dense: list[tuple[str, float]], exact: dict[str, float]) -> list[tuple[str, float]]:
    """The dense ranking with the exactly scored chunks that beat its last hit, as long as it was.

    Chroma's HNSW search is approximate: a question unlike any passage ("what does X mean by Y?") can miss the
    passages nearest it (among 824 articles, the seed's at cosine 0.42 behind 40 found at 0.19-0.25).
    Scoring the lexical hits exactly puts such a passage where an exact search would have found it.
    """
    floor = min((c for _, c in dense), default=1.0)
    better = [(i, c) for i, c in exact.items() if c > floor]
    return sorted(dense + better, key=lambda hit: -hit[1])[: len(dense)] if better else dense


def scored_passages(index: IndexReader, vector: np.ndarray, rows: dict[str, ChunkRow], ids: list[str],
                    fused: dict[str, float], known: list[tuple[str, float]],
                    unknown: float | None = None) -> list[Passage]:
    """Passages of these chunks with their fused score and cosine to the vector: as known (hybrid_hits), else
    computed from the stored vector, else `unknown`."""
    cosine = dict(known)
    cosine.update(exact_cosines(index, vector, [i for i in ids if i not in cosine]))
    return [Passage.of(rows[i], fused[i], cosine.get(i, unknown)) for i in ids]


def _diverse(ranked: list[str], rows: dict[str, ChunkRow], per_article: int, fused: dict[str, float]) -> list[str]:
    """The ranking (best fused first), an article's passages beyond per_article demoted by DOMINANT: diversity
    breaks near-ties between articles, it does not promote much weaker passages."""
    seen: dict[str, int] = {}
    demoted: dict[str, float] = {}
    for cid in ranked:
        art = rows[cid].article_id
        seen[art] = seen.get(art, 0) + 1
        demoted[cid] = fused.get(cid, 0.0) / (DOMINANT if seen[art] > per_article else 1.0)
    return sorted(ranked, key=lambda cid: -demoted[cid])  # stable: equal scores keep their order


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
    def from_settings(cls, index: IndexReader, settings) -> HybridRetriever:
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
        known, rankings = hybrid_hits(self.index, question, vector, filters, self.dense_k, self.lexical_k,
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
        return Retrieval(question, vector, scored_passages(self.index, vector, rows, chosen, fused, known))
