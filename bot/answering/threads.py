"""A follow-up keeps to its thread: the passages, lead and verdict of a question asked inside a conversation."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.answering.models import Passage
from bot.answering.plan import ASKING, SAYS, about_thread, names_its_subject
from bot.answering.ranking import answerability
from bot.answering.ranking.commonwords import FLOOR, zipf
from bot.answering.ranking.learned import SPEECH, Judgement, led_by
from bot.answering.ranking.words import vocabulary
from bot.answering.stages import Candidate, Plan, Pool
from index.text import query_terms

THREAD_LEAD_SHARE = 0.3  # a sentence about the thread leads a follow-up when this near the best one


def thread_hedged(judged: Judgement, p: Plan) -> Judgement:
    """A follow-up's answer keeps to its thread: refused by the gate, it is answered, hedged, from the article its
    conversation cited when one of the best sentences there answers it (`in_cited_thread`); answered, its lead is
    the thread's (`thread_lead`), and it is hedged when the lead does not answer what the follow-up asks of its own
    (`unheld`: "how long will it take to rebuild?" → "Three years and four months later, the mayor's phone rang",
    a duration, but of nothing rebuilt; "why?" → a sentence giving no reason)."""
    if not p.subject or not judged.ranked:
        return judged
    if judged.verdict.outcome == "refused":
        at = in_cited_thread(p, judged.ranked)
        return judged if at is None else led(judged, at, answerability.Verdict(judged.verdict.confidence, "tentative"))
    at, verdict = thread_lead(judged, p), judged.verdict
    if unheld(p, judged.ranked[at or 0], verdict):
        verdict = answerability.Verdict(verdict.confidence, "tentative")
    return judged if at is None and verdict is judged.verdict else led(judged, at or 0, verdict)


def led(judged: Judgement, at: int, verdict: answerability.Verdict) -> Judgement:
    """The judgement led by the candidate at `at`, with this verdict and no short answer (its sentence may not lead)."""
    ranked, probs, cosines = led_by(at, judged.ranked, judged.probs, judged.cosines)
    return replace(judged, ranked=tuple(ranked), probs=probs, cosines=cosines, short=None, verdict=verdict)


def thread_lead(judged: Judgement, p: Plan) -> int | None:
    """Which sentence should lead an answered follow-up, when not the best: for "why?" or "what did they say?", the
    best about the thread giving a reason or someone's words; for a lead about another story (no cited article, no
    subject word: "how did Trump react?" → Walz reacting to Trump), the best about the thread; either within
    THREAD_LEAD_SHARE of the best's probability. None: the best leads."""
    if not p.prefer or judged.short is not None:
        return None  # no cited article: nothing says which story the thread is
    answers = asked_for(p.question.text, []) if not own_words(p) else None
    if answers is None and about_thread(p, judged.ranked[0]):
        return None
    bar = THREAD_LEAD_SHARE * float(judged.probs[0])
    at = next((i for i, c in enumerate(judged.ranked) if judged.probs[i] >= bar and about_thread(p, c)
               and (answers is None or answers(c.text))), None)
    return at or None


def own_words(p: Plan) -> list[str]:
    """What a follow-up asks of its own, beyond its subject ("rebuild" in "how long will it take to rebuild?")."""
    subject = set(p.subject.split())
    asked = re.sub(r"\bhow come\b", "why", p.question.text, flags=re.IGNORECASE)  # "come" names nothing
    return [w for w in query_terms(asked) if w not in ASKING and w not in subject]


def unheld(p: Plan, lead: Candidate, verdict: answerability.Verdict) -> bool:
    """Is a follow-up answered surely by a lead that does not answer what it asks of its own: a passage holding none
    of its rare words, or for "why?" and "what did they say?", a sentence giving no reason or no one's words?"""
    if verdict.outcome != "answered":
        return False
    if not (own := own_words(p)):
        answers = asked_for(p.question.text, own)
        return answers is not None and not answers(lead.text)
    rare = [w for w in own if zipf(w) < FLOOR]
    return bool(rare) and not any(vocabulary(lead.passage.text).has(w) for w in rare)


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


# a cited passage holding this share of the subject's words, or this many of them, is about the thread's subject (a
# long thread's subject gathers words of every turn: "deepseek", "nvidia", "shares", "apple", "founded", …)
THREAD_SHARE, THREAD_WORDS = 0.5, 3
# "why?", "how come?": asks for a reason and names nothing; a sentence giving one says so in these words
ASKS_WHY = re.compile(r"^\s*(?:(?:and|but|so|ok(?:ay)?),?\s+)?(?:why|how come)\b", re.IGNORECASE)
CAUSE = re.compile(r"\b(?:because|due to|owing to|thanks to|amid|as a result|in order to|so that|citing|blam(?:e|ed|es|ing)|"
                   r"caus(?:e|ed|es|ing)|led to|lead to|prompt(?:ed|ing|s)?|after|following|over (?:concerns?|fears?)|"
                   r"reasons?)\b", re.IGNORECASE)
SPOKEN = re.compile(rf"[“”\"]|\b{SPEECH}\b")  # a quote, or someone saying something


def in_cited_thread(p: Plan, ranked: Sequence[Candidate], top: int = 10) -> int | None:
    """A follow-up's answer in the article the conversation cited: the first of the best sentences there, in a
    passage about the subject, naming the follow-up's own word ('how did doctors react?' after the embryo ruling:
    '… a frenzy among patients and doctors …'), or, when it names none, giving what it asks for: a reason for
    "why?", someone's words for "what did they say?"; None for any other that names nothing of its own."""
    subject = set(p.subject.split())
    answers = asked_for(p.question.text, own_words(p))
    if not p.prefer or not subject or answers is None:
        return None
    for i, c in enumerate(ranked[:top]):
        if c.passage.article_id not in p.prefer:
            continue
        held = sum(vocabulary(c.passage.text).has(w) for w in subject)
        if held >= min(THREAD_SHARE * len(subject), THREAD_WORDS) and answers(c.text):
            return i
    return None


def asked_for(question: str, own: list[str]) -> Callable[[str], bool] | None:
    """What a sentence must hold to answer a follow-up in its thread's article: its own words, else a reason
    ("why?") or someone's words ("what did they say?"); None when it asks for nothing a sentence could show."""
    if own:
        return lambda text: any(vocabulary(text).has(w) for w in own)
    if ASKS_WHY.match(question):
        return lambda text: bool(CAUSE.search(text))
    if SAYS.search(question.lower()) and not names_its_subject(question):
        return lambda text: bool(SPOKEN.search(text))
    return None


def kept_passages(pool: Pool, k: int) -> tuple[Passage, ...]:
    """The pool's first k passages; a follow-up's also keeps the passages of the articles its thread cited that the
    search found near it (a thread's speaker may stand in a passage whose best sentence ranks lower: "and what did
    Russia say about it?" → "Russia again on Wednesday said …")."""
    kept = pool.passages[:k]
    if not pool.plan.prefer:
        return kept
    return kept + tuple(p for p in pool.passages[k:] if p.article_id in pool.plan.prefer)
