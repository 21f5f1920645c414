"""Around the conversation: App Home, link unfurls, the message shortcut and channel scopes, through the real
Bolt app over real HTTP against the fake Web API; a planted article's markup stays inert on every surface."""

from __future__ import annotations

import json
import time

import pytest
from fakes.openai_server import Reply
from fakes.planted import LIGHTHOUSE, PLANTED, STARMER_Q, no_markup
from fakes.slack_app import dm, mention, texts_of
from helpers import number_of, wait_for

from bot.slack.errors import SlackConfigError

LIGHTHOUSE_Q = "Who retired from the Skerrowan Point lighthouse?"


def home_opened(h, user: str = "U1") -> dict:
    """Open the Home tab and return the view published."""
    before = len(h.fake.of("views.publish"))
    h.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home", "event_ts": f"{time.time():.6f}"})
    return wait_for(lambda: h.fake.of("views.publish")[before:])[0]


def test_home_tab_shows_real_index_counts_and_the_users_threads(make_harness, slack_newsroom):
    warnings = ["Coast Gazette feed: HTTP 503 since 09:12 <!channel>"]
    h = make_harness(source_warnings=lambda: warnings)
    h.event(mention(LIGHTHOUSE_Q, ts="300.1"))
    h.final_answers()
    published = home_opened(h)
    assert published["user_id"] == "U1" and published["view"]["type"] == "home"
    body = texts_of(published["view"]["blocks"])
    assert f"*{slack_newsroom.article_count()}* articles" in body and "*3* articles" in body
    assert "Newest article: 2025-05-01" in body  # the planted article is the newest, escaped
    assert "Last indexed: " in body and "never" not in body.split("Last indexed: ")[1][:6]
    assert "Sources that are failing" in body and "HTTP 503" in body and "&lt;!channel&gt;" in body
    permalink = h.fake.of("chat.getPermalink")[0]
    assert (permalink["channel"], permalink["message_ts"]) == ("C1", "300.1")
    assert f"<https://fake.slack.example/archives/C1/p3001|{LIGHTHOUSE_Q}>" in body
    raw = no_markup(h.fake)
    assert "&lt;!channel&gt;" in raw and "∗bold∗" in raw


def test_home_tab_without_warnings_and_with_a_failing_provider(make_harness):
    assert "failing" not in texts_of(home_opened(make_harness())["view"]["blocks"])

    def broken():
        raise RuntimeError("feeds table missing")

    body = texts_of(home_opened(make_harness(source_warnings=broken))["view"]["blocks"])
    assert "Could not read the state of the sources" in body and "feeds table" not in body


def test_link_to_an_indexed_article_unfurls_with_its_headline(make_harness):
    h = make_harness()
    h.event({"type": "link_shared", "channel": "C1", "user": "U1", "message_ts": "400.1", "is_bot_user_member": True,
             "unfurl_id": "C1.400.1.abc", "source": "conversations_history",
             "links": [{"domain": "news.example", "url": LIGHTHOUSE["url"] + "/"},
                       {"domain": "news.example", "url": "https://news.example/never-indexed"}]})
    (unfurl,) = wait_for(lambda: h.fake.of("chat.unfurl"))
    assert unfurl["unfurl_id"] == "C1.400.1.abc" and unfurl["source"] == "conversations_history"
    assert list(unfurl["unfurls"]) == [LIGHTHOUSE["url"] + "/"]  # the unknown url is left alone
    blocks = unfurl["unfurls"][LIGHTHOUSE["url"] + "/"]["blocks"]
    body = texts_of(blocks)
    assert f"<{LIGHTHOUSE['url']}|Lighthouse keeper retires>" in body
    assert "2024-02-09 · Ann Reed · Coast Gazette" in body and "Ask about this article" in body


def test_unknown_link_gets_no_unfurl(make_harness):
    h = make_harness()
    h.event({"type": "link_shared", "channel": "C1", "user": "U1", "message_ts": "401.1",
             "links": [{"domain": "news.example", "url": "https://news.example/never-indexed"}]})
    h.event(mention(STARMER_Q, ts="401.5"))  # handled after the link: by then an unfurl would have been sent
    h.final_answers()
    assert h.fake.of("chat.unfurl") == []


def test_ask_about_this_article_answers_from_that_article_only(make_harness):
    h = make_harness()
    h.event({"type": "link_shared", "channel": "C1", "user": "U1", "message_ts": "410.1", "is_bot_user_member": True,
             "links": [{"domain": "news.example", "url": LIGHTHOUSE["url"]}]})
    (unfurl,) = wait_for(lambda: h.fake.of("chat.unfurl"))
    assert (unfurl["channel"], unfurl["ts"]) == ("C1", "410.1")  # no unfurl_id: channel and ts
    button = unfurl["unfurls"][LIGHTHOUSE["url"]]["blocks"][-1]["elements"][0]
    h.interaction({"type": "block_actions", "channel": {"id": "C1"},
                   "container": {"type": "message_attachment", "channel_id": "C1", "message_ts": "410.1"},
                   "actions": [{"action_id": button["action_id"], "value": button["value"], "type": "button"}]})
    (opened,) = wait_for(lambda: h.fake.of("views.open"))
    assert "Lighthouse keeper retires" in texts_of(opened["view"]["blocks"])
    # a question the article cannot answer is refused from that one article, never from the others
    h.submit(opened["view"], {"question": {"question": {"value": STARMER_Q}}})
    (answer,) = h.final_answers()
    assert answer["channel"] == "C1" and answer["thread_ts"] == "410.1"
    body = texts_of(answer["blocks"])
    assert "do not cover" in body and "Searched 1 article" in body
    h.submit(opened["view"], {"question": {"question": {"value": LIGHTHOUSE_Q}}})
    second = h.final_answers(2)[1]
    assert "Skerrowan" in texts_of(second["blocks"]) and "Lighthouse keeper retires" in texts_of(second["blocks"])


def test_ask_about_an_article_from_a_channel_without_the_bot_answers_in_a_dm(make_harness):
    h = make_harness()
    h.event({"type": "link_shared", "channel": "C9", "user": "U1", "message_ts": "420.1", "is_bot_user_member": False,
             "links": [{"domain": "news.example", "url": LIGHTHOUSE["url"]}]})
    (unfurl,) = wait_for(lambda: h.fake.of("chat.unfurl"))
    button = unfurl["unfurls"][LIGHTHOUSE["url"]]["blocks"][-1]["elements"][0]
    h.interaction({"type": "block_actions", "channel": {"id": "C9"},
                   "actions": [{"action_id": button["action_id"], "value": button["value"], "type": "button"}]})
    (opened,) = wait_for(lambda: h.fake.of("views.open"))
    h.submit(opened["view"], {"question": {"question": {"value": LIGHTHOUSE_Q}}})
    (answer,) = h.final_answers()
    assert h.fake.of("conversations.open")[0]["users"] == "U1"
    assert answer["channel"] == "DU1" and "Skerrowan" in texts_of(answer["blocks"])


def test_message_shortcut_answers_in_that_messages_thread(make_harness):
    h = make_harness()
    h.interaction({"type": "message_action", "callback_id": "ask_newsbot", "channel": {"id": "C1"},
                   "response_url": h.fake.url + "/response/3",
                   "message": {"type": "message", "user": "U5", "ts": "500.1",
                               "text": "<@U5> hey, who retired from the <https://news.example/lighthouse|Skerrowan Point> "
                                       "lighthouse?"}})
    (answer,) = h.final_answers()
    assert answer["channel"] == "C1" and answer["thread_ts"] == "500.1"
    assert "Skerrowan" in texts_of(answer["blocks"])
    assert h.store.thread("C1", "500.1")[0].question == "hey, who retired from the Skerrowan Point lighthouse?"


def test_channel_scope_answers_only_from_that_scope_and_says_so(make_harness, slack_settings, tmp_path):
    scopes = tmp_path / "scopes.json"
    scopes.write_text(json.dumps({"CCOAST": {"sources": ["Coast Gazette"], "since": "2024-01-01"},
                                  "*": {"source": "Reuters"}}))
    h = make_harness(settings=slack_settings.override(NEWSBOT_SLACK_CHANNEL_SCOPES=str(scopes)))
    h.event(mention(STARMER_Q, ts="600.1", channel="CCOAST"))
    refused = h.final_answers(1)[0]
    body = texts_of(refused["blocks"])
    assert "do not cover" in body and "Searched 1 Coast Gazette article since 1 January 2024" in body
    h.event(mention(LIGHTHOUSE_Q, ts="600.5", channel="CCOAST"))
    answered = h.final_answers(2)[1]
    assert "Skerrowan" in texts_of(answered["blocks"]) and "Searched 1 Coast Gazette article" in texts_of(answered["blocks"])
    h.event(mention(LIGHTHOUSE_Q, ts="601.1", channel="COTHER"))  # the every-channel scope: Reuters only
    other = h.final_answers(3)[2]
    assert "do not cover" in texts_of(other["blocks"]) and "Searched 1 Reuters article" in texts_of(other["blocks"])
    assert "Lighthouse keeper retires" not in texts_of(other["blocks"])
    h.event(dm(LIGHTHOUSE_Q, ts="602.1"))  # a DM searches everything
    direct = h.final_answers(4)[3]
    assert "Skerrowan" in texts_of(direct["blocks"]) and "Searched 3 articles" in texts_of(direct["blocks"])
    status = h.fake.of("assistant.threads.setStatus")[0]
    assert status["loading_messages"][0] == "Searching 1 Coast Gazette article since 1 January 2024…"


def test_ask_command_in_a_scoped_channel_uses_the_scope(make_harness, slack_settings):
    h = make_harness(settings=slack_settings.override(NEWSBOT_SLACK_CHANNEL_SCOPES=json.dumps({"C1": {"sources": "Coast Gazette"}})))
    h.command(STARMER_Q, channel="C1")
    reply = wait_for(lambda: h.fake.of("1"))[0]
    assert "Searched 1 Coast Gazette article" in texts_of(reply["blocks"]) and "do not cover" in texts_of(reply["blocks"])


def test_a_malformed_scope_setting_stops_the_app_at_start(monkeypatch):
    from bot.cli import load_settings

    monkeypatch.setenv("NEWSBOT_SLACK_CHANNEL_SCOPES", '{"C1": {"sources": ["AP"], "colour": "red"}}')
    with pytest.raises(SlackConfigError, match=r"NEWSBOT_SLACK_CHANNEL_SCOPES: C1.colour is not a known field"):
        load_settings()  # the settings are read (and their JSON checked) before anything starts


def test_planted_article_is_inert_in_prompts_unfurls_home_and_streamed_text(make_harness, llm_newsroom, fake_llm,
                                                                             monkeypatch):
    def echo(body: dict) -> str:  # the model repeats the article's markup, citing the passage that holds it
        # (escaped text as the prompt carries it, "&lt;!here&gt;", would be rejected as an echo of the prompt)
        return ("Mayor Ostrava said the zeppelin festival <!channel> <!here> <https://evil.example|click here> "
                f"*shouting* [see](https://evil.example) is cancelled this year [{number_of(body, 'zeppelin festival')}].")

    monkeypatch.setitem(llm_newsroom.learned.models.thresholds, "tentative", 0.0)  # the stream, not the gate
    fake_llm.queue(Reply(echo, chunk_chars=5, chunk_delay=0.05))
    h = make_harness(llm_newsroom)
    h.event({"type": "assistant_thread_started", "assistant_thread": {"user_id": "U1", "channel_id": "D1",
                                                                      "thread_ts": "700.1"}})
    h.event({"type": "link_shared", "channel": "C1", "user": "U1", "message_ts": "700.2",
             "links": [{"domain": "news.example", "url": PLANTED["url"]}]})
    home_opened(h)
    h.event(mention("Why did Mayor Ostrava cancel the zeppelin festival?", ts="700.3"))
    (answer,) = h.final_answers()
    wait_for(lambda: h.fake.of("assistant.threads.setSuggestedPrompts") and h.fake.of("chat.unfurl"))
    no_markup(h.fake)
    streamed = answer["text"]  # markdown: angle brackets, entities and link syntax all made inert
    assert answer["method"] == "chat.stopStream" and "festival" in streamed and "[1]" in streamed
    assert "<" not in streamed and ">" not in streamed and "&lt;" not in streamed and "](" not in streamed
    (task,) = [c for c in h.fake.of("chat.stopStream")[0]["chunks"] if c["type"] == "task_update"]
    assert task["status"] == "complete" and task["sources"][0]["url"] == PLANTED["url"]
    assert "‹" in task["sources"][0]["text"] and "<" not in task["sources"][0]["text"]
    unfurl = json.dumps(h.fake.of("chat.unfurl")[0]["unfurls"], ensure_ascii=False)
    assert "&lt;!channel&gt;" in unfurl and "∗bold∗" in unfurl and "&lt;@U123&gt; Wire" in unfurl
    assert "zeppelin" in json.dumps(h.fake.of("assistant.threads.setSuggestedPrompts"))
    assert "&lt;!channel&gt;" in json.dumps(h.fake.of("views.publish"), ensure_ascii=False)


def test_shortcut_where_the_bot_cannot_post_says_so_privately(make_harness):
    h = make_harness()
    for method in ("assistant.threads.setStatus", "chat.postMessage"):
        h.fake.refuse(method, "not_in_channel")
    h.interaction({"type": "message_action", "callback_id": "ask_newsbot", "channel": {"id": "C7"},
                   "response_url": h.fake.url + "/response/4",
                   "message": {"type": "message", "user": "U5", "ts": "510.1", "text": LIGHTHOUSE_Q}})
    (reply,) = wait_for(lambda: h.fake.of("4"))
    assert reply["response_type"] == "ephemeral" and "/invite @newsbot" in reply["text"]
