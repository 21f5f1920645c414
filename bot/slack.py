"""The Slack app: turns Slack events into calls of the answer service and answers into Block Kit."""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot import slack_blocks as kit
from bot.answer import AnswerService, QuestionError
from bot.feedback import ConversationStore
from index.settings import Settings

log = logging.getLogger("newsbot.slack")
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
IGNORED_SUBTYPES = {"bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave"}
THINKING = "hourglass_flowing_sand"


class SlackConfigError(ValueError):
    """A missing or malformed Slack setting, named."""


def check_tokens(settings: Settings, socket_mode: bool) -> None:
    """Fail early, naming the setting, when a token is missing or of the wrong kind."""
    bot = settings.slack_bot_token.get_secret_value()
    if not bot.startswith("xoxb-"):
        raise SlackConfigError("SLACK_BOT_TOKEN is missing or is not a bot token (xoxb-…)")
    if socket_mode and not settings.slack_app_token.get_secret_value().startswith("xapp-"):
        raise SlackConfigError("SLACK_APP_TOKEN is not an app-level token (xapp-…)")
    if not socket_mode and not settings.slack_signing_secret.get_secret_value():
        raise SlackConfigError("SLACK_SIGNING_SECRET is missing (needed in HTTP mode)")


class RateLimiter:
    """At most `limit` questions per user in any `window` seconds."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._seen: dict[str, deque] = {}
        self._lock = threading.Lock()

    def allow(self, user: str) -> bool:
        """Count a question; False when the user is over the limit."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(user, deque())
            while seen and now - seen[0] > self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            return True


class Responder:
    """Answers one question in a thread: progress, streamed updates, the answer, or an apology."""

    def __init__(self, bot: "SlackBot", client: WebClient, channel: str, thread_ts: str, user: str):
        self.bot, self.client = bot, client
        self.channel, self.thread_ts, self.user = channel, thread_ts, user
        self.placeholder: str | None = None
        self._last_update = 0.0

    def run(self, question: str, message_ts: str | None) -> None:
        """Show progress, answer in the thread, then clear the progress reaction."""
        if message_ts:
            self._react("reactions_add", message_ts)
        posted = self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts,
                                              text="Searching the articles…",
                                              blocks=kit.progress_blocks("Searching the articles…"))
        self.placeholder = posted["ts"]
        try:
            blocks, text = self.bot.render(question, self.channel, self.thread_ts, self.user, self.partial)
        except Exception:  # every failure reaches the user as an apology, never a traceback
            blocks, text = self.bot.apology()
        self.client.chat_update(channel=self.channel, ts=self.placeholder, text=text, blocks=blocks)
        if message_ts:
            self._react("reactions_remove", message_ts)

    def partial(self, text: str) -> None:
        """Streamed text so far: update the placeholder at most once a second."""
        now = time.monotonic()
        if self.placeholder and now - self._last_update >= 1.0:
            self._last_update = now
            self.client.chat_update(channel=self.channel, ts=self.placeholder, text=kit.trim(text, 3000),
                                    blocks=kit.progress_blocks(text + " …"))

    def _react(self, method: str, ts: str) -> None:
        """Reactions are decoration: failing to add one must not stop the answer."""
        try:
            getattr(self.client, method)(channel=self.channel, timestamp=ts, name=THINKING)
        except Exception as exc:  # noqa: BLE001
            log.debug("%s failed: %s", method, exc)


class SlackBot:
    """Slack-facing behaviour shared by events, the slash command and buttons."""

    def __init__(self, settings: Settings, service: AnswerService, store: ConversationStore):
        self.settings, self.service, self.store = settings, service, store
        self.limiter = RateLimiter(settings.slack_rate_limit, settings.slack_rate_window)

    def render(self, question: str, channel: str, thread_ts: str, user: str, on_partial=None,
               shareable: bool = False) -> tuple[list[dict], str]:
        """Answer with the thread's earlier turns as context; returns (blocks, fallback text)."""
        try:
            history = self.store.thread(channel, thread_ts)
            answer = self.service.answer(question, history=history, on_partial=on_partial)
        except QuestionError as exc:
            return kit.progress_blocks(f"Sorry, I can't answer that: {exc}."), f"Sorry, I can't answer that: {exc}."
        answer_id = self.store.save(channel, thread_ts, user, answer)
        return kit.answer_blocks(answer, answer_id, shareable=shareable), kit.fallback_text(answer)

    def apology(self) -> tuple[list[dict], str]:
        """A short apology with a reference id that also stands in the log beside the traceback."""
        ref = uuid.uuid4().hex[:8]
        log.exception("answering failed (reference %s)", ref)
        text = f"Sorry, something went wrong while answering. Reference: {ref}"
        return kit.progress_blocks(text), text

    def over_limit(self, user: str) -> str | None:
        """The polite reply when a user asks too much, else None."""
        if self.limiter.allow(user):
            return None
        return (f"You've asked {self.settings.slack_rate_limit} questions in the last "
                f"{self.settings.slack_rate_window:.0f} seconds. Please wait a moment and ask again.")


def question_text(text: str) -> str:
    """The message without the bot's @mention."""
    return MENTION.sub("", text or "").strip()


def create_app(settings: Settings, service: AnswerService, client: WebClient | None = None,
               store: ConversationStore | None = None) -> App:
    """The Bolt app with newsbot's listeners; pass `client` to point it at another Web API."""
    client = client or WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
    app = App(client=client, signing_secret=settings.slack_signing_secret.get_secret_value() or None,
              listener_executor=ThreadPoolExecutor(settings.slack_workers, thread_name_prefix="newsbot-slack"),
              logger=logging.getLogger("newsbot.bolt"))
    bot = SlackBot(settings, service, store or ConversationStore(service.index.engine))
    _register_messages(app, bot)
    _register_command(app, bot)
    _register_buttons(app, bot)
    return app


def _ask_in_thread(bot: SlackBot, client: WebClient, event: dict) -> None:
    """Answer a mention or DM in its thread, unless the user is over the rate limit."""
    channel, user = event["channel"], event.get("user", "")
    thread_ts = event.get("thread_ts") or event["ts"]
    refusal = bot.over_limit(user)
    if refusal:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=refusal)
        return
    Responder(bot, client, channel, thread_ts, user).run(question_text(event.get("text", "")), event["ts"])


def _from_a_bot(event: dict) -> bool:
    """Bots (this one included), edits and deletions are never answered: no loops."""
    return bool(event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES or event.get("subtype"))


def _register_messages(app: App, bot: SlackBot) -> None:
    """@mentions in channels and direct messages."""

    @app.event("app_mention")
    def on_mention(event, client):
        if not _from_a_bot(event):
            _ask_in_thread(bot, client, event)

    @app.event("message")
    def on_message(event, client):
        if event.get("channel_type") == "im" and not _from_a_bot(event):
            _ask_in_thread(bot, client, event)


def _register_command(app: App, bot: SlackBot) -> None:
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
            blocks, text = bot.render(command.get("text", ""), channel, f"command-{uuid.uuid4().hex}", user,
                                      shareable=True)
        except Exception:  # an apology with a reference, never a traceback
            blocks, text = bot.apology()
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)


def _register_buttons(app: App, bot: SlackBot) -> None:
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
