"""Answering one Slack question: rate limits, progress, streamed updates, the answer or an apology."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque

from slack_sdk import WebClient

from bot.answering.service import AnswerService
from bot.slack import blocks as kit
from bot.slack.store import ConversationStore
from index.errors import QuestionError
from index.settings import Settings

log = logging.getLogger("newsbot.slack")
THINKING = "hourglass_flowing_sand"


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

    def __init__(self, bot: "SlackAnswerer", client: WebClient, channel: str, thread_ts: str, user: str):
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
            blocks, text = self.bot.answer_and_record(question, self.channel, self.thread_ts, self.user,
                                                      self.partial)
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


class SlackAnswerer:
    """Slack-facing behaviour shared by events, the slash command and buttons."""

    def __init__(self, settings: Settings, service: AnswerService, store: ConversationStore):
        self.settings, self.service, self.store = settings, service, store
        self.limiter = RateLimiter(settings.slack_rate_limit, settings.slack_rate_window)

    def answer_and_record(self, question: str, channel: str, thread_ts: str, user: str, on_partial=None,
                          shareable: bool = False) -> tuple[list[dict], str]:
        """Answer with the thread's earlier turns as context, save the answer, and return (blocks, fallback text)."""
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
