"""Getting one answer into its thread: streamed natively, or posted at once, or the old placeholder edited in place.

Only checked text is ever shown. Streamed text is the LLM's answer with its markers already checked
against the passages; if the final answer is not that text (the model refused, cited nothing, or
failed, so the extractive answer stands), the streamed message is replaced by the final one.

The stream is started with Bolt's own `say_stream` (and the status and title set with its `set_status`
and `set_title`: ThreadTools). Delivery stays as a thin wrapper because Bolt's helper only returns
slack_sdk's ChatStream: it has no fallback when a workspace refuses streaming (the placeholder), no
replacement of a stream that failed mid-way or that the final answer does not extend, no spacing of
appends under appendStream's rate limit, and no retry without Slack's feedback buttons (invalid_blocks).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slack_bolt import SayStream, SetStatus, SetTitle
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answering.models import Answer
from bot.slack import blocks as kit

log = logging.getLogger("newsbot.slack")
STREAM_EVERY = 0.4  # seconds between appends to a native stream (appendStream is rate limited)
UPDATE_EVERY = 1.0  # seconds between edits of the placeholder (chat.update is rate limited harder)


@dataclass(frozen=True)
class ThreadTools:
    """Bolt's helpers for the thread an answer goes in: loading status, native stream, thread title."""

    set_status: SetStatus
    say_stream: SayStream
    set_title: SetTitle

    @classmethod
    def of(cls, client: WebClient, channel: str, thread_ts: str, user: str = "", team: str = "",
           injected: dict | None = None) -> ThreadTools:
        """The helpers Bolt injected into the listener; Bolt's same classes where it injects none.

        Bolt injects them into event listeners, for the event's thread (the one a mention or DM is
        answered in), and set_title only in assistant threads; shortcuts and modals get none, so a
        shortcut's answer, a modal's and a new DM thread's title use the classes built here.
        """
        given = {k: v for k, v in (injected or {}).items() if v is not None}
        return cls(set_status=given.get("set_status") or SetStatus(client, channel, thread_ts),
                   say_stream=given.get("say_stream") or SayStream(
                       client=client, channel=channel, thread_ts=thread_ts,
                       recipient_user_id=user or None, recipient_team_id=team or None),
                   set_title=given.get("set_title") or SetTitle(client, channel, thread_ts))


class Delivery:
    """One reply in one thread. Modes: 'post' (nothing shown yet), 'stream', 'placeholder'."""

    def __init__(self, client: WebClient, channel: str, thread_ts: str, say_stream: SayStream,
                 legacy: bool = False):
        self.client, self.channel, self.thread_ts = client, channel, thread_ts
        self.say_stream = say_stream
        self.legacy = legacy  # no AI-app surface here: placeholder, chat.update and our own buttons
        self.mode = "post"
        self.ts: str | None = None  # the message holding the reply, once there is one
        self.stream = None
        self.sent = ""  # escaped markdown streamed so far
        self.pending = ""  # checked text not yet streamed
        self.broken = False  # the stream failed mid-way: no more appends, the final answer replaces it
        self.closed = False  # the stream was stopped (or its stop attempted)
        self._last = 0.0

    def placeholder(self, text: str = "Searching the articles…") -> None:
        """The old progress message, edited into the answer later."""
        posted = self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts, text=text,
                                              blocks=kit.progress_blocks(text))
        self.mode, self.ts = "placeholder", posted["ts"]

    def partial(self, text: str) -> None:
        """The checked answer so far, while an LLM writes it."""
        if self.mode == "post" and not self.legacy:
            self._start_stream()
        if self.mode == "stream":
            self._stream_to(text)
        elif self.mode == "placeholder":
            self._update_placeholder(text)

    def _start_stream(self) -> None:
        """A native stream (Bolt's say_stream), or the placeholder when streaming is refused."""
        try:  # the stream starts on its first append (buffer_size=1): a refusal shows up there, in _stream_failed
            self.stream = self.say_stream(buffer_size=1)
            self.mode = "stream"
        except Exception as exc:
            log.info("streaming unavailable (%s); editing a placeholder instead", exc)
            self.placeholder()

    def _stream_to(self, text: str) -> None:
        """Append what is new since the last append, at most every STREAM_EVERY seconds."""
        if self.broken:
            return
        self.pending = text
        now = time.monotonic()
        if self.sent and now - self._last < STREAM_EVERY:
            return
        delta = self._delta(text)
        if not delta:
            return
        try:
            self.stream.append(markdown_text=delta)
        except Exception as exc:
            self._stream_failed(exc)
            return
        self.ts = self.stream.ts
        self.sent += delta
        self._last = now

    def _delta(self, text: str) -> str:
        """The escaped text not yet streamed; '' when the text no longer extends what was sent."""
        full = kit.escape_markdown(text)[: kit.MARKDOWN_LIMIT - 500]
        return full[len(self.sent):] if full.startswith(self.sent) else ""

    def _stream_failed(self, exc: Exception) -> None:
        """A stream that failed before any text is the placeholder's job; one that failed mid-way waits for the end."""
        log.warning("streaming failed (%s); the final answer will replace it", exc)
        self.ts = self.ts or (self.stream.ts if self.stream else None)
        if self.ts:
            self.broken = True
        else:
            self.mode = "post"
            self.placeholder()

    def _update_placeholder(self, text: str) -> None:
        """Edit the placeholder with the text so far, at most once a second."""
        now = time.monotonic()
        if now - self._last >= UPDATE_EVERY and text != self.sent:  # the same text again is a wasted call
            self._last, self.sent = now, text
            self.client.chat_update(channel=self.channel, ts=self.ts, text=kit.trim(text, 3000),
                                    blocks=kit.progress_blocks(text + " …"))

    def finish(self, answer: Answer, answer_id: str) -> str:
        """Show the final answer with its sources and feedback; returns the message's ts."""
        final = kit.escape_markdown(answer.answer)
        if self.mode == "stream" and not self.broken and final.startswith(self.sent):
            tail = kit.answer_blocks(answer, answer_id, native=True, with_text=False)
            chunk = kit.sources_chunk(answer)
            if self._stop(final[len(self.sent): kit.MARKDOWN_LIMIT - 500], tail, [chunk] if chunk else None):
                return self.ts
        return self.show(kit.answer_blocks(answer, answer_id, native=not self.legacy), kit.fallback_text(answer))

    def show(self, blocks: list[dict], text: str) -> str:
        """Put finished blocks in the reply: replace what is there (stream or placeholder), else post."""
        if self.mode == "stream" and self.stream is not None and self.stream.ts and not self.closed:
            self._stop("", None)  # finalise what streamed, then replace it
        if self.ts:
            try:
                return self._send(self.client.chat_update, blocks, channel=self.channel, ts=self.ts, text=text)
            except SlackApiError as exc:
                log.warning("could not replace the reply (%s); posting it anew", exc.response.get("error"))
        self.ts = self._send(self.client.chat_postMessage, blocks, channel=self.channel, thread_ts=self.thread_ts,
                             text=text)
        return self.ts

    def _stop(self, rest: str, tail: list[dict] | None, chunks: list[dict] | None = None) -> bool:
        """Stop the stream with the rest of the text, a sources task and the blocks beneath; False when that fails."""
        attempts = [(rest or None, tail), (None, kit.classic(tail))] if tail else [(rest or None, None)]
        self.closed = True  # one way or another: a stream is stopped once
        for text, blocks in attempts:  # the rest stays buffered in the stream after a refused stop
            try:
                self.stream.stop(markdown_text=text, blocks=blocks, chunks=chunks)
                self.ts = self.stream.ts
                return True
            except SlackApiError as exc:
                if exc.response.get("error") != "invalid_blocks":
                    break
            except Exception:  # noqa: BLE001 - stopped already, or never started
                break
        log.warning("could not stop the stream; the answer replaces it")
        self.ts = self.ts or self.stream.ts
        return False

    def _send(self, method, blocks: list[dict], **kwargs) -> str:
        """Send with Slack's feedback buttons, or with ours when this surface refuses those."""
        try:
            return method(blocks=blocks, **kwargs)["ts"]
        except SlackApiError as exc:
            if exc.response.get("error") != "invalid_blocks" or kit.classic(blocks) == blocks:
                raise
            log.info("feedback buttons refused here; using our own")
            return method(blocks=kit.classic(blocks), **kwargs)["ts"]
