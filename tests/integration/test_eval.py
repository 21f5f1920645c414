"""`newsbot eval` on a small corpus: both question formats, figures, per-question output."""

from __future__ import annotations

import json

import pytest
from helpers import SHARED, write_json

from bot.cli import main
from bot.evaluation.questions import load_questions
from index.errors import BadInput


@pytest.fixture
def quiz(tmp_path):
    path = tmp_path / "quiz.jsonl"
    rows = [
        {"id": "q1", "question": "Who urged the United States to provide a security backstop?",
         "choices": ["Keir Starmer", "Emmanuel Macron", "Donald Tusk", "Olaf Scholz"], "gold": "Keir Starmer"},
        {"id": "q2", "question": "Who edited the Reuters report?", "gold": "Gareth Jones"},
        {"id": "q3", "question": "Which team won the Stanley Cup final in overtime?", "gold": "Zorblatt Rangers"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    return path


def test_eval_quiz_format_with_articles_dir(capsys, quiz, articles_dir, embedder):
    assert main(["eval", str(quiz), "--articles", str(articles_dir), "--json", "--per-question"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 3
    assert report["gold_in_answer"] == pytest.approx(2 / 3)
    assert report["gold_in_top_k"]["10"] == pytest.approx(2 / 3)
    assert report["gold_not_in_articles"] == 1 and report["refused_gold_not_in_articles"] == 1.0
    assert report["wrongly_refused"] == 0.0
    assert report["latency_p50_ms"] > 0 and report["latency_p95_ms"] >= report["latency_p50_ms"]
    first = report["outcomes"][0]
    assert "Keir Starmer, Emmanuel Macron" not in first["question"]  # asked bare, as people type it
    assert first["gold_in_answer"] and first["gold_rank"] >= 1
    assert main(["eval", str(quiz), "--articles", str(articles_dir), "--json", "--with-options"]) == 0
    quiz_form = json.loads(capsys.readouterr().out)
    assert quiz_form["questions"] == 3 and quiz_form["gold_in_answer"] == pytest.approx(2 / 3)


def test_eval_simple_format_against_current_index(capsys, articles_dir, embedder):
    main(["index", str(articles_dir)])
    capsys.readouterr()
    assert main(["eval", str(SHARED / "eval" / "starmer-questions.jsonl"), "--per-question"]) == 0
    out, err = capsys.readouterr()
    assert "gold in answer" in out and "unanswerable refused (1)" in out
    assert out.count("ms  ") == 5  # one line per question
    # stderr is no terminal here: progress is plain lines, printed (and flushed) as the questions are answered
    assert [line for line in err.splitlines() if line.startswith("evaluating")] == [f"evaluating: {n}/5" for n in
                                                                                     range(1, 6)]


def test_bad_question_file_is_named(capsys, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "ok?", "gold": "x"}\n{oops\n')
    assert main(["eval", str(bad)]) == 2
    assert "bad.jsonl:2" in capsys.readouterr().err
    write_json(tmp_path / "noq.jsonl", gold="x")
    with pytest.raises(BadInput, match="missing field 'question'"):
        load_questions(tmp_path / "noq.jsonl")


def test_gold_strings_match_whole_words_only(starmer_index):
    from bot.evaluation.scoring import gold_pattern

    # 'Starmer' holds 'star' and 'backstop' holds 'stop': neither counts as the gold word
    assert starmer_index.any_text_matches("Starmer", gold_pattern("Starmer"))
    assert not starmer_index.any_text_matches("star", gold_pattern("star"))
    assert not starmer_index.any_text_matches("stop", gold_pattern("Stop"))
    assert starmer_index.any_text_matches("KEIR starmer", gold_pattern(" KEIR starmer "))


def test_gold_in_the_articles_is_found_in_any_case_beyond_ascii(settings, make_index, tmp_path):
    from bot.evaluation.runner import gold_in_corpus
    from index.sync import Indexer

    folder = tmp_path / "quake"
    folder.mkdir()
    write_json(folder / "a.json", title="Quake", url="https://news.example/2024/01/23/quake",
               text="A magnitude 7.1 earthquake struck near Ürümqi in Xinjiang on Tuesday, officials said.")
    index = make_index()
    assert Indexer(index, settings).sync([folder]).added == 1
    assert gold_in_corpus(index, ["ürümqi"]) and gold_in_corpus(index, ["XINJIANG"])
    assert not gold_in_corpus(index, ["Urumqi"]) and not gold_in_corpus(index, ["Xin"])
