"""Pure pieces of the Slack surfaces: answer layout, markdown escaping, prompts, unfurl domains, the manifest."""

from __future__ import annotations

import json

import pytest

from bot.answering.models import Answer, Citation, Searched
from bot.settings import Settings
from bot.slack import blocks as kit
from bot.slack.assistant import topic
from bot.slack.errors import SlackConfigError
from bot.slack.manifest import render
from bot.slack.shortcut import CALLBACK, question_from
from bot.slack.store import summarize
from bot.slack.unfurl import covered

HOSTILE = "Alert <!channel> <@U123> <https://evil.example|click> *bold* & more"


def answer(short: str | None = "Elizabeth Piper") -> Answer:
    quote = "The story was written by Elizabeth Piper in Washington."
    return Answer(question="Who wrote it?", answered=True, answer=f"It was written by Elizabeth Piper {HOSTILE} [1].",
                  short_answer=short, searched=Searched(since="2024-01-01", sources=["Reuters"], articles=214),
                  citations=[Citation(n=1, article_id="a1", title="Starmer <!here>", source="Reuters", author="Ann",
                                      published="2025-02-26", url="https://news.example/a", quote=quote)])


def test_short_answer_first_in_bold_and_marked_in_its_quote():
    blocks = kit.answer_blocks(answer(), "id1", native=True)
    assert blocks[0]["text"]["type"] == "mrkdwn"
    assert blocks[0]["text"]["text"].startswith("*Elizabeth Piper*\nIt was written by")
    assert blocks[1]["elements"][0]["text"] == "Searched 214 Reuters articles since 1 January 2024"
    source, quote = blocks[3]["elements"][0]["text"], blocks[4]["text"]["text"]
    assert source == "*[1]* <https://news.example/a|Starmer &lt;!here&gt;> · Reuters · 2025-02-26 · Ann"
    assert quote == ">“The story was written by *Elizabeth Piper* in Washington.”"
    raw = json.dumps(blocks)
    for bad in ("<!channel>", "<@U123>", "<https://evil", "*bold*"):
        assert bad not in raw


def test_without_a_short_answer_nothing_is_bold_and_the_quote_is_plain():
    blocks = kit.answer_blocks(answer(short=None), "id1")
    assert blocks[0]["text"]["text"].startswith("It was written by")
    assert "*" not in blocks[4]["text"]["text"]


def test_slack_feedback_buttons_or_ours():
    native = kit.answer_blocks(answer(), "id1", native=True)[-1]
    assert native["type"] == "context_actions" and native["elements"][0]["type"] == "feedback_buttons"
    values = [native["elements"][0][k]["value"] for k in ("positive_button", "negative_button")]
    assert values == ["up:id1", "down:id1"]
    ours = kit.classic(kit.answer_blocks(answer(), "id1", native=True))[-1]
    assert ours == kit.actions("id1", shareable=False)
    # /ask answers keep the Share button, so they keep our buttons
    assert kit.answer_blocks(answer(), "id1", shareable=True, native=True)[-1]["type"] == "actions"


def test_streamed_tail_leaves_the_text_out():
    tail = kit.answer_blocks(answer(), "id1", native=True, with_text=False)
    assert "It was written by" not in json.dumps(tail) and tail[0]["text"]["text"] == "*Elizabeth Piper*"


def test_markdown_escape_is_inert_and_prefix_stable():
    text = ("peace [1]. [x](https://evil) [a][b] [r]: u &lt;!channel&gt; <!here> <https://evil|x> @here "
            "**bold** _it_ `code`\n# heading |a|b|")
    out = kit.escape_markdown(text)
    visible = out.replace(kit.JOINER, "")
    for bad in ("](", "][", "]:", "&lt;", "<", ">", "**", "_it_", "`", "\n#", "|"):
        assert bad not in out, bad
    assert visible.startswith("peace [1]. [x](https://evil)") and "＃ heading" in visible
    assert kit.escape_markdown("Starmer said so [1].") == "Starmer said so [1]."  # plain text stays as it is
    assert all(out.startswith(kit.escape_markdown(text[:i])) for i in range(len(text)))


def test_topics_of_headlines_are_plain_words():
    assert topic("Starmer says U.S. backstop is key") == "Starmer"
    assert topic("Lighthouse keeper retires") == "Lighthouse keeper retires"
    assert topic(HOSTILE) == "Alert channel U123 bold more"
    assert len(topic("Word " * 40)) <= 60 and topic("") == ""


def _slack(**env):
    """The Slack section read from these env values (and nothing else)."""
    return Settings(_env_file=None, **env).slack


def test_configured_prompts_are_checked():
    assert _slack(NEWSBOT_SLACK_SUGGESTED_PROMPTS="").suggested_prompts is None
    assert _slack(NEWSBOT_SLACK_SUGGESTED_PROMPTS='["What is new?"]').suggested_prompts == (
        ("What is new?", "What is new?"),)
    with pytest.raises(SlackConfigError, match="NEWSBOT_SLACK_SUGGESTED_PROMPTS has 5 prompts"):
        _slack(NEWSBOT_SLACK_SUGGESTED_PROMPTS=json.dumps(["q"] * 5))
    with pytest.raises(SlackConfigError, match="NEWSBOT_SLACK_SUGGESTED_PROMPTS must be a JSON list"):
        _slack(NEWSBOT_SLACK_SUGGESTED_PROMPTS='{"q": 1}')


def test_unfurl_domains_are_checked_and_cover_subdomains():
    assert _slack(NEWSBOT_SLACK_UNFURL_DOMAINS=" News.Example , reuters.com").unfurl_domains == (
        "news.example", "reuters.com")
    for bad in ("https://news.example", "news.example/path", "localhost"):
        with pytest.raises(SlackConfigError, match="NEWSBOT_SLACK_UNFURL_DOMAINS"):
            _slack(NEWSBOT_SLACK_UNFURL_DOMAINS=bad)
    with pytest.raises(SlackConfigError, match="at most 5"):
        _slack(NEWSBOT_SLACK_UNFURL_DOMAINS=",".join(f"d{i}.example" for i in range(6)))
    assert covered("https://www.reuters.com/world/x", ["reuters.com"])
    assert not covered("https://notreuters.com/x", ["reuters.com"]) and covered("https://any.example/x", [])


def test_a_message_becomes_a_question():
    text = "<@U5> see <https://news.example/a|this piece> in <#C1|news> &amp; tell me: who wrote it?"
    assert question_from(text, 1000) == "see this piece in & tell me: who wrote it?"
    sentence = "Ministers met " + "again " * 10 + "on Friday."
    assert question_from(sentence + " " + "word " * 50, 100) == sentence  # cut at the sentence's end
    assert question_from("Short one. " + "word " * 50, 100) == ("Short one. " + "word " * 50)[:100].rsplit(" ", 1)[0]


def test_the_manifest_asks_for_what_the_app_listens_to():
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load(render(Settings(_env_file=None, NEWSBOT_SLACK_UNFURL_DOMAINS="news.example")))
    features = manifest["features"]
    assert features["unfurl_domains"] == ["news.example"] and features["app_home"]["home_tab_enabled"]
    assert features["agent_view"]["agent_description"] and len(features["agent_view"]["agent_description"]) <= 300
    assert [s["callback_id"] for s in features["shortcuts"]] == [CALLBACK]
    assert {"assistant:write", "chat:write", "links:read", "links:write"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_home_opened", "app_mention", "link_shared", "message.im"} <= \
        set(manifest["settings"]["event_subscriptions"]["bot_events"])
    bare = yaml.safe_load(render(Settings(_env_file=None, NEWSBOT_SLACK_UNFURL_DOMAINS="")))
    assert "unfurl_domains" not in bare["features"] and "links:read" not in bare["oauth_config"]["scopes"]["bot"]


def test_summary_counts_reasons_and_ranks_articles():
    cite = [{"article_id": "a", "title": "A", "url": "u"}, {"article_id": "a", "title": "A", "url": "u"}]
    votes = [{"vote": -1, "reason": "outdated", "citations": cite},
             {"vote": -1, "reason": "outdated", "citations": [{"article_id": "b", "title": "B", "url": "v"}]},
             {"vote": 1, "reason": None, "citations": cite}, {"vote": -1, "reason": None, "citations": cite}]
    got = summarize(votes)
    assert got["reasons"] == {"outdated": 2}
    assert [(a["article_id"], a["down"], a["up"]) for a in got["worst_articles"]] == [("a", 2, 1), ("b", 1, 0)]
