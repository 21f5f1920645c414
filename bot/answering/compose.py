"""The last stage, compose: the answer shown, built from the chosen candidates, or a plain refusal."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answering.models import HEDGE, Answer, Passage, Related
from bot.answering.plan import on_thread, repeats
from bot.answering.ranking import extractive
from bot.answering.ranking.learned import Judgement
from bot.answering.stages import Candidate, Pool

FOLLOW_SHARE = 0.5  # a sentence after the lead is shown only when the ranker gives it half the lead's probability


def refusal(question: str, pool: Pool | None, query: str | None = None) -> Answer:
    """Say plainly that the articles do not cover it, with up to three nearest articles."""
    query = query if query is not None else pool.query if pool else question
    related = nearest_articles(pool.passages if pool else ())
    n = pool.searched.articles if pool else 0
    if pool and pool.plan.shown:  # "tell me more": the story was answered; nothing further answers it
        text = f"The indexed articles say nothing more on “{pool.plan.question.text}” than this conversation showed."
    else:
        text = f"The indexed articles do not cover this. I searched {n} article{'s' if n != 1 else ''}"
        text += f" for “{query}”" + (" and found nothing that answers it." if n else ".")
    text += listed(" Possibly related: ", related)
    return Answer(question=question, answered=False, answer=text, related=related, standalone_question=query)


def nothing_recent(question: str, pool: Pool) -> Answer:
    """Nothing was published from the days the time words name to the day asked: say so, with older related articles."""
    related = nearest_articles(pool.passages)
    text = f"The indexed articles cannot answer this: {pool.plan.note}." + listed(" Older, possibly related: ", related)
    return Answer(question=question, answered=False, answer=text, related=related, standalone_question=pool.query)


def listed(lead: str, related: Sequence[Related]) -> str:
    """The related articles after `lead` ("“Title” (source); …."), or nothing when there are none."""
    if not related:
        return ""
    return lead + "; ".join(f"“{r.title}”" + (f" ({r.source})" if r.source else "") for r in related) + "."


def nearest_articles(passages: Sequence[Passage], limit: int = 3) -> list[Related]:
    """Distinct articles among the nearest passages, nearest first."""
    out: dict[str, Related] = {}
    for p in passages:
        if p.article_id not in out and len(out) < limit:
            out[p.article_id] = Related(article_id=p.article_id, title=p.title, source=p.source,
                                        published=p.published, url=p.link)
    return list(out.values())


def hand_set(question: str, pool: Pool, chosen: list[Candidate], confidence: float, min_relevance: float,
             context_after: int) -> Answer:
    """The hand-set answer: the chosen sentences, refused below NEWSBOT_MIN_RELEVANCE."""
    if confidence < min_relevance:
        return refusal(question, pool).model_copy(update={"confidence": confidence})
    text, citations = extractive.compose(chosen, context_after)
    return Answer(question=question, answered=True, answer=text, citations=citations, standalone_question=pool.query,
                  confidence=confidence)


def learned(question: str, pool: Pool, judged: Judgement, n: int, weights: extractive.Weights) -> Answer:
    """The ranker's best sentences, led by the short answer's; refused or tentative as answerability says."""
    ranked, confidence = judged.ranked, judged.verdict.confidence
    if judged.verdict.outcome == "refused" or not ranked:
        return refusal(question, pool).model_copy(update={"confidence": confidence})
    tentative = judged.verdict.outcome == "tentative"
    at = judged.short.sentence if judged.short and not tentative else 0
    lead, bar = ranked[at], FOLLOW_SHARE * float(judged.probs[at])
    # every sentence after the lead earns its place on its own: fewer sentences beat filler; a hedged answer shows
    # only its closest passage (a hedge's later sentences held the gold in 2 of 114 hedged answers of the report weeks)
    earned = [] if tentative else [c for c, p in zip(ranked, judged.probs)
                                   if c is not lead and p >= bar and on_thread(pool.plan, c)]
    short = judged.short.text if judged.short and not tentative else None
    shown = (lambda c: repeats(pool.plan, c)) if pool.plan.shown else None
    chosen = extractive.below_headings(extractive.select([lead] + earned, n, weights), ranked, short, shown)
    text, citations = extractive.compose(chosen, weights.context_after)
    if tentative:
        text = HEDGE + text
    considered = (judged.best.text, judged.short_p) if judged.best else None
    return Answer(question=question, answered=True, answer=text, citations=citations, standalone_question=pool.query,
                  confidence=confidence, short_answer=short, tentative=tentative, short_considered=considered)
