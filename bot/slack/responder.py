"""Answering one Slack question: rate limits, channel scopes, loading status, the answer or an apology."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answering.models import Answer
from bot.answering.service import AnswerService
from bot.answering.timescope import scope
from bot.slack import blocks as kit
from bot.slack.delivery import Delivery
from bot.slack.scopes import ChannelScopes
from bot.slack.store import ConversationStore
from index.errors import QuestionError, ServerUnavailable
from index.query import Filters
from index.settings import Settings

log = logging.getLogger("newsbot.slack")
THINKING = "hourglass_flowing_sand"
TITLE_LIMIT = 80  # a thread title people can read at a glance


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
    """One question answered in its thread: loading status (or the old ⏳ and placeholder), answer or apology."""

    def __init__(self, bot: "SlackAnswerer", client: WebClient, channel: str, thread_ts: str, user: str,
                 team: str = "", filters: Filters | None = None):
        self.bot, self.client = bot, client
        self.channel, self.thread_ts, self.user, self.team = channel, thread_ts, user, team
        self.filters = filters if filters is not None else bot.filters_for(channel)

    def run(self, question: str, message_ts: str | None) -> bool:
        """Show progress, answer in the thread, then clear the progress; False when nothing could be posted there."""
        legacy = not self._set_status()
        reply = Delivery(self.client, self.channel, self.thread_ts, self.user, self.team, legacy=legacy)
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
        except QuestionError as exc:
            text = f"Sorry, I can't answer that: {exc}."
            self._safely(lambda: reply.show(kit.progress_blocks(text), text))
        except ServerUnavailable as exc:  # one reply in the thread; the next question tries the server again
            log.warning("answering: %s", exc)
            text = "Sorry, search is unavailable right now. Please ask again in a moment."
            self._safely(lambda: reply.show(kit.progress_blocks(text), text))
        except Exception:  # every failure reaches the user as an apology, never a traceback
            blocks, text = self.bot.apology()
            self._safely(lambda: reply.show(blocks, text))
        finally:
            if legacy and message_ts:
                self._react("reactions_remove", message_ts)
            if not legacy and reply.ts is None:  # nothing reached the thread: the status would linger
                self._safely(lambda: self.client.assistant_threads_setStatus(
                    channel_id=self.channel, thread_ts=self.thread_ts, status=""))
        return reply.ts is not None

    def _set_status(self) -> bool:
        """Slack's loading status with honest messages; False where this surface refuses it."""
        try:
            self.client.assistant_threads_setStatus(channel_id=self.channel, thread_ts=self.thread_ts,
                                                    status="is searching the articles…",
                                                    loading_messages=self.bot.loading_messages(self.filters))
            return True
        except SlackApiError as exc:
            log.info("loading status refused here (%s); using a placeholder", exc.response.get("error"))
            return False

    def _title(self, question: str) -> None:
        """Name a new DM thread after its first question (shown in the app's history)."""
        self._safely(lambda: self.client.assistant_threads_setTitle(
            channel_id=self.channel, thread_ts=self.thread_ts, title=kit.trim(" ".join(question.split()), TITLE_LIMIT)))

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
        self.scopes = scopes or ChannelScopes.from_setting(settings.slack_channel_scopes)
        self.limiter = RateLimiter(settings.slack_rate_limit, settings.slack_rate_window)

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
        out = [f"{searched}…", f"Reading the best {self.settings.passages_k} passages…"]
        if self.service.llm is not None:
            out.append("Writing an answer from those passages…")
        return out + ["Checking every quote against its article…"]

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
