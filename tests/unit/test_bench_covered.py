"""bench.covered: a gold found only beside other news is not an answer the corpus holds."""

from __future__ import annotations

import json

from bench import covered

QUESTION = "Which French footballer urged his compatriots to reject extremes at a pre-Euros press conference?"


def test_a_gold_counts_only_in_an_article_that_holds_the_questions_rare_words():
    review = "The year in sport: Kylian Mbappé scored a hat-trick in the World Cup final."
    answer = "At a pre-Euros press conference, Kylian Mbappé urged compatriots to reject extremes."
    assert not covered.answers_in(QUESTION, ["Kylian Mbappé"], [review])
    assert covered.answers_in(QUESTION, ["Kylian Mbappé"], [review, answer])
    assert not covered.answers_in(QUESTION, ["Mbapp"], [answer])  # whole words only
    assert not covered.answers_in(QUESTION, ["Kylian Mbappé"], ["Which of his? Kylian Mbappé, at a press."])  # everyday words only


def test_corpus_texts_reads_one_week_or_a_span_of_weeks(tmp_path):
    for week, title in (("20240202", "first"), ("20240209", "second"), ("20240216", "third")):
        (tmp_path / week / "articles").mkdir(parents=True)
        (tmp_path / week / "articles" / "a.json").write_text(json.dumps({"title": title, "text": "body"}))
    assert covered.corpus_texts(tmp_path, "20240209") == ["second\nbody"]
    assert [t.split("\n")[0] for t in covered.corpus_texts(tmp_path, "20240202-20240209")] == ["first", "second"]


def test_figures_count_refusals_and_gold_over_the_outcomes():
    outcomes = [{"answered": False, "first_gold": False, "gold_in_answer": False},
                {"answered": True, "first_gold": True, "gold_in_answer": True}]
    assert covered.figures(outcomes) == "n 2, refused 0.500, first sentence 0.500, anywhere 0.500"
    assert covered.golds({"gold": "Rice"}) == ["Rice"] and covered.golds({"gold": ["a", "b"]}) == ["a", "b"]
