"""Asking a question set and measuring answers, retrieval, refusals and latency."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from bot.answering.service import AnswerService
from bot.evaluation.questions import Question
from bot.evaluation.scoring import contains, gold_pattern, gold_rank, percentiles, top_k_shares
from index.reader import IndexReader


@dataclass
class Outcome:
    """What happened to one question."""

    id: str
    question: str
    gold: list[str]
    answerable: bool
    explicit: bool  # answerable was stated by the question set, not inferred from the articles
    answered: bool
    gold_in_answer: bool
    gold_rank: int | None  # 1-based rank of the first retrieved passage holding the gold string
    latency_ms: float
    answer: str = ""
    confidence: float = 0.0


@dataclass
class Report:
    """Aggregate figures of one evaluation run."""

    questions: int
    answered: float
    gold_in_answer: float
    gold_in_top_k: dict[str, float]
    unanswerable: int
    refused_unanswerable: float | None
    wrongly_refused: float | None
    gold_not_in_articles: int
    refused_gold_not_in_articles: float | None
    latency_p50_ms: float
    latency_p95_ms: float
    outcomes: list[Outcome] = field(default_factory=list)

    def to_dict(self, per_question: bool = False) -> dict:
        """JSON-ready figures (with every question's outcome when asked)."""
        out = asdict(self)
        if not per_question:
            out.pop("outcomes")
        return out


def gold_in_corpus(index: IndexReader, gold: list[str]) -> bool:
    """Does a gold string occur, as whole words, in an indexed article (then the question is answerable)?"""
    return any(index.any_text_matches(n.strip(), gold_pattern(n)) for n in gold if n.strip())


def evaluate(service: AnswerService, questions: list[Question], progress=None) -> Report:
    """Ask every question and score the answers."""
    service.warm_up()
    outcomes = []
    for i, q in enumerate(questions, 1):
        outcomes.append(_run_one(service, q))
        if progress:
            progress(i, len(questions))
    return summarize(outcomes)


def _run_one(service: AnswerService, q: Question) -> Outcome:
    """Ask one question, timing the whole answer."""
    t0 = time.perf_counter()
    answer, retrieval = service.respond(q.question, asked_on=q.asked_on)
    latency = (time.perf_counter() - t0) * 1000
    blob = answer.answer + "\n" + "\n".join(c.quote for c in answer.citations)
    rank = gold_rank([p.text for p in retrieval.passages], q.gold)
    answerable = q.answerable if q.answerable is not None else gold_in_corpus(service.index, q.gold)
    return Outcome(q.id, q.question, q.gold, answerable, q.answerable is not None, answer.answered,
                   answer.answered and bool(q.gold) and contains(blob, q.gold), rank, latency, answer.answer,
                   answer.confidence)


def summarize(outcomes: list[Outcome]) -> Report:
    """Shares and latency percentiles over the outcomes."""
    n = len(outcomes) or 1
    with_gold = [o for o in outcomes if o.gold] or outcomes
    unans = [o for o in outcomes if not o.answerable and o.explicit]
    absent = [o for o in outcomes if not o.answerable and not o.explicit]
    ans = [o for o in outcomes if o.answerable]
    p50, p95 = percentiles([o.latency_ms for o in outcomes])
    return Report(
        questions=len(outcomes),
        answered=sum(o.answered for o in outcomes) / n,
        gold_in_answer=sum(o.gold_in_answer for o in with_gold) / max(1, len(with_gold)),
        gold_in_top_k=top_k_shares([o.gold_rank for o in with_gold]),
        unanswerable=len(unans),
        refused_unanswerable=(sum(not o.answered for o in unans) / len(unans)) if unans else None,
        wrongly_refused=(sum(not o.answered for o in ans) / len(ans)) if ans else None,
        gold_not_in_articles=len(absent),
        refused_gold_not_in_articles=(sum(not o.answered for o in absent) / len(absent)) if absent else None,
        latency_p50_ms=p50,
        latency_p95_ms=p95,
        outcomes=outcomes,
    )


def format_table(report: Report) -> str:
    """A small human-readable table of the figures."""
    rows = [("questions", str(report.questions)), ("answered", f"{report.answered:.3f}"),
            ("gold in answer", f"{report.gold_in_answer:.3f}")]
    rows += [(f"gold in top-{k}", f"{v:.3f}") for k, v in report.gold_in_top_k.items()]
    if report.refused_unanswerable is not None:
        rows.append((f"unanswerable refused ({report.unanswerable})", f"{report.refused_unanswerable:.3f}"))
    if report.wrongly_refused is not None:
        rows.append(("answerable wrongly refused", f"{report.wrongly_refused:.3f}"))
    if report.refused_gold_not_in_articles is not None:
        rows.append((f"refused, gold not in articles ({report.gold_not_in_articles})",
                     f"{report.refused_gold_not_in_articles:.3f}"))
    rows += [("latency p50 (ms)", f"{report.latency_p50_ms:.0f}"), ("latency p95 (ms)", f"{report.latency_p95_ms:.0f}")]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value:>8}" for name, value in rows)
