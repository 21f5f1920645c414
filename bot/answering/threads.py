"""A follow-up keeps to its thread: the passages, lead and verdict of a question asked inside a conversation."""

from __future__ import annotations

from dataclasses import replace

from bot.answering.models import Passage
from bot.answering.plan import about_thread, in_cited_thread
from bot.answering.ranking import answerability
from bot.answering.ranking.learned import Judgement, led_by
from bot.answering.stages import Plan, Pool

THREAD_LEAD_SHARE = 0.3  # a sentence about the thread leads a follow-up when this near the best one


def thread_hedged(judged: Judgement, p: Plan) -> Judgement:
    """A follow-up's answer keeps to its thread: refused by the gate, it is answered, hedged, from the article its
    conversation cited when one of the best sentences there names the follow-up's own word in a passage about the
    subject (`plan.in_cited_thread`); answered, a lead about another story (no cited article, no subject word: "how
    did Trump react?" → Walz reacting to Trump) gives way to the best sentence about the thread near it."""
    if not p.subject or not judged.ranked:
        return judged
    if judged.verdict.outcome == "refused":
        at = in_cited_thread(p, judged.ranked)
        verdict = answerability.Verdict(judged.verdict.confidence, "tentative")
    elif not p.prefer or about_thread(p, judged.ranked[0]) or judged.short is not None:
        return judged  # no cited article: nothing says which story the thread is
    else:
        bar = THREAD_LEAD_SHARE * float(judged.probs[0])
        at = next((i for i, c in enumerate(judged.ranked) if judged.probs[i] >= bar and about_thread(p, c)), None)
        verdict = judged.verdict
    if at is None:
        return judged
    ranked, probs, cosines = led_by(at, judged.ranked, judged.probs, judged.cosines)
    return replace(judged, ranked=tuple(ranked), probs=probs, cosines=cosines, short=None, verdict=verdict)


def more_judged(judged: Judgement, p: Plan) -> Judgement:
    """"Tell me more": the best sentences not yet shown of the articles the thread cited, answered as its story
    was (the gate would hedge them: with the answering sentences shown, what remains answers the question less),
    sub-headings left out (a section's title says nothing more); with none, the verdict stands."""
    keep = [i for i, c in enumerate(judged.ranked) if c.passage.article_id in p.prefer and not c.is_subheading]
    if not keep or judged.verdict.outcome == "answered":
        return judged
    return replace(judged, ranked=tuple(judged.ranked[i] for i in keep), probs=judged.probs[keep],
                   cosines=judged.cosines[keep], short=None,
                   verdict=answerability.Verdict(judged.verdict.confidence, "answered"))


def kept_passages(pool: Pool, k: int) -> tuple[Passage, ...]:
    """The pool's first k passages; a follow-up's also keeps the passages of the articles its thread cited that the
    search found near it (a thread's speaker may stand in a passage whose best sentence ranks lower: "and what did
    Russia say about it?" → "Russia again on Wednesday said …")."""
    kept = pool.passages[:k]
    if not pool.plan.prefer:
        return kept
    return kept + tuple(p for p in pool.passages[k:] if p.article_id in pool.plan.prefer)
