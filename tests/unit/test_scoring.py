"""Scoring shared by `newsbot eval` and `make bench`, and question sets, on hand-built data."""

from __future__ import annotations

from bot.evaluation.questions import load_questions
from bot.evaluation.runner import summarize
from bot.evaluation.scoring import contains, gold_rank, percentiles, top_k_shares


def test_gold_strings_match_whole_words():
    assert contains("Storm Henk hit Britain.", ["henk"]) and not contains("Konstantin Yaroshenko", ["Henk"])
    assert contains("about 48% of teens", ["48%"]) and contains('won for "Barbie".', ['"Barbie"'])
    assert contains("without question “Jaws,” which was", ["“Jaws”"]) and not contains("Jawsome", ['"Jaws"'])
    assert not contains("1480%", ["48%"]) and not contains("Democrats won", ["Rats"])
    assert contains("Keir Starmer said", [" keir STARMER "])


def test_gold_rank_and_top_k_shares():
    texts = ["nothing here", "the Skerrow bridge", "more"]
    assert gold_rank(texts, ["Skerrow"]) == 2 and gold_rank(texts, ["tunnel"]) is None
    assert gold_rank(texts, ["more"], k=2) is None
    assert top_k_shares([1, 2, None, 7]) == {"1": 0.25, "3": 0.5, "5": 0.5, "10": 0.75}


def test_percentiles_by_nearest_rank():
    assert percentiles([float(i) for i in range(1, 101)]) == (50.5, 95.0)
    assert percentiles([]) == (0.0, 0.0)


def test_summary_of_nothing_is_safe():
    report = summarize([])
    assert report.questions == 0 and report.refused_unanswerable is None


def test_a_question_is_asked_on_its_own_date(tmp_path):
    from datetime import date

    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "Who won?", "gold": "Ann", "date": "2024/01/05"}\n{"q": "Who lost?"}\n')
    dated, undated = load_questions(path)
    assert (dated.asked_on, undated.asked_on) == (date(2024, 1, 5), None)


def test_the_first_sentence_is_read_up_to_its_first_citation():
    from bot.evaluation.scoring import first_holds, first_sentence

    answer = "Starmer wants a security backstop [1]. Putin was named [2]."
    assert first_sentence(answer) == ("Starmer wants a security backstop [1]", [1])
    assert first_sentence("Nothing cited here. More.") == ("Nothing cited here.", [])
    quotes = {1: ["Starmer wants a security backstop from Washington.", "Later on, Kyiv."], 2: ["Vladimir Putin"]}
    assert first_holds(answer, quotes, ["Washington"])  # the passage quoted around the first sentence counts
    assert not first_holds(answer, quotes, ["Kyiv"])  # another passage of the same source does not
    assert not first_holds(answer, quotes, ["Putin"])  # nor the second sentence and its quote
    assert first_holds("Both [1, 2].", quotes, ["Putin"])  # prose (no sentence quoted): what it cites


def test_bold_answers_are_scored_for_precision_and_coverage():
    from bot.evaluation.runner import Outcome, summarize

    def outcome(short, hit, first):
        return Outcome("q", "q?", ["gold"], True, False, True, first, 1, 10.0, short_answer=short, short_hit=hit,
                       first_gold=first)

    report = summarize([outcome("gold", True, True), outcome("other", False, False), outcome(None, False, True),
                        outcome(None, False, False)])
    assert (report.bold_shown_covered, report.bold_precision, report.first_sentence_covered) == (0.5, 0.5, 0.5)
