"""Asking a question set and measuring answers, short answers, retrieval, refusals and latency."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from bot.answering.models import quotes_of
from bot.answering.service import AnswerService
from bot.evaluation.llm_figures import llm_figures, llm_rows
from bot.evaluation.questions import Question
from bot.evaluation.scoring import (
    bare_gold,
    contains,
    first_holds,
    gold_pattern,
    gold_rank,
    percentiles,
    short_answer_hit,
    top_k_shares,
)
from index.reader import EvalReader


@dataclass
class Outcome:
    """What happened to one question."""

    id: str
    question: str
    gold: list[str]
    answerable: bool  # covered: the question set says so, or a gold string occurs in the articles
    explicit: bool  # answerable was stated by the question set, not inferred from the articles
    answered: bool
    gold_in_answer: bool
    gold_rank: int | None  # 1-based rank of the first retrieved passage holding the gold string
    latency_ms: float
    answer: str = ""
    confidence: float = 0.0
    short_answer: str | None = None
    short_hit: bool = False  # the short answer holds the gold, or the gold holds it (whole words)
    tentative: bool = False  # answered with "the articles may not answer this directly"
    first_gold: bool = False  # the answer's first sentence, or a quote it cites, holds the gold
    short_considered: str | None = None  # the likeliest short answer, shown or not, and its probability
    short_p: float = 0.0
    short_considered_hit: bool = False
    llm_model: str = ""  # the rest: what the language model did, when NEWSBOT_LLM is set
    llm_used: bool = False
    llm_fallback: str | None = None
    llm_seconds: float = 0.0


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
    covered: int = 0  # questions whose gold string occurs in the articles
    gold_in_answer_covered: float | None = None
    short_answer_covered: float | None = None
    gold_in_top_k_covered: dict[str, float] = field(default_factory=dict)
    first_sentence_covered: float | None = None  # of covered questions: the first sentence (or its quote) holds gold
    bold_shown_covered: float | None = None  # of covered questions: a bold short answer is shown
    bold_precision: float | None = None  # of the bold answers shown (any question): the share holding the gold
    tentative: float = 0.0  # share answered tentatively (middling confidence)
    llm: dict | None = None  # the language model's own figures (bot/evaluation/llm_figures.py)
    outcomes: list[Outcome] = field(default_factory=list)

    def to_dict(self, per_question: bool = False) -> dict:
        """JSON-ready figures (with every question's outcome when asked)."""
        out = asdict(self)
        if not per_question:
            out.pop("outcomes")
        return out


def gold_in_corpus(index: EvalReader, gold: list[str]) -> bool:
    """Does a gold string occur, as whole words, in an indexed article (then the question is answerable)?"""
    return any(index.any_text_matches(bare_gold(n), gold_pattern(n)) for n in gold if n.strip())


def evaluate(service: AnswerService, questions: list[Question], progress=None, with_options: bool = False) -> Report:
    """Ask every question (bare, or as the quiz shows it) and score the answers."""
    service.warm_up()
    outcomes = []
    for i, q in enumerate(questions, 1):
        outcomes.append(run_one(service, q, with_options))
        if progress:
            progress(i, len(questions))
    return summarize(outcomes)


def run_one(service: AnswerService, q: Question, with_options: bool = False) -> Outcome:
    """Ask one question, timing the whole answer."""
    t0 = time.perf_counter()
    answer, retrieval = service.respond(q.text(with_options), asked_on=q.asked_on)
    latency = (time.perf_counter() - t0) * 1000
    blob = answer.answer + "\n" + "\n".join(quote for c in answer.citations for quote in quotes_of(c))
    rank = gold_rank([p.text for p in retrieval.passages], q.gold)
    answerable = q.answerable if q.answerable is not None else gold_in_corpus(service.index, q.gold)
    llm = answer.llm
    quotes = {c.n: quotes_of(c) for c in answer.citations}
    first = answer.answered and bool(q.gold) and first_holds(answer.answer, quotes, q.gold)
    considered, short_p = answer.short_considered or (None, 0.0)
    return Outcome(q.id, q.question, q.gold, answerable, q.answerable is not None, answer.answered,
                   answer.answered and bool(q.gold) and contains(blob, q.gold), rank, latency, answer.answer,
                   answer.confidence, answer.short_answer if answer.answered else None,
                   answer.answered and short_answer_hit(answer.short_answer, q.gold), answer.tentative,
                   first_gold=first, short_considered=considered, short_p=round(short_p, 4),
                   short_considered_hit=short_answer_hit(considered, q.gold),
                   llm_model=llm.model if llm else "", llm_used=bool(llm and llm.used),
                   llm_fallback=llm.fallback if llm else None, llm_seconds=llm.seconds if llm else 0.0)


def _share(outcomes: list[Outcome], test) -> float | None:
    """Share of the outcomes passing test (None for none)."""
    return sum(1 for o in outcomes if test(o)) / len(outcomes) if outcomes else None


def summarize(outcomes: list[Outcome]) -> Report:
    """Shares and latency percentiles over the outcomes."""
    with_gold = [o for o in outcomes if o.gold] or outcomes
    unans = [o for o in outcomes if not o.answerable and o.explicit]
    absent = [o for o in outcomes if not o.answerable and not o.explicit]
    ans = [o for o in outcomes if o.answerable]
    covered = [o for o in ans if o.gold]
    p50, p95 = percentiles([o.latency_ms for o in outcomes])
    return Report(
        questions=len(outcomes),
        answered=_share(outcomes, lambda o: o.answered) or 0.0,
        gold_in_answer=_share(with_gold, lambda o: o.gold_in_answer) or 0.0,
        gold_in_top_k=top_k_shares([o.gold_rank for o in with_gold]),
        unanswerable=len(unans),
        refused_unanswerable=_share(unans, lambda o: not o.answered),
        wrongly_refused=_share(ans, lambda o: not o.answered),
        gold_not_in_articles=len(absent),
        refused_gold_not_in_articles=_share(absent, lambda o: not o.answered),
        latency_p50_ms=p50,
        latency_p95_ms=p95,
        covered=len(covered),
        gold_in_answer_covered=_share(covered, lambda o: o.gold_in_answer),
        short_answer_covered=_share(covered, lambda o: o.short_hit),
        gold_in_top_k_covered=top_k_shares([o.gold_rank for o in covered]) if covered else {},
        tentative=_share(outcomes, lambda o: o.tentative) or 0.0,
        first_sentence_covered=_share(covered, lambda o: o.first_gold),
        bold_shown_covered=_share(covered, lambda o: bool(o.short_answer)),
        bold_precision=_share([o for o in with_gold if o.short_answer], lambda o: o.short_hit),
        llm=llm_figures(outcomes),
        outcomes=outcomes,
    )


def format_table(report: Report) -> str:
    """A small human-readable table of the figures."""
    rows = [("questions", str(report.questions)), ("answered", f"{report.answered:.3f}"),
            ("gold in answer", f"{report.gold_in_answer:.3f}")]
    rows += [(f"gold in top-{k}", f"{v:.3f}") for k, v in report.gold_in_top_k.items()]
    if report.covered:
        rows += [(f"covered (gold in the articles: {report.covered})", ""),
                 ("  first sentence holds the gold", f"{report.first_sentence_covered:.3f}"),
                 ("  bold answer shown", f"{report.bold_shown_covered:.3f}"),
                 ("  gold anywhere in the answer", f"{report.gold_in_answer_covered:.3f}"),
                 ("  short answer holds the gold", f"{report.short_answer_covered:.3f}")]
    if report.bold_precision is not None:
        rows.append(("bold answer right when shown", f"{report.bold_precision:.3f}"))
    if report.wrongly_refused is not None:
        rows.append(("answerable (covered) refused", f"{report.wrongly_refused:.3f}"))
    if report.refused_unanswerable is not None:
        rows.append((f"unanswerable refused ({report.unanswerable})", f"{report.refused_unanswerable:.3f}"))
    if report.refused_gold_not_in_articles is not None:
        rows.append((f"refused, gold not in articles ({report.gold_not_in_articles})",
                     f"{report.refused_gold_not_in_articles:.3f}"))
    rows += [("answered tentatively", f"{report.tentative:.3f}"),
             ("latency p50 (ms)", f"{report.latency_p50_ms:.0f}"), ("latency p95 (ms)", f"{report.latency_p95_ms:.0f}")]
    rows += llm_rows(report.llm)
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value:>8}" for name, value in rows)
