"""Answering one Slack question: rate limits, channel scopes, loading status, the answer or an apology."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answering.models import Answer
from bot.answering.service import AnswerService
from bot.answering.time.timescope import scope
from bot.settings import Settings
from bot.slack import blocks as kit
from bot.slack.apology import apology, too_many
from bot.slack.delivery import Delivery, ThreadTools
from bot.slack.scopes import ChannelScopes
from bot.slack.store import ConversationStore
from index.errors import ServerUnavailable
from index.query import Filters

log = logging.getLogger("newsbot.slack")
THINKING = "hourglass_flowing_sand"
TITLE_LIMIT = 80  # a thread title people can read at a glance


class RateLimiter:
    """At most `limit` questions per user in any `window` seconds."""

    def __init__(self, limit: int, window: float, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: dict[str, deque] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def allow(self, user: str) -> bool:
        """Count a question; False when the user is over the limit."""
        now = self.clock()
        with self._lock:
            if now - self._swept > self.window:  # users quiet for a window are forgotten: a workspace's
                self._sweep(now)  # every asker must not stay in memory for the life of the process
            seen = self._seen.setdefault(user, deque())
            while seen and now - seen[0] > self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            return True

    def _sweep(self, now: float) -> None:
        """Drop the users with no question inside the window (called under the lock)."""
        self._seen = {u: s for u, s in self._seen.items() if s and now - s[-1] <= self.window}
        self._swept = now

    def tracked(self) -> int:
        """How many users are remembered (for tests and memory checks)."""
        with self._lock:
            return len(self._seen)


class Responder:
    """One question answered in its thread: loading status (or the old ⏳ and placeholder), answer or apology."""

    def __init__(self, bot: "SlackAnswerer", client: WebClient, channel: str, thread_ts: str, user: str,
                 team: str = "", filters: Filters | None = None, injected: dict | None = None):
        """injected: Bolt's set_status / say_stream / set_title as its listener received them, if any."""
        self.bot, self.client = bot, client
        self.channel, self.thread_ts, self.user, self.team = channel, thread_ts, user, team
        self.filters = filters if filters is not None else bot.filters_for(channel)
        self.tools = ThreadTools.of(client, channel, thread_ts, user, team, injected)

    def run(self, question: str, message_ts: str | None) -> bool:
        """Show progress, answer in the thread, then clear the progress; False when nothing could be posted there."""
        legacy = not self._set_status()
        reply = Delivery(self.client, self.channel, self.thread_ts, self.tools.say_stream, legacy=legacy)
        try:
            new_thread = not self.bot.store.thread(self.channel, self.thread_ts, limit=1)
            if legacy:  # this surface has no loading status: the ⏳ reaction and a placeholder, as before
                if message_ts:
                    self._react("reactions_add", message_ts)
                reply.placeholder()
            elif new_thread and self.channel.startswith("D"):
                self._title(question)
            answer, answer_id = self.bot.answer_and_record(question, self.channel, self.thread_ts, self.user,
                                                           reply.partial, self.filters)
            reply.finish(answer, answer_id)
        except Exception as exc:  # every failure reaches the user as an apology, never a traceback
            sorry = apology(exc, "answering")
            self._safely(lambda: reply.show(sorry.blocks, sorry.text))
        finally:
            if legacy and message_ts:
                self._react("reactions_remove", message_ts)
            if not legacy and reply.ts is None:  # nothing reached the thread: the status would linger
                self._safely(lambda: self.tools.set_status(status=""))
        return reply.ts is not None

    def _set_status(self) -> bool:
        """Slack's loading status with honest messages; False where this surface refuses it (Bolt's helper raises)."""
        try:
            self.tools.set_status(status="is searching the articles…",
                                  loading_messages=self.bot.loading_messages(self.filters))
            return True
        except SlackApiError as exc:
            log.info("loading status refused here (%s); using a placeholder", exc.response.get("error"))
            return False

    def _title(self, question: str) -> None:
        """Name a new DM thread after its first question (shown in the app's history)."""
        self._safely(lambda: self.tools.set_title(kit.trim(" ".join(question.split()), TITLE_LIMIT)))

    def _react(self, method: str, ts: str) -> None:
        """Reactions are decoration: failing to add one must not stop the answer."""
        self._safely(lambda: getattr(self.client, method)(channel=self.channel, timestamp=ts, name=THINKING))

    @staticmethod
    def _safely(call) -> None:
        """Decoration and last resorts: a failure is logged, never raised."""
        try:
            call()
        except Exception as exc:
            log.debug("Slack call failed: %s", exc)


class SlackAnswerer:
    """Slack-facing behaviour shared by events, the slash command, shortcuts, unfurls and buttons."""

    def __init__(self, settings: Settings, service: AnswerService, store: ConversationStore,
                 scopes: ChannelScopes | None = None):
        self.settings, self.service, self.store = settings, service, store
        self.scopes = scopes or settings.slack.channel_scopes
        self.limiter = RateLimiter(settings.slack.rate_limit, settings.slack.rate_window)

    def filters_for(self, channel: str) -> Filters | None:
        """The channel's default filters (NEWSBOT_SLACK_CHANNEL_SCOPES), or None for everything."""
        return self.scopes.filters(channel)

    def answer_and_record(self, question: str, channel: str, thread_ts: str, user: str, on_partial=None,
                          filters: Filters | None = None) -> tuple[Answer, str]:
        """Answer with the thread's earlier turns as context and save it; raises QuestionError for a bad question."""
        history = self.store.thread(channel, thread_ts)
        answer = self.service.answer(question, history=history, filters=filters, on_partial=on_partial)
        return answer, self.store.save(channel, thread_ts, user, answer)

    def loading_messages(self, filters: Filters | None) -> list[str]:
        """What the bot is doing, honestly: the articles in scope, the passages read, the checks made."""
        try:
            searched = scope(self.service.index, filters).describe().replace("Searched", "Searching", 1)
        except ServerUnavailable:  # the answer itself will say so, once, in the thread
            searched = "Searching the articles"
        out = [f"{searched}…", f"Reading the best {self.settings.retrieval.passages_k} passages…"]
        if self.service.llm is not None:
            out.append("Writing an answer from those passages…")
        return out + ["Checking every quote against its article…"]

    def over_limit(self, user: str) -> str | None:
        """The polite reply when a user asks too much, else None."""
        if self.limiter.allow(user):
            return None
        return too_many(self.settings.slack.rate_limit, self.settings.slack.rate_window).text
