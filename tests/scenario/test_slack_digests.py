"""Digests and timelines in Slack: the real Bolt app over real HTTP against the fake Web API."""

from __future__ import annotations

import json
import logging
import time
from datetime import date, datetime
from urllib.parse import urlencode

import pytest
from fakes.slack import BOT_USER, FakeSlack, post, sign
from fakes.slack_app import apology_reference
from helpers import news_corpus, wait_for
from pydantic import SecretStr
from slack_sdk import WebClient

from bot.answering.service import AnswerService
from bot.slack.app import create_app
from bot.slack.digests import DigestScheduler
from bot.slack.serve import serve_http
from bot.slack.store import ConversationStore
from index.db import make_engine
from index.lock import digest_lock
from index.store import NewsIndex
from index.sync import Indexer

SECRET = "digest-signing-secret"
TOKEN = "xoxb-5555-6666-digesttoken"


@pytest.fixture
def news(settings, embedder, tmp_path):
    """The dated corpus moved so that its last comet article is today's."""
    shift = (date.today() - date(2025, 6, 4)).days
    index = NewsIndex(settings, embedder)
    assert Indexer(index, settings).sync([news_corpus(tmp_path / "news", days_shift=shift)]).added == 9
    return index


@pytest.fixture
def slack(settings, news):
    fake = FakeSlack().start()
    s = settings.override(SLACK_BOT_TOKEN=SecretStr(TOKEN), SLACK_SIGNING_SECRET=SecretStr(SECRET), SLACK_API_URL=fake.url + "/api/", NEWSBOT_SLACK_RATE_LIMIT=100)
    app = create_app(s, AnswerService(s, news), ConversationStore(make_engine(s.sqlalchemy_url)))
    server = serve_http(app, "127.0.0.1", 0)
    yield fake, f"http://127.0.0.1:{server.server_port}/slack/events", s
    server.shutdown()
    fake.stop()


def command(url: str, fake: FakeSlack, text: str, n: int) -> None:
    body = urlencode({"command": "/ask", "text": text, "user_id": "U1", "channel_id": "C1", "team_id": "T1",
                      "response_url": f"{fake.url}/response/{n}", "trigger_id": "t1"})
    assert post(url, body, sign(SECRET, body), "application/x-www-form-urlencoded")[0] == 200


def texts(blocks: list[dict]) -> str:
    out = []
    for b in blocks:
        if isinstance(b.get("text"), dict):
            out.append(b["text"]["text"])
        out += [e.get("text", "") for e in b.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(out)


def test_ask_digest_on_demand_and_on_a_topic(slack):
    fake, url, _ = slack
    command(url, fake, "digest", 1)
    reply = wait_for(lambda: fake.of("1"))[0]
    assert reply["response_type"] == "ephemeral" and reply["blocks"][0]["type"] == "header"
    body = texts(reply["blocks"])
    assert reply["blocks"][0]["text"]["text"].startswith("News digest from ")
    assert "Comet Astra" in body and "Velmora" in body and "+1 more article" in body
    assert "<https://news.example/" in body and "Searched 3 articles from " in body
    command(url, fake, "digest Comet Astra", 2)
    body = texts(wait_for(lambda: fake.of("2"))[0]["blocks"])
    assert "Comet Astra" in body and "Velmora" not in body


def test_a_failed_digest_is_an_apology_with_a_reference_in_the_log(slack, monkeypatch, caplog):
    fake, url, _ = slack

    def broken(*args, **kwargs):
        raise RuntimeError("clustering exploded")

    monkeypatch.setattr("bot.slack.digests.digest_for", broken)
    with caplog.at_level(logging.ERROR, logger="newsbot.slack"):
        command(url, fake, "digest", 5)
        reply = wait_for(lambda: fake.of("5"))[0]
    ref = apology_reference(reply["text"], "making the digest")
    assert reply["response_type"] == "ephemeral" and reply["blocks"][0]["text"]["text"] == reply["text"]
    assert f"making the digest failed (reference {ref})" in caplog.text and "clustering exploded" in caplog.text


def test_other_questions_still_reach_the_answerer(slack):
    fake, url, _ = slack
    command(url, fake, "digestive trouble at Velmora harbour: what did the dockworkers agree?", 3)
    reply = wait_for(lambda: fake.of("3"))[0]
    assert reply["blocks"][0]["type"] != "header" and "pay deal" in texts(reply["blocks"])


def test_a_timeline_question_in_a_thread(slack):
    fake, url, _ = slack
    event = {"type": "app_mention", "user": "U1", "text": f"<@{BOT_USER}> timeline of the Velmora harbour strike",
             "ts": "700.1", "channel": "C1"}
    body = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "EvT1",
                       "event_time": int(time.time()), "event": event,
                       "authorizations": [{"user_id": BOT_USER, "is_bot": True, "team_id": "T1"}]})
    assert post(url, body, sign(SECRET, body), "application/json")[0] == 200
    done = wait_for(lambda: fake.answers("C1"))  # however it was delivered
    lines = done[0]["text"].splitlines()
    assert len(lines) == 4 and lines[0].endswith("voted on Friday to strike over pay. [1]")


def test_a_scheduled_digest_is_posted_once_and_waits_for_another_poster(slack, news):
    fake, _, s = slack
    s = s.override(NEWSBOT_DIGESTS='{"CNEWS": "07:30 Comet Astra", "CALL": "23:59"}')
    engine = make_engine(s.sqlalchemy_url)
    a, b = (DigestScheduler(s, news, engine, WebClient(token=TOKEN, base_url=fake.url + "/api/")) for _ in range(2))
    morning = datetime.combine(date.today(), datetime.min.time()).replace(hour=7, minute=31)
    with digest_lock(s.index.data_dir, engine):  # another process is posting: nobody else does
        assert a.tick(morning) == [] and b.tick(morning) == []
    assert a.tick(morning.replace(hour=7, minute=0)) == []  # not due yet
    assert a.tick(morning) == ["CNEWS"]
    assert b.tick(morning) == [] and a.tick(morning.replace(hour=9)) == []  # once a day
    (posted,) = fake.of("chat.postMessage")
    assert posted["channel"] == "CNEWS" and "Comet Astra" in texts(posted["blocks"])
    assert "Velmora" not in texts(posted["blocks"]) and "Scheduled for 07:30." in texts(posted["blocks"])
