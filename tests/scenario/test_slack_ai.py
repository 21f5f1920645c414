"""Slack's AI-app surface, driven through the real Bolt app over real HTTP against the fake Web API:
loading status, suggested prompts, thread titles, native streaming and its fallbacks, feedback buttons."""

from __future__ import annotations

import json
import time

import pytest
from fakes.openai_server import Reply
from fakes.planted import LIGHTHOUSE, STARMER_Q, no_markup
from fakes.slack_app import dm, mention, texts_of
from helpers import number_of, wait_for
from test_llm import two_claims

from bot.cli import main


def calls_after(fake, method: str) -> list[str]:
    """The methods called from the first call of `method` on (auth.test and the like left out)."""
    methods = [m for m in fake.methods() if m != "auth.test"]
    return methods[methods.index(method):] if method in methods else []


def test_assistant_thread_started_gets_prompts_from_the_newest_articles(make_harness):
    h = make_harness()
    h.event({"type": "assistant_thread_started", "assistant_thread": {
        "user_id": "U1", "channel_id": "D1", "thread_ts": "900.1", "context": {}}, "event_ts": "900.2"})
    (call,) = wait_for(lambda: h.fake.of("assistant.threads.setSuggestedPrompts"))
    assert call["channel_id"] == "D1" and call["thread_ts"] == "900.1"
    messages = [p["message"] for p in call["prompts"]]
    assert messages[0].startswith("What's the latest on Alert channel") and "Lighthouse keeper retires" in messages[1]
    assert 1 <= len(messages) <= 4 and all(p["title"] for p in call["prompts"])
    # agent view: opening the DM's Messages tab pins the same prompts, without a thread
    h.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages", "event_ts": "901.1"})
    pinned = wait_for(lambda: h.fake.of("assistant.threads.setSuggestedPrompts")[1:])[0]
    assert "thread_ts" not in pinned and pinned["prompts"] == call["prompts"]
    raw = no_markup(h.fake)
    assert "zeppelin" in raw and "evil.example" not in raw and "*bold*" not in raw


def test_configured_prompts_replace_the_index_ones(make_harness, slack_settings):
    prompts = ["What happened at Skerrowan Point?", {"title": "Backstop", "message": STARMER_Q}]
    h = make_harness(settings=slack_settings.override(NEWSBOT_SLACK_SUGGESTED_PROMPTS=json.dumps(prompts)))
    h.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages", "event_ts": "1.1"})
    (call,) = wait_for(lambda: h.fake.of("assistant.threads.setSuggestedPrompts"))
    assert call["prompts"] == [{"title": prompts[0], "message": prompts[0]}, prompts[1]]


def test_dm_question_gets_status_title_then_the_answer(make_harness):
    h = make_harness()
    h.event(dm(STARMER_Q, ts="210.1"))
    (answer,) = h.final_answers()
    assert calls_after(h.fake, "assistant.threads.setStatus") == [
        "assistant.threads.setStatus", "assistant.threads.setTitle", "chat.postMessage"]
    status = h.fake.of("assistant.threads.setStatus")[0]
    assert status["channel_id"] == "D1" and status["thread_ts"] == "210.1"
    assert status["loading_messages"][0] == "Searching 3 articles…"
    assert any("12 passages" in m for m in status["loading_messages"]) and len(status["loading_messages"]) <= 10
    assert h.fake.of("assistant.threads.setTitle")[0]["title"] == STARMER_Q
    assert answer["channel"] == "D1" and answer["thread_ts"] == "210.1" and answer["method"] == "chat.postMessage"
    body = texts_of(answer["blocks"])
    assert "backstop" in body and "Searched 3 articles" in body and "[1]" in body
    assert answer["blocks"][-1]["type"] == "context_actions"
    assert h.fake.of("reactions.add") == [] and h.fake.of("chat.update") == []  # no ⏳, no placeholder
    # a follow-up in the thread keeps its title
    h.event(dm("and what did Russia say?", ts="210.5", thread_ts="210.1"))
    h.final_answers(2)
    assert len(h.fake.of("assistant.threads.setTitle")) == 1


def test_channel_mention_gets_status_in_its_thread(make_harness):
    h = make_harness()
    h.event(mention(STARMER_Q, ts="220.1", team="T1"))
    (answer,) = h.final_answers()
    status = h.fake.of("assistant.threads.setStatus")[0]
    assert status["channel_id"] == "C1" and status["thread_ts"] == "220.1"
    assert answer["thread_ts"] == "220.1" and h.fake.of("assistant.threads.setTitle") == []


@pytest.fixture
def sure_newsroom(llm_newsroom, monkeypatch):
    """The LLM newsroom with its gate holding every answer sure (a tentative one is not sent to the model):
    these tests are about streaming, not the gate."""
    monkeypatch.setitem(llm_newsroom.learned.models.thresholds, "tentative", 0.0)
    return llm_newsroom


def deter(body: dict) -> str:
    """A model answer citing the passage that holds it, by the number the prompt gave that passage."""
    return f"Starmer said the backstop was crucial in order to deter Putin from attacking Ukraine again " \
           f"[{number_of(body, 'in order to deter')}]."


def test_streamed_llm_answer_uses_chat_streaming_then_sources(make_harness, sure_newsroom, fake_llm):
    said = []
    fake_llm.queue(Reply(lambda body: said.append(deter(body)) or said[-1], chunk_chars=6, chunk_delay=0.08))
    llm_newsroom = sure_newsroom
    h = make_harness(llm_newsroom)
    h.event(mention(STARMER_Q, ts=f"{time.time():.6f}"))
    (answer,) = h.final_answers()
    methods = calls_after(h.fake, "assistant.threads.setStatus")
    assert methods[0] == "assistant.threads.setStatus" and methods[1] == "chat.startStream"
    assert methods[-1] == "chat.stopStream" and methods.count("chat.appendStream") <= 12
    # a checked sentence may open the stream itself: appends only for the sentences after it
    assert set(methods) <= {"assistant.threads.setStatus", "chat.startStream", "chat.appendStream", "chat.stopStream"}
    start = h.fake.of("chat.startStream")[0]
    assert start["recipient_user_id"] == "U1" and start["recipient_team_id"] == "T1"
    # streamed: exactly the checked answer, its marker renumbered by first use
    assert answer["text"] == said[0].rsplit(" [", 1)[0] + " [1]."
    tail = texts_of(answer["blocks"])
    assert "Searched 3 articles" in tail and "[1]" in tail and "“" in tail and "Reuters" in tail
    assert answer["blocks"][-1]["type"] == "context_actions"


def test_streaming_refused_falls_back_to_the_placeholder(make_harness, sure_newsroom, fake_llm):
    fake_llm.queue(Reply(lambda body: "Starmer urged the United States to provide a security backstop to any future "
                                      f"European peacekeepers [{number_of(body, 'to provide a security')}].",
                         chunk_chars=6, chunk_delay=0.08))
    h = make_harness(sure_newsroom)
    h.fake.refuse("chat.startStream", "feature_not_enabled")
    h.event(mention(STARMER_Q, ts=f"{time.time():.6f}"))
    (answer,) = h.final_answers()
    placeholder = h.fake.of("chat.postMessage")[0]
    assert "Searching" in placeholder["text"] and answer["method"] == "chat.update"
    assert answer["ts"] == h.fake.results[[a for _, a in h.fake.calls].index(placeholder)]["ts"]
    assert answer["text"].endswith("peacekeepers [1].") and h.fake.of("chat.stopStream") == []  # renumbered: [1]
    assert answer["blocks"][-1]["type"] == "context_actions"  # the status worked: Slack's buttons


def test_stream_failing_mid_way_is_replaced_by_the_answer(make_harness, sure_newsroom, fake_llm):
    fake_llm.queue(Reply(two_claims, chunk_chars=5, chunk_delay=0.1))  # two sentences: the second is appended
    h = make_harness(sure_newsroom)
    h.fake.refuse("chat.appendStream", "message_not_in_streaming_state", after=0)
    h.event(mention(STARMER_Q, ts=f"{time.time():.6f}"))
    (answer,) = h.final_answers()
    stream_ts = h.fake.results[h.fake.methods().index("chat.startStream")]["ts"]
    assert answer["method"] == "chat.update" and answer["ts"] == stream_ts
    assert "needed to deter Putin from attacking Ukraine again" in texts_of(answer["blocks"])


def test_unchecked_stream_is_never_left_standing(make_harness, sure_newsroom, fake_llm):
    """The model cites nothing it was given: nothing of it is ever shown, the extractive answer is, cited."""
    fake_llm.queue(Reply(lambda body: "Starmer wants a backstop, as everybody knows [42].", chunk_chars=4,
                         chunk_delay=0.08))
    h = make_harness(sure_newsroom)
    h.event(mention(STARMER_Q, ts=f"{time.time():.6f}"))
    (answer,) = h.final_answers()
    assert all("everybody knows" not in s["text"] for s in h.fake.streams.values())  # never streamed
    body = texts_of(answer["blocks"])
    assert "everybody knows" not in body and "[1]" in body and "extractive answer" in body


def test_feedback_buttons_refused_fall_back_to_ours(make_harness):
    h = make_harness()
    h.fake.refuse_block("context_actions")
    h.event(mention(STARMER_Q, ts="230.1"))
    (answer,) = h.final_answers()
    assert answer["blocks"][-1]["type"] == "actions"
    assert [e["action_id"] for e in answer["blocks"][-1]["elements"]] == ["feedback_up", "feedback_down"]


def test_thumbs_down_with_a_reason_is_stored_and_listed(make_harness, capsys):
    h = make_harness()
    h.event(mention("Who retired from the Skerrowan Point lighthouse?", ts="240.1"))
    (answer,) = h.final_answers()
    buttons = answer["blocks"][-1]["elements"][0]
    down = buttons["negative_button"]["value"]
    answer_id = down.split(":", 1)[1]
    feedback = {"type": "block_actions", "channel": {"id": "C1"}, "container": {"type": "message", "channel_id": "C1"},
                "message": {"ts": answer["ts"], "thread_ts": "240.1"},
                "actions": [{"action_id": "feedback", "type": "feedback_buttons", "value": down}]}
    assert h.interaction({**feedback, "user": {"id": "U7"}})[0] == 200
    (opened,) = wait_for(lambda: h.fake.of("views.open"))
    view = opened["view"]
    assert view["callback_id"] == "feedback_reason" and opened["trigger_id"] == "t2"
    # "other" needs words: Slack is told which field to fix
    status, body = h.submit(view, {"reason": {"reason": {"selected_option": {"value": "other"}}},
                                   "comment": {"comment": {"value": " "}}}, user="U7")
    assert status == 200 and json.loads(body)["response_action"] == "errors"
    h.submit(view, {"reason": {"reason": {"selected_option": {"value": "outdated"}}},
                    "comment": {"comment": {"value": "That was last year."}}}, user="U7")
    h.interaction({**feedback, "user": {"id": "U8"}, "actions": [{**feedback["actions"][0], "value": f"up:{answer_id}"}]})
    wait_for(lambda: len(h.fake.of("chat.postEphemeral")) == 2)
    votes = wait_for(lambda: [v for v in h.store.votes() if v["reason"]] and h.store.votes())
    assert sorted(v["vote"] for v in votes) == [-1, 1]
    down_vote = next(v for v in votes if v["vote"] < 0)
    assert down_vote["reason"] == "outdated" and down_vote["comment"] == "That was last year."
    assert main(["feedback"]) == 0
    out = capsys.readouterr().out
    assert "why: outdated — That was last year." in out and "Why answers were not helpful: outdated ×1" in out
    assert "Worst-rated articles" in out and "Lighthouse keeper retires" in out
    assert main(["feedback", "--json", "--summary"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["reasons"] == {"outdated": 1} and summary["worst_articles"][0]["url"] == LIGHTHOUSE["url"]
