"""Digest pieces without a model: the schedule setting, --since, clustering, Block Kit with article text as data."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from pydantic import ValidationError

from bot.answering.briefs.digest import Digest, Story, cluster, digest_request, since_day
from bot.answering.briefs.stories import Quote
from bot.answering.models import Passage, Searched
from bot.settings import Settings
from bot.slack.digests import COMMAND, digest_blocks
from bot.terminal.render import render_digest
from index.errors import BadFlag

TODAY = date(2025, 6, 5)


def test_the_schedule_maps_channels_to_a_time_and_a_topic():
    s = Settings(_env_file=None, NEWSBOT_DIGESTS='{"C1": "8:00", "C2": "17:30 the rail strike"}')
    assert s.slack.digests == (("C1", "08:00", ""), ("C2", "17:30", "the rail strike"))
    assert s.slack.digests[1].topic == "the rail strike"
    for bad in ('{"C1": "25:00"}', '["C1"]', "{C1: 8}"):
        with pytest.raises(ValidationError, match="NEWSBOT_DIGESTS"):
            Settings(_env_file=None, NEWSBOT_DIGESTS=bad)
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Settings(_env_file=None, NEWSBOT_DIGEST_TIMEZONE="Mars/Olympus")


@pytest.mark.parametrize("value, since", [
    (None, "2025-06-04"), ("1d", "2025-06-04"), ("2w", "2025-05-22"), ("36h", "2025-06-03"),
    ("2025-05-01", "2025-05-01"), ("monday", "2025-06-02"), ("last week", "2025-05-26"),
])
def test_since_reads_spans_dates_and_words(value, since):
    assert since_day(value, TODAY).isoformat() == since


def test_since_refuses_what_it_cannot_read():
    with pytest.raises(BadFlag, match="--since expects"):
        since_day("whenever", TODAY)


def test_clusters_cut_at_a_cosine_distance():
    a, b = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    rows = np.stack([a, a + [0, 0.1, 0], b, b + [0.1, 0, 0], [0, 0, 1.0]])
    labels = cluster(rows / np.linalg.norm(rows, axis=1, keepdims=True), 0.45)
    assert labels[0] == labels[1] and labels[2] == labels[3] and len(set(labels)) == 3
    assert cluster(rows[:1], 0.45) == [0]


def test_the_slash_command_takes_only_digest_requests():
    assert COMMAND.match("digest").group("topic") == ""
    assert COMMAND.match("Digest: the rail strike").group("topic") == "the rail strike"
    assert COMMAND.match("digestive biscuits?") is None and COMMAND.match("what is a digest?") is None


def _story(title: str, text: str, url: str, more: int) -> Story:
    p = Passage(chunk_id=title, article_id=title, text=text, start=0, end=len(text), title=title, source="Wire",
                published="2025-06-04", url=url)
    others = [p.model_copy(update={"article_id": f"{title}{i}"}) for i in range(more)]
    return Story(Quote(date(2025, 6, 4), text, p, 0, len(text)), [p, *others])


def test_digest_blocks_keep_article_text_as_data():
    evil = _story("*Bold* <!channel>", "Ping <!channel> and <https://evil.example|click> here now.",
                  "javascript:alert(1)", 2)
    plain = _story("Comet", "Comet Astra brightened sharply on Monday night.", "https://news.example/c", 0)
    digest = Digest("", date(2025, 6, 4), TODAY, [evil, plain], 3, Searched(since="2025-06-04", until="2025-06-05",
                                                                           articles=9))
    blocks = digest_blocks(digest, "08:00")
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "News digest from 4 to 5 June 2025",
                                                    "emoji": False}}
    body = str(blocks)
    assert "<!channel>" not in body and "&lt;!channel&gt;" in body and "<javascript:" not in body  # no link
    assert "+2 more articles" in body and "<https://news.example/c|Comet>" in body
    assert blocks[-1]["elements"][0]["text"] == ("Searched 9 articles from 4–5 June 2025. Scheduled for 08:00. "
                                                 "3 smaller stories not shown.")


@pytest.mark.parametrize("question, about", [
    ("what happened this week?", "this week"), ("What happened?", ""), ("what's new", ""), ("any news?", ""),
    ("what is the news today?", "today"), ("what happened in Gaza this week?", "Gaza this week"),
    ("What happened to the Titan submersible?", None), ("What is new in the iPhone 15?", None),
    ("What happens next?", None), ("What newspaper reported it?", None), ("What's new on the strike since Monday?", None),
])
def test_what_happened_questions_ask_for_a_digest(question, about):
    assert digest_request(question, TODAY) == about


def test_digest_text_keeps_urls_whole():
    url = "https://news.example/2025/06/04/a-very-long-path-that-goes-on-and-on/" + "x" * 90
    digest = Digest("", date(2025, 6, 4), TODAY, [_story("Comet", "Comet Astra brightened on Monday night.", url, 0)])
    assert url in [line.strip() for line in render_digest(digest, width=60).splitlines()]  # on a line of its own


def test_a_digest_answers_with_one_cited_lead_per_story():
    digest = Digest("", date(2025, 6, 4), TODAY, [_story("Comet", "Comet Astra brightened on Monday.", "u", 2)])
    answer = digest.as_answer("what happened?")
    assert answer.answered and answer.answer.splitlines() == [
        "News digest from 4 to 5 June 2025:", "1. Comet Astra brightened on Monday. [1] (+2 more articles)"]
    assert [c.quote for c in answer.citations] == ["Comet Astra brightened on Monday."]
    empty = Digest("the strike", date(2025, 6, 4), TODAY).as_answer("what happened?")
    assert not empty.answered and empty.answer == "No dated articles on the strike were published from 4 to 5 June 2025."
