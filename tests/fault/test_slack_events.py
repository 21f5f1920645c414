"""Slack under replays, retries, bursts and bad requests: every event acknowledged, answered exactly once."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from children import one_line_error
from fakes.slack import BOT_USER, FakeSlack, post, sign
from fakes.slack_app import apology_reference
from helpers import wait_for
from pydantic import SecretStr

from bot.cli import main
from bot.slack.app import create_app
from bot.slack.serve import serve_http
from bot.slack.store import ConversationStore
from index.db import make_engine

SECRET = "fault-signing-secret"
TOKEN = "xoxb-3333-4444-faulttoken"
BACKSTOP = "what does Starmer mean by backstop?"


def event_body(event_id: str, text: str = BACKSTOP, ts: str = "100.1", user: str = "U1") -> str:
    return json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": event_id,
                       "event_time": int(time.time()),
                       "event": {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts,
                                 "channel": "C1"},
                       "authorizations": [{"user_id": BOT_USER, "is_bot": True, "team_id": "T1"}]})


class Bot:
    """One bot process's Bolt app over real HTTP, against a (possibly shared) fake Web API."""

    def __init__(self, settings, service, fake: FakeSlack, max_body: int | None = None):
        self.fake = fake
        settings = settings.override(SLACK_API_URL=fake.url + "/api/")
        self.app = create_app(settings, service, ConversationStore(make_engine(settings.sqlalchemy_url)))
        self.server = serve_http(self.app, "127.0.0.1", 0, *([max_body] if max_body else []))
        self.url = f"http://127.0.0.1:{self.server.server_port}/slack/events"

    def send(self, body: str, headers: dict | None = None) -> int:
        return post(self.url, body, {**sign(SECRET, body), **(headers or {})}, "application/json")[0]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def answers(fake: FakeSlack) -> list[dict]:
    """Finished answers, however they were delivered (posted, placeholder updated, streamed)."""
    return fake.answers()


@pytest.fixture
def slack_settings(settings):
    return settings.override(SLACK_BOT_TOKEN=SecretStr(TOKEN), SLACK_SIGNING_SECRET=SecretStr(SECRET), NEWSBOT_SLACK_RATE_LIMIT=1000)


@pytest.fixture
def fake():
    f = FakeSlack().start()
    yield f
    f.stop()


@pytest.fixture
def bot(slack_settings, service, fake):
    b = Bot(slack_settings, service, fake)
    yield b
    b.close()


def test_a_replayed_or_retried_event_is_acknowledged_and_answered_once(bot, fake):
    body = event_body("Ev-replayed")
    assert bot.send(body) == 200
    assert bot.send(body) == 200  # a replay
    assert bot.send(body, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}) == 200
    wait_for(lambda: answers(fake))
    time.sleep(1.0)  # time enough for a second answer to show up
    assert len(fake.of("chat.postMessage")) == 1 and len(answers(fake)) == 1


def test_two_bot_processes_answer_an_event_once_between_them(slack_settings, service, fake):
    first, second = Bot(slack_settings, service, fake), Bot(slack_settings, service, fake)  # one shared database
    try:
        body = event_body("Ev-both")
        with ThreadPoolExecutor(2) as pool:
            assert list(pool.map(lambda b: b.send(body), (first, second))) == [200, 200]
        assert first.send(event_body("Ev-other", ts="100.2")) == 200
        wait_for(lambda: len(answers(fake)) >= 2)
        time.sleep(1.0)
        assert sorted(p["thread_ts"] for p in fake.of("chat.postMessage")) == ["100.1", "100.2"]
    finally:
        first.close()
        second.close()


def test_a_burst_of_100_signed_events_is_all_acknowledged_and_answered(bot, fake):
    bodies = [event_body(f"Ev-burst-{i}", ts=f"7{i:02d}.1", user=f"U{i}") for i in range(100)]
    start = threading.Barrier(100)

    def send(body):
        start.wait()  # all at once
        return bot.send(body)

    with ThreadPoolExecutor(100) as pool:
        statuses = list(pool.map(send, bodies))
    assert statuses == [200] * 100
    # liveness, not speed (that is bench/'s): 100 answers on 2 shared cores may take minutes
    done = wait_for(lambda: answers(fake) if len(answers(fake)) >= 100 else None, timeout=300)
    assert len({a["ts"] for a in done}) == 100
    assert {p["thread_ts"] for p in fake.of("chat.postMessage")} == {f"7{i:02d}.1" for i in range(100)}


def test_an_oversized_body_is_answered_413_and_never_reaches_bolt(slack_settings, service, fake):
    small = Bot(slack_settings, service, fake, max_body=20_000)
    try:
        big = event_body("Ev-big", text="backstop " * 3000)
        assert small.send(big) == 413
        assert small.send(event_body("Ev-fine")) == 200
        wait_for(lambda: answers(fake))
        assert [p["thread_ts"] for p in fake.of("chat.postMessage")] == ["100.1"] and len(answers(fake)) == 1
    finally:
        small.close()


def test_the_body_limit_is_a_setting(bot, fake, slack_settings):
    huge = event_body("Ev-huge", text="x" * 1_100_000)
    assert bot.send(huge) == 413  # the default limit, as `newsbot slack` serves it
    assert slack_settings.slack.max_body_bytes == 1_000_000


def test_a_timestamp_that_is_not_a_number_is_401(bot, fake):
    body = event_body("Ev-ts")
    headers = {**sign(SECRET, body), "X-Slack-Request-Timestamp": "soon"}
    assert post(bot.url, body, headers, "application/json")[0] == 401
    assert post(bot.url, body, {**headers, "X-Slack-Request-Timestamp": "1e9"}, "application/json")[0] == 401
    time.sleep(0.5)
    assert fake.of("chat.postMessage") == []


def test_a_token_slack_refuses_at_start_up_is_one_line_without_the_token(capsys, monkeypatch, fake):
    fake.refuse_auth = "invalid_auth"
    for name, value in (("SLACK_BOT_TOKEN", TOKEN), ("SLACK_SIGNING_SECRET", SECRET),
                        ("SLACK_API_URL", fake.url + "/api/")):
        monkeypatch.setenv(name, value)
    assert main(["slack"]) == 2
    err = capsys.readouterr().err
    assert one_line_error(err) == "newsbot slack: SLACK_BOT_TOKEN was refused by Slack's auth.test (invalid_auth)"
    assert "faulttoken" not in err


def test_an_unreachable_slack_or_database_at_start_up_is_one_line(capsys, monkeypatch, fake):
    for name, value in (("SLACK_BOT_TOKEN", TOKEN), ("SLACK_SIGNING_SECRET", SECRET),
                        ("SLACK_API_URL", "http://127.0.0.1:9/api/")):
        monkeypatch.setenv(name, value)
    assert main(["slack"]) == 2
    line = one_line_error(capsys.readouterr().err)
    assert line.startswith("newsbot slack: cannot reach the Slack Web API at SLACK_API_URL=http://127.0.0.1:9/api/")
    monkeypatch.setenv("SLACK_API_URL", fake.url + "/api/")
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", "postgresql://newsbot:db-pass-77x@127.0.0.1:9/newsbot")
    assert main(["slack"]) == 69  # the server is not there: ServerUnavailable
    err = capsys.readouterr().err
    assert one_line_error(err).startswith("newsbot slack: the database server at 127.0.0.1:9 (NEWSBOT_DATABASE_URL)")
    assert "db-pass-77x" not in err


def test_an_answer_that_fails_logs_a_redacted_traceback(bot, fake, service, monkeypatch, capsys, slack_settings):
    from bot.logs import setup_logging

    def broken(*args, **kwargs):
        raise RuntimeError(f"upstream echoed Authorization: Bearer {TOKEN} and {SECRET}")

    root = logging.getLogger()
    saved = root.handlers[:], root.level, sys.excepthook, threading.excepthook
    monkeypatch.setattr(service, "answer", broken)
    try:
        setup_logging(slack_settings)
        assert bot.send(event_body("Ev-broken")) == 200
        (sorry,) = wait_for(lambda: [a for m in ("chat.postMessage", "chat.update") for a in fake.of(m)
                                     if "Sorry" in a.get("text", "")])
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        sys.excepthook, threading.excepthook = saved[2], saved[3]
    err = capsys.readouterr().err
    ref = apology_reference(sorry["text"])
    assert f"answering failed (reference {ref})" in err and "RuntimeError" in err and "Traceback" in err
    assert TOKEN not in err and SECRET not in err and "faulttoken" not in err
