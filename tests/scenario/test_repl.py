"""The REPL: answers with sources, :sources shows full quotes, follow-ups use the conversation."""

from __future__ import annotations

import io

from bot.terminal.repl import run_repl


def run(service, lines: list[str]) -> str:
    out = io.StringIO()
    assert run_repl(service, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out) == 0
    return out.getvalue()


def test_answer_sources_and_quit(service):
    out = run(service, ["what does Starmer mean by backstop?", ":sources", ":quit", "never asked"])
    answer, sources = out.split("newsbot> ")[1:3]
    assert "[1]" in answer and "Sources:" in answer and "Reuters" in answer
    assert sources.count("“") >= 1 and "backstop" in sources
    assert "never asked" not in out


def test_sources_before_any_question_and_errors(service):
    out = run(service, [":sources", "   ", "x" * 2000])
    assert "ask a question first" in out
    assert "error:" in out and "limit" in out


def test_end_of_input_leaves_cleanly(service):
    out = run(service, ["What did the article say about interest rates in Japan?"])
    assert "do not cover" in out


def test_follow_up_in_the_same_session(service):
    out = run(service, ["what does Starmer mean by backstop?", "and what did Russia say?"])
    follow = out.split("newsbot> ")[2]
    assert "Russia" in follow
