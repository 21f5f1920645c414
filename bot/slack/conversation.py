"""Questions as conversation: @mentions, direct messages (and their threads), /ask and sharing its answer."""

from __future__ import annotations

import re
import uuid

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack import blocks as kit
from bot.slack.responder import Responder, SlackAnswerer
from index.errors import QuestionError, ServerUnavailable

MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
SPECIAL = re.compile(r"<[!#@][^>]*>")


def question_text(text: str) -> str:
    """The message without the bot's @mention."""
    return MENTION.sub("", text or "").strip()


def plain_question(text: str) -> str:
    """A Slack message as a question: links as their labels (or urls), mentions and channel links dropped."""
    text = LINK.sub(lambda m: m.group(2) or m.group(1), text or "")
    text = SPECIAL.sub("", text)
    return " ".join(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split())


def from_a_bot(event: dict) -> bool:
    """Bots (this one included), edits, deletions and joins (any subtype) are never answered: no loops."""
    return bool(event.get("bot_id") or event.get("subtype"))


def ask_in_thread(bot: SlackAnswerer, client: WebClient, event: dict, team: str = "") -> None:
    """Answer a mention or DM in its thread, unless the user is over the rate limit."""
    channel, user = event["channel"], event.get("user", "")
    thread_ts = event.get("thread_ts") or event["ts"]
    refusal = bot.over_limit(user)
    if refusal:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=refusal)
        return
    Responder(bot, client, channel, thread_ts, user, team).run(question_text(event.get("text", "")), event["ts"])


def register(app: App, bot: SlackAnswerer) -> None:
    """@mentions in channels, direct messages, /ask and Share."""

    @app.event("app_mention")
    def on_mention(event, client, context):
        if not from_a_bot(event):
            ask_in_thread(bot, client, event, context.team_id or "")

    @app.event("message")
    def on_message(event, client, context):
        if event.get("channel_type") == "im" and not from_a_bot(event):
            ask_in_thread(bot, client, event, context.team_id or "")

    @app.command("/ask")
    def on_ask(ack, command, respond):
        ack(text="Searching the articles…", response_type="ephemeral")
        user, channel = command.get("user_id", ""), command.get("channel_id", "")
        refusal = bot.over_limit(user)
        if refusal:
            respond(text=refusal, response_type="ephemeral")
            return
        try:
            answer, answer_id = bot.answer_and_record(command.get("text", ""), channel, f"command-{uuid.uuid4().hex}",
                                                      user, filters=bot.filters_for(channel))
            blocks, text = kit.answer_blocks(answer, answer_id, shareable=True), kit.fallback_text(answer)
        except QuestionError as exc:
            text = f"Sorry, I can't answer that: {exc}."
            blocks = kit.progress_blocks(text)
        except ServerUnavailable:
            text = "Sorry, search is unavailable right now. Please ask again in a moment."
            blocks = kit.progress_blocks(text)
        except Exception:  # an apology with a reference, never a traceback
            blocks, text = bot.apology()
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)

    @app.action("share_answer")
    def on_share(ack, body, client, action):
        ack()
        answer = bot.store.load(action["value"])
        channel = (body.get("channel") or {}).get("id") or body.get("container", {}).get("channel_id")
        if answer is None or not channel:
            return
        user = body.get("user", {}).get("id", "")
        posted = client.chat_postMessage(channel=channel, text=kit.fallback_text(answer),
                                         blocks=kit.answer_blocks(answer) + [_shared_by(user)])
        bot.store.save(channel, posted["ts"], user, answer)


def _shared_by(user: str) -> dict:
    """A context line crediting who shared an answer."""
    mention = f"<@{user}>" if re.fullmatch(r"[A-Z0-9]+", user or "") else "someone"
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Shared by {mention} from /ask"}]}
