"""The real Bolt app over real HTTP, with signed requests, against a fake Slack Web API."""

from __future__ import annotations

import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fakes.slack import BOT_USER, post, sign
from fakes.slack_app import SECRET, TOKEN, SlackHarness, apology_reference, mention, texts_of
from helpers import wait_for, write_json
from pydantic import SecretStr

from test_llm import two_claims

from bot.answering.service import AnswerService
from bot.cli import main
from index.sync import Indexer


@pytest.fixture
def harness(slack_settings, service):
    h = SlackHarness(slack_settings, service)
    yield h
    h.close()


@pytest.fixture
def legacy_harness(slack_settings, service):
    """A workspace without the AI-app surface: the loading status is refused, so the old way is used."""
    h = SlackHarness(slack_settings, service, legacy=True)
    yield h
    h.close()


def test_mention_is_answered_in_thread_with_sources(legacy_harness):
    harness = legacy_harness
    assert harness.event(mention("what does Starmer mean by backstop?")) == 200
    (update,) = harness.final_answers()
    placeholder = harness.fake.of("chat.postMessage")[0]
    assert placeholder["thread_ts"] == "100.1" and "Searching" in placeholder["text"]
    assert update["ts"] == wait_for(lambda: harness.fake.of("chat.update"))[0]["ts"]
    body = texts_of(update["blocks"])
    assert "[1]" in body and "backstop" in body and "Reuters" in body and "“" in body
    assert [b["type"] for b in update["blocks"]][-1] == "actions"
    assert harness.fake.of("reactions.add")[0]["name"] == "hourglass_flowing_sand"
    wait_for(lambda: harness.fake.of("reactions.remove"))


def test_direct_message_and_ignored_messages(harness):
    harness.event({"type": "message", "channel_type": "im", "user": "U2", "text": "Who edited the article?",
                   "ts": "200.1", "channel": "D1"})
    (update,) = harness.final_answers()
    assert update["channel"] == "D1" and "Gareth Jones" in texts_of(update["blocks"])
    # bots (itself included), edits and deletions get no reply
    harness.event({"type": "message", "channel_type": "im", "bot_id": "BNEWSBOT", "user": BOT_USER,
                   "text": "what does Starmer mean by backstop?", "ts": "201.1", "channel": "D1"})
    harness.event({"type": "message", "channel_type": "im", "subtype": "message_changed", "channel": "D1",
                   "ts": "202.1", "message": {"text": "edited", "user": "U2"}})
    harness.event({"type": "message", "channel_type": "im", "subtype": "message_deleted", "channel": "D1",
                   "ts": "203.1"})
    harness.event({"type": "message", "channel_type": "channel", "user": "U2", "text": "chatter", "ts": "204.1",
                   "channel": "C9"})
    time.sleep(1.0)
    assert len(harness.fake.of("chat.postMessage")) == 1


def test_thread_follow_up_uses_earlier_turns(harness):
    harness.event(mention("what does Starmer mean by backstop?", ts="300.1"))
    harness.final_answers(1)
    harness.event(mention("and what did Russia say about it?", ts="300.5", thread_ts="300.1"))
    second = harness.final_answers(2)[1]
    assert harness.fake.of("chat.postMessage")[1]["thread_ts"] == "300.1"
    # the thread's subject filled in, as in chat: what Russia said leads (hedged or not, by backend)
    assert second["text"].split("closest passages: ")[-1].startswith("Russia again on Wednesday said")


def test_tell_me_more_in_a_thread_says_more_without_repeating(harness):
    harness.event(mention("what does Starmer mean by backstop?", ts="310.1"))
    first = harness.final_answers(1)[0]["text"]
    harness.event(mention("tell me more", ts="310.5", thread_ts="310.1"))
    more = harness.final_answers(2)[1]["text"]
    assert harness.fake.of("chat.postMessage")[1]["thread_ts"] == "310.1"
    said = [s.strip() for s in re.split(r"\[\d+\]", more.split("closest passages: ")[-1]) if s.strip()]
    assert said and "do not cover" not in more and not any(s in first for s in said)  # more, not the same again


def test_slash_command_ephemeral_then_share_and_votes(harness, capsys):
    status, body = harness.command("what does Starmer mean by backstop?")
    assert status == 200 and "Searching" in body
    reply = wait_for(lambda: harness.fake.of("1"))[0]  # the POST to response_url
    assert reply["response_type"] == "ephemeral"
    buttons = reply["blocks"][-1]["elements"]
    assert [b["action_id"] for b in buttons] == ["share_answer", "feedback_up", "feedback_down"]
    answer_id = buttons[0]["value"]
    assert harness.click("share_answer", answer_id)[0] == 200
    shared = wait_for(lambda: harness.fake.of("chat.postMessage"))[0]
    assert shared["channel"] == "C1" and "backstop" in texts_of(shared["blocks"]) and "Shared by <@U1>" in texts_of(shared["blocks"])
    harness.click("feedback_up", answer_id, user="U1")
    harness.click("feedback_down", answer_id, user="U7")
    wait_for(lambda: len(harness.fake.of("chat.postEphemeral")) == 2)
    assert main(["feedback", "--json"]) == 0
    votes = json.loads(capsys.readouterr().out)
    assert sorted(v["vote"] for v in votes) == [-1, 1]
    assert votes[0]["question"] == "what does Starmer mean by backstop?" and votes[0]["citations"][0]["quote"]


def test_bad_and_stale_signatures_are_rejected(harness):
    body = json.dumps({"type": "event_callback", "event": mention("hi")})
    assert harness.event(mention("hi"), headers={}) == 401
    assert harness.event(mention("hi"), headers=sign("wrong-secret", body)) == 401
    stale = {"type": "event_callback", "team_id": "T1", "event": mention("hi")}
    stale_body = json.dumps(stale)
    status, _ = post(harness.url, stale_body, sign(SECRET, stale_body, int(time.time()) - 6 * 60), "application/json")
    assert status == 401
    time.sleep(0.5)
    assert harness.fake.of("chat.postMessage") == []


def test_planted_article_cannot_ping_or_link(slack_settings, make_index, articles_dir, tmp_path):
    write_json(articles_dir / "planted.json", title="Alert <!channel> *bold* <http://evil.example|click>",
               url="https://news.example/planted", source="<@U123>",
               text="Mayor Ostrava said the zeppelin festival <!channel> <!here> <@U123> <!subteam^S1> "
                    "<http://evil.example|click here> *shouting* is cancelled this year.")
    index = make_index()
    Indexer(index, slack_settings).sync([articles_dir])
    h = SlackHarness(slack_settings, AnswerService(slack_settings, index))
    try:
        h.event(mention("Why did Mayor Ostrava cancel the zeppelin festival?"))
        (update,) = h.final_answers()
    finally:
        h.close()
    raw = json.dumps(update["blocks"], ensure_ascii=False) + update["text"]
    for bad in ("<!channel>", "<!here>", "<@U123>", "<!subteam", "<http://evil.example"):
        assert bad not in raw  # no mention or link syntax anywhere, plain_text included
    assert "zeppelin" in texts_of(update["blocks"])
    mrkdwn = [e["text"] for b in update["blocks"] for e in b.get("elements", []) if e.get("type") == "mrkdwn"]
    mrkdwn += [b["text"]["text"] for b in update["blocks"] if b.get("text", {}).get("type") == "mrkdwn"]
    assert any("&lt;!channel&gt;" in m for m in mrkdwn)  # shown, escaped, in the source line
    for text in mrkdwn + [update["text"]]:  # mrkdwn fields get no formatting from articles
        assert "*bold*" not in text and "*shouting*" not in text


def test_rate_limit_replies_politely(settings, service):
    h = SlackHarness(settings.override(SLACK_BOT_TOKEN=SecretStr(TOKEN), SLACK_SIGNING_SECRET=SecretStr(SECRET), NEWSBOT_SLACK_RATE_LIMIT=2, NEWSBOT_SLACK_RATE_WINDOW=60), service)
    try:
        for i in range(3):
            h.event(mention("what does Starmer mean by backstop?", ts=f"40{i}.1"))
        polite = wait_for(lambda: [a for a in h.fake.of("chat.postMessage") if "Please wait" in a.get("text", "")])
        assert polite[0]["thread_ts"] in {"400.1", "401.1", "402.1"}
        h.final_answers(2)
    finally:
        h.close()


def test_exception_becomes_apology_with_reference(harness, service, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(service, "answer", broken)
    with caplog.at_level(logging.DEBUG):
        harness.event(mention("what does Starmer mean by backstop?"))
        update = wait_for(lambda: [a for m in ("chat.update", "chat.postMessage") for a in harness.fake.of(m)
                                   if "Sorry" in a["text"]])[0]
        harness.command("what does Starmer mean by backstop?")  # /ask: the same apology, its own reference
        ephemeral = wait_for(lambda: harness.fake.of("1"))[0]
    ref = apology_reference(update["text"])
    assert texts_of(update["blocks"]) == update["text"]
    assert f"answering failed (reference {ref})" in caplog.text and "index exploded" in caplog.text
    other = apology_reference(ephemeral["text"])
    assert other != ref and f"answering failed (reference {other})" in caplog.text
    assert ephemeral["response_type"] == "ephemeral" and texts_of(ephemeral["blocks"]) == ephemeral["text"]
    assert TOKEN not in caplog.text and SECRET not in caplog.text


def test_a_refused_question_is_explained_the_same_way_everywhere(harness, caplog):
    with caplog.at_level(logging.DEBUG, logger="newsbot.slack"):
        harness.event(mention(" "))
        (reply,) = wait_for(lambda: [a for m in ("chat.update", "chat.postMessage") for a in harness.fake.of(m)
                                     if "Sorry" in a["text"]])
        harness.command("   ")
        ephemeral = wait_for(lambda: harness.fake.of("1"))[0]
    assert reply["text"] == ephemeral["text"]
    assert reply["text"].startswith("Sorry, I can't answer that: ") and "Reference" not in reply["text"]
    assert "failed (reference" not in caplog.text  # nothing for the operator to look up


def test_twenty_concurrent_questions_all_answered(harness):
    questions = ["what does Starmer mean by backstop?", "Who edited the article?",
                 "What does Starmer want the special relationship to do?", "and what did Russia say?"]
    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(lambda i: harness.event(mention(questions[i % 4], ts=f"5{i:02d}.1")), range(20)))
    assert statuses == [200] * 20
    updates = harness.final_answers(20)
    assert len({u["ts"] for u in updates}) == 20
    assert {p["thread_ts"] for p in harness.fake.of("chat.postMessage")} == {f"5{i:02d}.1" for i in range(20)}


def test_start_up_errors_name_the_setting(capsys, monkeypatch):
    assert main(["slack"]) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    assert main(["slack"]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-not-an-app-token")
    assert main(["slack"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_APP_TOKEN" in err and "not-an-app-token" not in err


def test_streamed_llm_answer_updates_the_reply_in_a_few_steps(slack_settings, llm_service, fake_llm, monkeypatch):
    from fakes.openai_server import Reply

    # the gate held sure: this test is about the placeholder's updates, not about which answers go to the model
    monkeypatch.setitem(llm_service.learned.models.thresholds, "tentative", 0.0)
    fake_llm.queue(Reply(lambda body: two_claims(body), chunk_chars=6, chunk_delay=0.12))
    h = SlackHarness(slack_settings, llm_service, legacy=True)  # the old way: a placeholder edited in steps
    try:
        # a new thread each run: the Starmer index (and its saved threads) is shared by the module
        h.event(mention("what does Starmer mean by backstop?", ts=f"{time.time():.6f}"))
        (final,) = h.final_answers()
        updates = h.fake.of("chat.update")
    finally:
        h.close()
    *steps, last = updates  # the last update is the finished answer, with its sources and buttons
    assert last["text"] == final["text"]
    partial = [u["text"] for u in steps]
    assert 1 <= len(partial) <= 6  # a few steps (one per checked sentence), not one per token
    assert all(final["text"].startswith(p.rstrip(" .…")[:20]) for p in partial)
    assert len(set(partial)) == len(partial) and partial == sorted(partial, key=len)
    assert "deter" in final["text"] and "peacekeepers" in final["text"] and "deter" in texts_of(final["blocks"])
