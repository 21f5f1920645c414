"""Time on the command line and in the REPL: what was searched, timelines, digests."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from helpers import news_corpus

from bot.answering.service import AnswerService
from bot.cli import main
from bot.settings import Settings
from bot.terminal.repl import run_repl
from index.store import NewsIndex


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus(capsys, tmp_path, embedder):
    code, out, _ = run(capsys, "index", str(news_corpus(tmp_path / "news")))
    assert code == 0 and "added 9" in out


def test_every_answer_says_what_it_searched(capsys, corpus):
    code, out, _ = run(capsys, "ask", "--as-of", "2025-06-05", "What pay deal did the Velmora dockworkers agree this week?")
    assert code == 0 and "six percent" in out
    assert "\nSearched 4 articles from 30 May – 5 June 2025 (“this week”).\n" in out
    code, out, _ = run(capsys, "ask", "--as-of", "2025-06-05", "What happened at Velmora harbour in 2019?")
    assert "Searched 9 articles until 6 June 2025 (nothing was published from 1 January to 31 December 2019)." in out
    code, out, _ = run(capsys, "ask", "Who runs the Kestrel Observatory's bakery?")
    assert "do not cover" in out and "\nSearched 9 articles." in out  # refusals too


def test_chat_converses_as_on_the_day_given(capsys, corpus, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("What pay deal did the Velmora dockworkers agree this week?\n:quit\n"))
    code, out, _ = run(capsys, "chat", "--as-of", "2025-06-05")
    assert code == 0 and "six percent" in out and "Searched 4 articles from 30 May – 5 June 2025 (“this week”)." in out
    code, _, err = run(capsys, "chat", "--as-of", "yesterday-ish")
    assert code == 1 and "newsbot: --as-of expects a date like" in err


def test_timeline_json(capsys, corpus):
    code, out, _ = run(capsys, "timeline", "--json", "the", "Velmora", "harbour", "strike")
    obj = json.loads(out)
    assert code == 0 and obj["topic"] == "the Velmora harbour strike"
    assert [e["date"] for e in obj["entries"]] == ["2025-05-02", "2025-05-10", "2025-05-20", "2025-06-03"]
    assert all(set(e) == {"date", "title", "source", "url", "quote"} for e in obj["entries"])
    assert obj["searched"]["articles"] == 9
    code, out, _ = run(capsys, "timeline", "--until", "2025-05-15", "the Velmora harbour strike")
    assert out.startswith("Timeline of the Velmora harbour strike (oldest first):")
    assert "2 May 2025: Dockworkers at Velmora harbour voted on Friday to strike over pay. [1]" in out
    assert "20 May 2025" not in out and "Searched 4 articles until 15 May 2025." in out


def test_digest_json_and_text(capsys, corpus):
    code, out, _ = run(capsys, "digest", "--as-of", "2025-06-05", "--since", "2025-05-01", "--json")
    obj = json.loads(out)
    assert code == 0 and (obj["from"], obj["to"]) == ("2025-05-01", "2025-06-05")
    assert [s["more"] for s in obj["stories"]] == [4, 2]
    assert set(obj["stories"][0]["lead"]) == {"date", "title", "source", "url", "quote"}
    code, out, _ = run(capsys, "digest", "--as-of", "2025-06-05", "--since", "2d")
    assert out.startswith("News digest from 3 to 5 June 2025:")
    assert "Comet Astra" in out and "(+1 more article)" in out and "Searched 3 articles from 3–5 June 2025." in out
    code, _, err = run(capsys, "digest", "--since", "the other day")
    assert code == 1 and "newsbot: --since expects a date like 2025-06-01" in err


def test_repl_timelines_and_digests(tmp_path, embedder):
    shift = (date.today() - date(2025, 6, 4)).days  # the comet's last article is today's
    s = Settings()
    index = NewsIndex(s, embedder)
    from index.sync import Indexer

    Indexer(index, s).sync([news_corpus(tmp_path / "news", days_shift=shift)])
    out = io.StringIO()
    lines = ["timeline of the Velmora harbour strike", ":digest", ":digest Comet Astra", ":quit"]
    assert run_repl(AnswerService(s, index), stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out) == 0
    timeline, digest, on_topic = out.getvalue().split("newsbot> ")[1:4]
    assert timeline.splitlines()[0].endswith("Dockworkers at Velmora harbour voted on Friday to strike over pay. [1]")
    assert "Searched 9 articles." in timeline and "Sources:" in timeline
    assert digest.startswith("News digest from ") and "Comet Astra" in digest and "Velmora" in digest
    assert "Comet Astra" in on_topic and "Velmora" not in on_topic


@pytest.mark.parametrize("sub", ["timeline", "digest"])
def test_help_explains_timeline_and_digest(capsys, sub):
    with pytest.raises(SystemExit) as exc:
        main([sub, "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0 and "--json" in out and "--since" in out


def test_what_happened_this_week_is_the_weeks_digest(capsys, corpus):
    code, out, _ = run(capsys, "ask", "--as-of", "2025-06-05", "what happened this week?")
    assert code == 0 and out.startswith("News digest from 30 May to 5 June 2025:\n1. ")
    assert "Comet Astra" in out and "Velmora" in out and "Sources:" in out
    assert "Searched 4 articles from 30 May – 5 June 2025." in out
    code, out, _ = run(capsys, "ask", "--json", "--as-of", "2025-06-05", "What happened with the Velmora strike this week?")
    obj = json.loads(out)
    assert obj["answered"] and "Velmora" in obj["answer"] and "Comet" not in obj["answer"]
    assert {c["published"] for c in obj["citations"]} <= {"2025-06-03", "2025-06-04", "2025-06-05"}


def test_a_timeline_of_undated_articles_says_they_carry_no_date(capsys, articles_dir, embedder):
    run(capsys, "index", str(articles_dir))  # the Starmer article has no date
    code, out, _ = run(capsys, "timeline", "Starmer")
    assert code == 0 and "The article about “Starmer” carries no date, so it cannot be placed on a timeline." in out
    assert out.count("Searched 1 article") == 1
