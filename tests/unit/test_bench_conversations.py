"""The conversation bench's reading of answers (no index)."""

from __future__ import annotations

from bench.conversations import outcome, sentences
from bot.answering.models import Answer


def test_sentences_leave_out_the_hedge_and_the_citation_marks():
    hedged = "The articles may not answer this directly; the closest passages: A ship hit the bridge. [1]"
    assert sentences(hedged) == ["A ship hit the bridge."]
    assert sentences("It fell. [1] Six died. [2]") == ["It fell.", "Six died."]


def test_outcome_tells_answered_hedged_and_refused_apart():
    assert outcome(Answer(question="q", answered=True, answer="a")) == "answered"
    assert outcome(Answer(question="q", answered=True, answer="a", tentative=True)) == "hedged"
    assert outcome(Answer(question="q", answered=False, answer="no")) == "refused"
