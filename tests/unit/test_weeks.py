"""The weeks evaluation's pieces: distant weeks, uncovered questions, folds, questions as people type them."""

from __future__ import annotations

from fakes.reader import FakeReader, row

from bot.evaluation.questions import Question, load_questions, plain_text
from bot.evaluation.train import fold_of
from bot.evaluation.weeks import distant_week, uncovered


def test_a_distant_week_is_half_a_year_away_and_never_too_close():
    assert distant_week(0, 52) == 26 and distant_week(30, 52) == 4
    assert distant_week(1, 10) is None  # ten weeks cannot give eight apart both ways round


def test_a_week_and_its_distant_week_share_a_fold():
    assert all(fold_of(i, 52) == fold_of(distant_week(i, 52), 52) for i in range(52))
    assert sorted({fold_of(i, 52) for i in range(52)}) == [0, 1, 2, 3]


def test_uncovered_keeps_only_questions_whose_gold_the_corpus_lacks():
    index = FakeReader([row("a-1", "a", "Spain lost the final to England.")], [], [])
    qs = [Question("1", "Who won?", ["England"]), Question("2", "Where?", ["Kananaskis"]), Question("3", "x", [])]
    got = uncovered(qs, index)
    assert [q.id for q in got] == ["2"] and got[0].answerable is False


def test_questions_are_asked_bare_and_free_of_markup(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "w_1", "question": "Why did <a href=\\"https://x\\">Gavin Newsom</a> sue?", '
                    '"choices": ["For A", "For B"], "gold": "For B", "date": "2025/06/13"}\n')
    (q,) = load_questions(path)
    assert q.text() == "Why did Gavin Newsom sue?"
    assert q.text(with_options=True) == "Why did Gavin Newsom sue? (For A, For B)"
    assert plain_text("AT&amp;T&#39;s <b>deal</b>") == "AT&T's deal"
