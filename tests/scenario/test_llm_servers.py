"""LLM mode against a server with llama.cpp's quirks: it ignores max_completion_tokens, drops system messages,
generates on after the client left (one generation at a time), and streams slowly."""

from __future__ import annotations

import io
import json
import time
import urllib.request

import pytest
from fakes.openai_server import FakeOpenAI, Reply
from helpers import number_of
from test_llm import BACKSTOP, two_claims

RAMBLE = "and the passage number like the question " * 400  # a base model writing until its context is full


@pytest.fixture
def fake_llm():
    """The fake OpenAI-compatible server with llama.cpp's quirks (llm_settings and llm_service point at it)."""
    with FakeOpenAI(llama_cpp=True) as server:
        yield server


def _post(fake: FakeOpenAI, **body) -> dict:
    """One chat completion straight from the fake, as any client would ask for it."""
    data = json.dumps({"model": "m", "messages": [{"role": "system", "content": "rules"},
                                                  {"role": "user", "content": "hi"}], **body}).encode()
    request = urllib.request.Request(f"{fake.base_url}/chat/completions", data,
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def test_the_fake_has_the_quirks_of_llama_cpp(fake_llm):
    fake_llm.queue("one two three four five", "one two three four five")
    assert _post(fake_llm, max_completion_tokens=2)["choices"][0]["message"]["content"] == "one two three four five"
    capped = _post(fake_llm, max_tokens=2)["choices"][0]
    assert (capped["message"]["content"], capped["finish_reason"]) == ("one two ", "length")
    assert [m["role"] for m in fake_llm.requests[0].model_saw] == ["user"]  # the gemma template drops system


def test_the_token_limit_holds(llm_service, fake_llm):
    fake_llm.queue(lambda body: f"Starmer said the backstop was crucial to deter Putin [{number_of(body, 'deter')}]. "
                                + RAMBLE)
    answer = llm_service.answer(BACKSTOP)
    (request,) = fake_llm.requests
    assert request.body["max_tokens"] == 600 and "max_completion_tokens" not in request.body
    assert request.generated == 600  # not the 2,800 words it would have written
    assert answer.answer == "Starmer said the backstop was crucial to deter Putin [1]."
    assert answer.llm.used and "left out" in answer.note


def test_a_timed_out_call_is_not_retried_behind_the_abandoned_generation(llm_settings, starmer_index, fake_llm):
    from bot.app import build_service

    service = build_service(llm_settings.override(NEWSBOT_LLM_TIMEOUT=1.0, NEWSBOT_LLM_MAX_RETRIES=2),
                            index=starmer_index)
    fake_llm.queue(Reply(RAMBLE, token_delay=0.02), Reply(RAMBLE, token_delay=0.02))  # 48 s of writing each
    answer = service.answer(BACKSTOP)
    assert answer.llm.fallback == "timeout" and answer.llm.seconds < 3 and answer.answered and answer.citations
    written = fake_llm.requests[0].generated
    time.sleep(0.5)
    assert fake_llm.requests[0].generated > written  # the server is still busy with the abandoned answer...
    assert len(fake_llm.requests) == 1  # ...and no retry was queued behind it


def test_rules_reach_a_model_whose_template_drops_the_system_role(llm_settings, starmer_index, fake_llm):
    from bot.app import build_service

    fake_llm.queue(two_claims, two_claims)
    build_service(llm_settings, index=starmer_index).answer(BACKSTOP)
    saw = fake_llm.requests[0].model_saw
    assert "data, not instructions" in saw[0]["content"] and f"Question: {BACKSTOP}" in saw[0]["content"]
    forced = build_service(llm_settings.override(NEWSBOT_LLM_SYSTEM_ROLE="system"), index=starmer_index)
    forced.answer(BACKSTOP)  # what NEWSBOT_LLM_SYSTEM_ROLE=system does on such a server: the rules are lost
    assert "data, not instructions" not in json.dumps(fake_llm.requests[1].model_saw)


def test_a_slow_stream_shows_checked_sentences_and_stops_at_the_timeout(llm_settings, starmer_index, fake_llm):
    from bot.app import build_service

    service = build_service(llm_settings.override(NEWSBOT_LLM_TIMEOUT=2.0), index=starmer_index)
    first = "Starmer said the backstop was crucial to deter Putin [{}]."
    fake_llm.queue(Reply(lambda body: first.format(number_of(body, "deter")) + " " + RAMBLE, token_delay=0.02))
    partials: list[str] = []
    answer = service.answer(BACKSTOP, on_partial=partials.append)
    assert partials == [first.format(1)] and answer.answer == first.format(1)  # never a word of the ramble
    assert answer.llm.used and answer.llm.seconds < 4
    assert "stopped after 2s" in answer.note and "left out" not in answer.note


ECHO = ('<passage id="1" title="Starmer urges Trump">\nBy Elizabeth Piper WASHINGTON (Reuters) – British Prime '
        'Minister Keir Starmer urged the United States [1].\n</passage>\n<passage id="2"> Starmer said the backstop '
        'was crucial [2]. ')


def test_an_echoed_prompt_never_reaches_the_screen(llm_service, fake_llm):
    from bot.terminal.repl import run_repl

    question = "who did Trump call a dictator?"
    fake_llm.queue(Reply(ECHO * 3, token_delay=0.001),
                   Reply(f"{question} Answer in one sentence and cite the passage number like [1]. mendatang "
                         "hearing the president's speech.", token_delay=0.001))
    stdout = io.StringIO()
    run_repl(llm_service, stdin=io.StringIO(f"{BACKSTOP}\n:new\n{question}\n:quit\n"), stdout=stdout)
    out = stdout.getvalue()
    assert len(fake_llm.requests) in (1, 2)  # the second question may be refused before any model is asked
    assert "<passage" not in out and "passage number" not in out and "mendatang" not in out
    assert "repeated its prompt instead of answering, so this is the extractive answer" in out
    assert out.count("Sources:") >= 1


def test_ask_json_says_whether_the_llm_was_used_and_v_shows_why(llm_settings, articles_dir, embedder, fake_llm,
                                                                capsys):
    from helpers import LLM_KEY

    from bot.cli import main

    assert main(["index", str(articles_dir)]) == 0
    fake_llm.queue(lambda body: two_claims(body) + f" The key is {LLM_KEY}.", "The backstop [1].")
    capsys.readouterr()
    assert main(["-v", "ask", "--json", BACKSTOP]) == 0
    out, err = capsys.readouterr()
    answer = json.loads(out)
    assert answer["llm"] == {"model": "openai:some-model", "used": True, "fallback": None}
    assert "LLM reply from openai:some-model" in err and "LLM sentence rejected (uncited)" in err
    assert LLM_KEY not in err and "The key is [redacted]" in err  # the raw reply is logged, secrets redacted
    assert main(["ask", "--json", BACKSTOP]) == 0  # WARNING by default: the reply is not logged
    out, err = capsys.readouterr()
    assert json.loads(out)["llm"] == {"model": "openai:some-model", "used": False, "fallback": "unsupported"}
    assert "LLM reply" not in err


def test_eval_reports_the_llms_own_figures(llm_service, fake_llm):
    from bot.evaluation.questions import Question
    from bot.evaluation.runner import evaluate, format_table

    fake_llm.queue(two_claims, "Starmer means the backstop [1].")
    questions = [Question("1", BACKSTOP, ["deter"]), Question("2", "What does Starmer mean by a backstop?", ["x"]),
                 Question("3", "What did Starmer eat for breakfast before the backstop talks?", ["toast"])]
    report = evaluate(llm_service, questions)
    assert report.llm["model"] == "openai:some-model" and report.llm["asked"] == 2 and report.llm["used"] == 1
    assert report.llm["fallbacks"] == {"unsupported": 1} and report.llm["gold_in_llm_answer"] == 1.0
    assert 0 < report.llm["llm_latency_p50_ms"] <= report.llm["llm_latency_p95_ms"]
    table = format_table(report)
    assert "LLM openai:some-model: asked" in table and "fallback: unsupported" in table


def test_a_failure_that_is_not_a_timeout_is_retried(llm_settings, starmer_index, fake_llm):
    from bot.app import build_service

    service = build_service(llm_settings.override(NEWSBOT_LLM_MAX_RETRIES=1), index=starmer_index)
    fake_llm.queue(Reply("overloaded", status=503), two_claims)
    answer = service.answer(BACKSTOP)
    assert len(fake_llm.requests) == 2 and answer.llm.used and answer.answer.endswith("security backstop [2].")
