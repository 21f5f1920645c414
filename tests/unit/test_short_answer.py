"""The short answer on hand-built sentences: candidates of the asked type, scored, always part of the quote."""

from __future__ import annotations

import numpy as np
from fakes.reader import row

from bot.answering.models import Passage
from bot.answering.ranking import shortanswer
from bot.answering.ranking.answer_types import Kind
from bot.answering.ranking.extractive import candidates
from bot.answering.ranking.ranker import Linear

TEXT = ("The G7 leaders met in Kananaskis on Sunday. Talks in Kananaskis ran late into the night. "
        "Officials had first looked at Banff for the summit.")


def ranked_sentences():
    p = Passage.of(row("a-1", "a", TEXT, start=100))
    return candidates([p], min_chars=10)


def model(weights: dict[str, float]) -> Linear:
    names = shortanswer.SHORT_FEATURES
    return Linear(names, np.zeros(len(names)), np.ones(len(names)),
                  np.array([weights.get(n, 0.0) for n in names]), 0.0)


def test_a_candidate_in_several_good_sentences_wins():
    sents = ranked_sentences()
    opts = shortanswer.options(["g7", "leaders", "meet"], "Where did the G7 leaders meet?", Kind.PLACE, sents,
                               np.array([0.9, 0.6, 0.2]))
    by_text = {o.text: o for o in opts}
    assert set(by_text) >= {"Kananaskis", "Banff"}
    assert by_text["Kananaskis"].features["count"] > by_text["Banff"].features["count"]  # found twice, not once
    best, p = shortanswer.choose(opts, model({"sum_p": 2.0, "count": 1.0}), threshold=0.5)
    assert best.text == "Kananaskis" and p > 0.5


def test_the_short_answer_is_always_a_span_of_its_quote():
    sents = ranked_sentences()
    for o in shortanswer.options(["meet"], "Where did they meet?", Kind.PLACE, sents, np.array([0.9, 0.6, 0.2])):
        s = sents[o.sentence]
        assert TEXT[o.start - 100:o.end - 100] == o.text and s.start <= o.start < o.end <= s.end


def test_no_clear_winner_no_short_answer():
    opts = shortanswer.options(["meet"], "Where did they meet?", Kind.PLACE, ranked_sentences(),
                               np.array([0.9, 0.6, 0.2]))
    assert shortanswer.choose(opts, model({}), threshold=0.9)[0] is None  # every option at 0.5
    assert shortanswer.choose([], model({}), threshold=0.0) == (None, 0.0)


def test_explanatory_questions_get_no_options():
    assert shortanswer.options(["why"], "Why did they meet?", Kind.EXPLAIN, ranked_sentences(), np.array([0.9])) == []
