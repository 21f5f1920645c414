"""A scheduled digest with two `newsbot slack` processes on one index: posted once, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date

from fakes.slack import FakeSlack
from helpers import news_corpus, wait_for
from sqlalchemy import select

from bot.slack.digests import posts
from index.db import make_engine
from index.store import NewsIndex
from index.sync import Indexer

NEWSBOT = os.path.join(os.path.dirname(sys.executable), "newsbot")


def start_bot(api_url: str) -> subprocess.Popen:
    """`newsbot slack` in HTTP mode with a digest due since midnight, checking twice a second."""
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-7777-8888-twobots", "SLACK_SIGNING_SECRET": "two-bots-secret",
           "SLACK_API_URL": api_url, "NEWSBOT_DIGESTS": json.dumps({"CDIGEST": "00:00"}),
           "NEWSBOT_DIGEST_CHECK_SECONDS": "0.5"}
    return subprocess.Popen([NEWSBOT, "slack", "--host", "127.0.0.1", "--port", "0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_two_bot_processes_post_a_scheduled_digest_once(settings, embedder, tmp_path):
    shift = (date.today() - date(2025, 6, 4)).days  # the comet's last article is today's
    assert Indexer(NewsIndex(settings, embedder), settings).sync(
        [news_corpus(tmp_path / "news", days_shift=shift)]).added == 9
    fake = FakeSlack().start()
    bots = [start_bot(fake.url + "/api/") for _ in range(2)]
    try:
        for bot in bots:  # both up and serving: each has run its scheduler since start-up
            line = bot.stderr.readline()
            while line and not line.startswith("newsbot: listening on "):
                line = bot.stderr.readline()
            assert line, f"a bot exited: {bot.poll()}"
        first = wait_for(lambda: [a for a in fake.of("chat.postMessage") if a["channel"] == "CDIGEST"], timeout=120)
        time.sleep(3)  # six more checks in each process
        assert [a["channel"] for a in fake.of("chat.postMessage")] == ["CDIGEST"]
        assert "News digest" in first[0]["text"] and "Comet Astra" in json.dumps(first[0]["blocks"])
        with make_engine(settings.sqlalchemy_url).connect() as conn:
            assert conn.execute(select(posts.c.channel, posts.c.day)).all() == [("CDIGEST", date.today().isoformat())]
    finally:
        for bot in bots:
            bot.terminate()
            bot.wait(timeout=30)
        fake.stop()
