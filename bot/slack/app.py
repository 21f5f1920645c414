"""The Bolt app: Slack events, the slash command and buttons, each turned into a call of the answerer."""

from __future__ import annotations

import logging
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot.answering.service import AnswerService
from bot.slack import blocks as kit
from bot.slack.digests import register_digest_command
from bot.slack.responder import Responder, SlackAnswerer
from bot.slack.store import ConversationStore
from index.errors import SlackConfigError
from index.settings import Settings

MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def check_tokens(settings: Settings, socket_mode: bool) -> None:
    """Fail early, naming the setting, when a token is missing or of the wrong kind."""
    bot = settings.slack_bot_token.get_secret_value()
    if not bot.startswith("xoxb-"):
        raise SlackConfigError("SLACK_BOT_TOKEN is missing or is not a bot token (xoxb-…)")
    if socket_mode and not settings.slack_app_token.get_secret_value().startswith("xapp-"):
        raise SlackConfigError("SLACK_APP_TOKEN is not an app-level token (xapp-…)")
    if not socket_mode and not settings.slack_signing_secret.get_secret_value():
        raise SlackConfigError("SLACK_SIGNING_SECRET is missing (needed in HTTP mode)")


def question_text(text: str) -> str:
    """The message without the bot's @mention."""
    return MENTION.sub("", text or "").strip()


def create_app(settings: Settings, service: AnswerService, store: ConversationStore,
               client: WebClient | None = None) -> App:
    """The Bolt app with newsbot's listeners; pass `client` to point it at another Web API."""
    client = client or WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
    app = App(client=client, signing_secret=settings.slack_signing_secret.get_secret_value() or None,
              listener_executor=ThreadPoolExecutor(settings.slack_workers, thread_name_prefix="newsbot-slack"),
              logger=logging.getLogger("newsbot.bolt"))
    bot = SlackAnswerer(settings, service, store)
    _register_messages(app, bot)
    register_digest_command(app, settings, service.index, bot.over_limit)  # before /ask: it takes "/ask digest …"
    _register_command(app, bot)
    _register_buttons(app, bot)
    return app


def _ask_in_thread(bot: SlackAnswerer, client: WebClient, event: dict) -> None:
    """Answer a mention or DM in its thread, unless the user is over the rate limit."""
    channel, user = event["channel"], event.get("user", "")
    thread_ts = event.get("thread_ts") or event["ts"]
    refusal = bot.over_limit(user)
    if refusal:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=refusal)
        return
    Responder(bot, client, channel, thread_ts, user).run(question_text(event.get("text", "")), event["ts"])


def _from_a_bot(event: dict) -> bool:
    """Bots (this one included), edits, deletions and joins (any subtype) are never answered: no loops."""
    return bool(event.get("bot_id") or event.get("subtype"))


def _register_messages(app: App, bot: SlackAnswerer) -> None:
    """@mentions in channels and direct messages."""

    @app.event("app_mention")
    def on_mention(event, client):
        if not _from_a_bot(event):
            _ask_in_thread(bot, client, event)

    @app.event("message")
    def on_message(event, client):
        if event.get("channel_type") == "im" and not _from_a_bot(event):
            _ask_in_thread(bot, client, event)


def _register_command(app: App, bot: SlackAnswerer) -> None:
    """/ask: an answer only the asker sees, with a button to share it."""

    @app.command("/ask")
    def on_ask(ack, command, respond):
        ack(text="Searching the articles…", response_type="ephemeral")
        user, channel = command.get("user_id", ""), command.get("channel_id", "")
        refusal = bot.over_limit(user)
        if refusal:
            respond(text=refusal, response_type="ephemeral")
            return
        try:
            blocks, text = bot.answer_and_record(command.get("text", ""), channel, f"command-{uuid.uuid4().hex}",
                                                 user, shareable=True)
        except Exception:  # an apology with a reference, never a traceback
            blocks, text = bot.apology()
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)


def _register_buttons(app: App, bot: SlackAnswerer) -> None:
    """Share to channel, and 👍 / 👎."""

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

    @app.action("feedback_up")
    @app.action("feedback_down")
    def on_vote(ack, body, action, client):
        ack()
        user = body.get("user", {}).get("id", "")
        recorded = bot.store.vote(action["value"], user, 1 if action["action_id"] == "feedback_up" else -1)
        channel = (body.get("channel") or {}).get("id")
        if recorded and channel:
            client.chat_postEphemeral(channel=channel, user=user, text="Thanks for the feedback.")


def _shared_by(user: str) -> dict:
    """A context line crediting who shared an answer."""
    mention = f"<@{user}>" if re.fullmatch(r"[A-Z0-9]+", user or "") else "someone"
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Shared by {mention} from /ask"}]}
