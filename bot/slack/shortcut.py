"""The message shortcut "Ask newsbot about this": the message's text is the question, answered in its thread."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack.apology import not_here
from bot.slack.conversation import plain_question
from bot.slack.responder import Responder, SlackAnswerer

log = logging.getLogger("newsbot.slack")
CALLBACK = "ask_newsbot"  # the shortcut's callback_id in manifest.yml


def question_from(text: str, limit: int) -> str:
    """The message as a question, cut at a sentence (or word) end when longer than questions may be."""
    question = plain_question(text)
    if len(question) <= limit:
        return question
    head = question[:limit]
    end = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
    return head[: end + 1] if end > limit // 2 else head.rsplit(" ", 1)[0]


def register(app: App, bot: SlackAnswerer) -> None:
    """Answer a message someone picked, in that message's thread."""

    @app.shortcut(CALLBACK)
    def on_shortcut(ack, body, client, respond, context):
        ack()
        message = body.get("message") or {}
        channel, user = (body.get("channel") or {}).get("id", ""), (body.get("user") or {}).get("id", "")
        thread_ts = message.get("thread_ts") or message.get("ts")
        if not (channel and thread_ts):
            return
        refusal = bot.over_limit(user)
        if refusal:
            respond(text=refusal, response_type="ephemeral")
            return
        question = question_from(message.get("text", ""), bot.settings.answer.max_question_chars)
        if not Responder(bot, client, channel, thread_ts, user, context.team_id or "").run(question, None):
            respond(text=not_here().text, response_type="ephemeral")
