"""Stage 2, search: hybrid retrieval for a plan, widened once when the window holds nothing on the question."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.answering.models import Passage
from bot.answering.plan import off_topic
from bot.answering.retriever import HybridRetriever, Retrieval
from bot.answering.stages import Plan, Pool
from bot.answering.time.timescope import freshest_first, scope
from index.query import Filters
from index.reader import IndexReader


@dataclass(frozen=True)
class Searcher:
    """Searches plans: the retriever, the pool size, and how far off the window's best may fall before widening."""

    index: IndexReader
    retriever: HybridRetriever
    top_k: int
    widen_margin: float = 0.2  # the window's best passage this far below the archive's best: nothing on it there
    cited_margin: float = 0.15  # a cited article's passage this far below the best found still leads a follow-up

    def __call__(self, plan: Plan) -> Pool:
        """The pool for the plan; a dated window whose best lies far below the archive's is widened."""
        pool = self._search(plan)
        if plan.can_widen and self._off_topic(pool, plan):
            return self._search(off_topic(plan))
        return pool

    def _search(self, plan: Plan) -> Pool:
        """Hybrid retrieval; for 'the latest', a wider pool whose passages on the question come freshest first."""
        if plan.window.latest:
            retrieval = self.retriever.search(plan.search_text, plan.filters, top_k=self.top_k * 3)
            passages = freshest_first(retrieval.passages)[: self.top_k]
        else:
            retrieval = self.retriever.search(plan.search_text, plan.filters, top_k=self.top_k)
            passages = self._cited_first(plan, retrieval)
        return Pool(plan, retrieval.vector, tuple(passages), scope(self.index, plan.filters, plan.note, plan.articles))

    def _cited_first(self, plan: Plan, retrieval: Retrieval) -> list[Passage]:
        """A follow-up's: passages of the articles the conversation cited lead, when they are near the question."""
        passages = retrieval.passages
        if not plan.prefer:
            return list(passages)
        within = replace(plan.filters or Filters(), article_ids=plan.prefer)
        cited = self.retriever.search(plan.search_text, within, top_k=max(2, self.top_k // 3),
                                      vector=retrieval.vector).passages  # the same query: not embedded again
        best = max((p.dense_score or 0.0 for p in passages), default=0.0)
        near = [p for p in cited if (p.dense_score or 0.0) >= best - self.cited_margin]
        ids = {p.chunk_id for p in near}
        return (near + [p for p in passages if p.chunk_id not in ids])[: self.top_k]

    def _off_topic(self, pool: Pool, plan: Plan) -> bool:
        """Does the archive beyond the window hold something much nearer the question than the window does?"""
        inside = max((p.dense_score or 0.0 for p in pool.passages), default=0.0)
        outside = self.index.dense_search(pool.vector.tolist(), 1, plan.wide)
        return bool(outside) and outside[0][1] - inside > self.widen_margin
