"""Stage 2, search: hybrid retrieval for a plan, widened once when the window holds nothing on the question."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.plan import off_topic
from bot.answering.retriever import HybridRetriever
from bot.answering.stages import Plan, Pool
from bot.answering.time.timescope import freshest_first, scope
from index.reader import IndexReader


@dataclass(frozen=True)
class Searcher:
    """Searches plans: the retriever, the pool size, and how far off the window's best may fall before widening."""

    index: IndexReader
    retriever: HybridRetriever
    top_k: int
    widen_margin: float = 0.2  # the window's best passage this far below the archive's best: nothing on it there

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
            passages = retrieval.passages
        return Pool(plan, retrieval.vector, tuple(passages), scope(self.index, plan.filters, plan.note))

    def _off_topic(self, pool: Pool, plan: Plan) -> bool:
        """Does the archive beyond the window hold something much nearer the question than the window does?"""
        inside = max((p.dense_score or 0.0 for p in pool.passages), default=0.0)
        outside = self.index.dense_search(pool.vector.tolist(), 1, plan.wide)
        return bool(outside) and outside[0][1] - inside > self.widen_margin
