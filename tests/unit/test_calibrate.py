"""The bold answer's threshold read from eval runs (hand-built outcomes)."""

from __future__ import annotations

import json

from bot.evaluation.calibrate import held_in, shown_candidates, threshold_for


def outcome(p: float, hit: bool, **over) -> dict:
    return {"kind": "own", "answered": True, "tentative": False, "answerable": True, "short_considered": "x",
            "short_p": p, "short_considered_hit": hit, **over}


def test_the_lowest_threshold_that_keeps_bold_answers_right_enough():
    # 30 sure answers: the 20 likeliest right but one, the 10 least likely all wrong
    points = [(0.99 - i / 100, i != 5) for i in range(20)] + [(0.5 - i / 100, False) for i in range(10)]
    t, shown, right = threshold_for(points, 0.85)
    assert (round(t, 2), shown, right) == (0.80, 20, 19)
    assert threshold_for(points, 0.99)[0] == 1.0  # never reached: no bold answers at all


def test_sure_answers_count_uncovered_ones_as_wrong_and_held_out_corpora_not_at_all():
    outs = [outcome(0.9, True, corpus="w1"), outcome(0.9, True, tentative=True), outcome(0.8, False, kind="distant"),
            outcome(0.9, True, answered=False), outcome(0.9, True, short_considered=None),
            outcome(0.7, True, corpus="held")]
    assert shown_candidates(held_in(json.loads(json.dumps(outs)), frozenset({"held"}))) == [(0.9, True), (0.8, False)]
