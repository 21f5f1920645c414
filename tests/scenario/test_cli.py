"""The newsbot command: exit codes, JSON contract, batch mode, status, skipped files."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from helpers import write_json

from bot.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_then_ask_json_contract(capsys, articles_dir, embedder):
    code, out, _ = run(capsys, "index", str(articles_dir))
    assert code == 0 and "added 1" in out
    code, out, _ = run(capsys, "ask", "--json", "what does Starmer mean by backstop?")
    assert code == 0
    obj = json.loads(out)  # exactly one JSON object
    assert set(obj) == {"question", "answered", "answer", "short_answer", "confidence", "citations", "searched"}
    assert 0.0 <= obj["confidence"] <= 1.0
    assert obj["answered"] is True
    assert obj["searched"] == {"from": None, "to": None, "sources": [], "articles": 1}
    assert set(obj["citations"][0]) == {"n", "article_id", "title", "source", "author", "published", "url", "quote",
                                        "more_quotes"}  # one source per article: its other passages quoted
    assert obj["citations"][0]["url"] == "starmer-backstop.txt"


def test_a_hedged_answer_is_tentative_in_json(capsys, articles_dir, embedder):
    run(capsys, "index", str(articles_dir))
    code, out, _ = run(capsys, "ask", "--json", "What did Starmer eat for breakfast before the backstop talks?")
    obj = json.loads(out)
    assert code == 0 and obj["answered"] is True and obj["tentative"] is True
    # hedged, it shows its closest passage and nothing after it
    assert obj["answer"].count("[1]") == 1 and "[2]" not in obj["answer"] and obj["answer"].endswith("[1]")
    assert len(obj["citations"]) == 1


def test_the_answer_says_what_it_searched(capsys, articles_dir, embedder):
    write_json(articles_dir / "old.json", title="Old news", url="https://news.example/2019/05/01/old",
               source="AP", text="The harbour bridge reopened in May 2019 after repairs.")
    run(capsys, "index", str(articles_dir))
    code, out, _ = run(capsys, "ask", "--json", "--since", "2019-01-01", "--until", "2019-12-31",
                       "--source", "AP", "when did the harbour bridge reopen?")
    assert code == 0
    assert json.loads(out)["searched"] == {"from": "2019-01-01", "to": "2019-12-31", "sources": ["AP"], "articles": 1}


def test_reindex_adds_nothing(capsys, articles_dir, embedder):
    run(capsys, "index", str(articles_dir))
    run(capsys, "status", "--json")
    code, out, _ = run(capsys, "index", str(articles_dir))
    assert code == 0 and "unchanged 1" in out and "added 0" in out
    _, out, _ = run(capsys, "status", "--json")
    stats = json.loads(out)
    assert stats["articles"] == 1 and stats["chunks"] == stats["dense_chunks"] == stats["lexical_chunks"] > 0


def test_bad_files_skipped_named_and_exit_nonzero(capsys, articles_dir, embedder):
    (articles_dir / "empty.md").write_text("")
    write_json(articles_dir / "broken.json", title="x")
    for other in ("photo.jpg", "map.jpg", "notes.docx"):  # not articles: counted, not errors
        (articles_dir / other).write_bytes(b"\x89PNG")
    code, out, err = run(capsys, "index", str(articles_dir))
    assert code == 1
    assert "added 1" in out and "skipped 2; 3 skipped, not articles: .jpg, .docx;" in out
    assert "empty.md: empty file" in err and "broken.json: missing field 'text'" in err
    assert err.count("empty.md") == 1 and "WARNING" not in err  # each named once, as a plain line
    _, out, _ = run(capsys, "status", "--json")
    assert json.loads(out)["articles"] == 1


def test_empty_and_overlong_questions_exit_2(capsys, embedder):
    assert run(capsys, "ask", "  ")[0] == 2
    code, _, err = run(capsys, "ask", "x" * 1001)
    assert code == 2 and "NEWSBOT_MAX_QUESTION_CHARS" in err


def test_missing_path_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "index", str(tmp_path / "nope"))
    assert code == 2 and "nope" in err


def test_batch_stdin_keeps_order(capsys, monkeypatch, articles_dir, embedder):
    run(capsys, "index", str(articles_dir))
    questions = ["what does Starmer mean by backstop?", "", "What did the article say about interest rates in Japan?",
                 "Who edited the article?"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    code, out, _ = run(capsys, "ask", "--json", "-")
    objs = [json.loads(line) for line in out.splitlines()]
    assert code == 2  # the blank line is an error, in its place: output lines stay in step with input lines
    assert [o["question"] for o in objs] == questions
    assert [o["answered"] for o in objs] == [True, False, False, True]
    assert objs[1]["error"] == "the question is empty" and "error" not in objs[2]


def test_status_on_empty_index(capsys):
    code, out, _ = run(capsys, "status")
    assert code == 0 and "(never)" in out
    assert out.splitlines()[0].split() == ["articles", "0"]


@pytest.mark.parametrize("sub", ["index", "ask", "chat", "status"])
def test_help_explains_each_subcommand(capsys, sub):
    with pytest.raises(SystemExit) as exc:
        main([sub, "--help"])
    assert exc.value.code == 0
    assert len(capsys.readouterr().out.splitlines()) > 3


def test_console_script_prints_one_json_object(articles_dir, tmp_path):
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(tmp_path / "data")}
    exe = os.path.join(os.path.dirname(sys.executable), "newsbot")
    subprocess.run([exe, "index", "-q", str(articles_dir)], env=env, check=True, capture_output=True)
    done = subprocess.run([exe, "ask", "--json", "Who reported the article?"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1
    assert json.loads(done.stdout)["answered"] is True


def test_ask_as_of_a_day(capsys, articles_dir):
    main(["index", str(articles_dir)])
    capsys.readouterr()
    assert main(["ask", "--as-of", "2025-03-02", "--json", "what does Starmer mean by backstop?"]) == 0
    assert json.loads(capsys.readouterr().out)["answered"]
    assert main(["ask", "--as-of", "2025-02-30", "backstop?"]) == 1
    assert "newsbot: --as-of expects a date like 2024-01-31, got '2025-02-30'" in capsys.readouterr().err
