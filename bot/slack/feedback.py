"""👍 / 👎 on answers (Slack's own feedback buttons, or ours), and a small modal saying why a 👎."""

from __future__ import annotations

import json
import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack import blocks as kit
from bot.slack.responder import SlackAnswerer
from bot.slack.store import REASONS

log = logging.getLogger("newsbot.slack")
REASON_VIEW = "feedback_reason"
REASON_LABELS = {"wrong_article": "It cited the wrong article", "outdated": "It's outdated",
                 "not_answered": "It didn't answer my question", "other": "Something else"}


def reason_modal(answer_id: str) -> dict:
    """The modal a 👎 opens: why (radio buttons) and, optionally, in the user's own words."""
    options = [{"text": kit.plain(label, 75), "value": key} for key, label in REASON_LABELS.items()]
    return {
        "type": "modal", "callback_id": REASON_VIEW, "private_metadata": json.dumps({"answer_id": answer_id}),
        "title": kit.plain("What went wrong?", 24), "submit": kit.plain("Send", 24), "close": kit.plain("Skip", 24),
        "blocks": [
            {"type": "input", "block_id": "reason", "label": kit.plain("The answer…", 2000),
             "element": {"type": "radio_buttons", "action_id": "reason", "options": options}},
            {"type": "input", "block_id": "comment", "optional": True, "label": kit.plain("Anything to add?", 2000),
             "element": {"type": "plain_text_input", "action_id": "comment", "multiline": True, "max_length": 2000}},
        ],
    }


def _vote(bot: SlackAnswerer, client: WebClient, body: dict, answer_id: str, vote: int) -> None:
    """Store a vote, thank the voter, and ask why when it is a 👎."""
    user = body.get("user", {}).get("id", "")
    if not bot.store.vote(answer_id, user, vote):
        return
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    if channel:
        thread = (body.get("message") or {}).get("thread_ts") or (body.get("container") or {}).get("thread_ts")
        try:
            client.chat_postEphemeral(channel=channel, user=user, text="Thanks for the feedback.",
                                      **({"thread_ts": thread} if thread else {}))
        except Exception as exc:
            log.debug("thanks not posted: %s", exc)
    if vote < 0 and body.get("trigger_id"):
        try:
            client.views_open(trigger_id=body["trigger_id"], view=reason_modal(answer_id))
        except Exception as exc:
            log.info("could not open the reason modal: %s", exc)


def register(app: App, bot: SlackAnswerer) -> None:
    """Slack's feedback buttons, our buttons, and the reason modal's submission."""

    @app.action(kit.FEEDBACK_ACTION)
    def on_feedback(ack, body, action, client):
        ack()
        way, _, answer_id = (action.get("value") or "").partition(":")
        if way in ("up", "down") and answer_id:
            _vote(bot, client, body, answer_id, 1 if way == "up" else -1)

    @app.action("feedback_up")
    @app.action("feedback_down")
    def on_vote(ack, body, action, client):
        ack()
        _vote(bot, client, body, action["value"], 1 if action["action_id"] == "feedback_up" else -1)

    @app.view(REASON_VIEW)
    def on_reason(ack, body, view):
        values = view.get("state", {}).get("values", {})
        reason = ((values.get("reason", {}).get("reason") or {}).get("selected_option") or {}).get("value")
        comment = (values.get("comment", {}).get("comment") or {}).get("value") or ""
        if reason == "other" and not comment.strip():
            ack(response_action="errors", errors={"comment": "Say in a few words what was wrong."})
            return
        ack()
        answer_id = json.loads(view.get("private_metadata") or "{}").get("answer_id", "")
        if reason in REASONS:
            bot.store.give_reason(answer_id, body.get("user", {}).get("id", ""), reason, comment.strip())
