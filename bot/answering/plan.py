"""Stage 1, plan: the standalone query, the window its time words name, and the one widening policy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from bot.answering.models import Turn
from bot.answering.stages import Plan, Question
from bot.answering.time.timescope import merge, span_words, told
from bot.answering.time.timewords import Window, read_window
from index.reader import IndexReader
from index.text import query_terms

Rewrite = Callable[[str, list[Turn]], str | None]  # an LLM's standalone rewrite of a follow-up, or None


def standalone(question: Question, rewrite: Rewrite | None = None) -> str:
    """A follow-up made searchable on its own: rewritten by the LLM, else carrying the thread's last question."""
    if not question.history:
        return question.text
    if rewrite and (text := rewrite(question.text, list(question.history))):
        return text
    if len(query_terms(question.text)) <= 4 or refers_back(question.text):
        return f"{question.text} {question.history[-1].question}"
    return question.text


def refers_back(question: str) -> bool:
    """Follow-ups lean on the thread: 'and what did Russia say?', 'what about him?'."""
    q = question.lower().strip()
    return q.startswith(("and ", "what about", "how about", "but ", "so ", "also")) or any(
        f" {w} " in f" {q} " for w in ("he", "she", "they", "it", "him", "her", "them", "that", "this", "there")
    )


def plan(question: Question, query: str, index: IndexReader, time_words: bool = True) -> Plan:
    """Where to search: the window's dates within the filters, widened at once when they cannot hold an answer."""
    filters = question.filters
    window = read_window(query, question.asked_on) if time_words else Window(query=query)
    if not window.dated:
        return Plan(question, query, window, filters, filters, "freshest first" if window.latest else "",
                    search_text=window.query)
    # widened: everything the filters allow up to the day asked (what the archive held then), with a
    # day's grace for time zones as the recency bonus has
    wide = merge(filters, Window(until=question.asked_on + timedelta(days=1))) or filters
    merged = merge(filters, window)
    first = Plan(question, query, window, merged, wide, told(window), search_text=window.query)
    if merged is None:
        return widen(first, f"“{window.phrase}” is outside the dates given")
    if index.article_count(merged) == 0:
        return widen(first, f"nothing was published {span_words(window.since, window.until)}")
    return first


def widen(p: Plan, why: str) -> Plan:
    """The plan searched beyond its window (the question as asked, everything up to the day asked), saying why."""
    return replace(p, window=replace(p.window, since=None, until=None), filters=p.wide, note=why, widened=True,
                   search_text=p.query)


def unanswered(p: Plan) -> Plan:
    """Nothing in the window answered: the widened plan."""
    return replace(widen(p, f"nothing {span_words(p.window.since, p.window.until)} answers it"), ageless=True)


def off_topic(p: Plan) -> Plan:
    """The window holds nothing near the question that the archive beyond it holds: the widened plan."""
    return widen(p, f"nothing on this {span_words(p.window.since, p.window.until)}")
