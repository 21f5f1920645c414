"""The agent / assistant view: suggested prompts when someone opens the bot's DM or a new assistant thread.

Slack's agent messaging experience (`agent_view`) tells the app the DM opened with `app_home_opened`
on the `messages` tab, and takes prompts without a thread_ts; the older assistant experience
(`assistant_view`) sends `assistant_thread_started`, and prompts go on that thread. Both are handled.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import App, Assistant

from bot.slack.conversation import ask_in_thread, from_a_bot
from bot.slack.responder import SlackAnswerer
from index.reader import IndexReader

log = logging.getLogger("newsbot.slack")
MAX_PROMPTS = 4  # assistant.threads.setSuggestedPrompts takes up to four
PROMPTS_TITLE = "Ask about the latest news"
TOPIC_LIMIT = 60
# a headline's topic is its opening words, up to the first verb or linking word ("Starmer says …" → "Starmer")
TOPIC_END = {"says", "said", "say", "to", "is", "are", "was", "were", "will", "would", "has", "have", "had",
             "calls", "urges", "warns", "vows", "plans", "wants", "after", "as", "in", "on", "for", "with",
             "over", "amid", "at", "by", "of", "from", "could", "may", "can", "and", "but", "–", "-", "—", ":"}
URL = re.compile(r"\S*://\S*|\bwww\.\S+", re.I)
UNSAFE = re.compile(r"[<>&*_~`|\[\]#@!]+")  # markup of any Slack flavour, and mention/link syntax


def topic(title: str) -> str:
    """A headline's topic as plain words: no urls, mentions, links or formatting, at most TOPIC_LIMIT characters."""
    clean = " ".join(UNSAFE.sub(" ", URL.sub(" ", title or "")).split())
    words = []
    for word in clean.split():
        if words and word.lower().strip(",.;") in TOPIC_END:
            break
        words.append(word)
    text = " ".join(words).strip(" ,.;:'\"‘’“”?")
    if len(text) > TOPIC_LIMIT:
        text = text[:TOPIC_LIMIT].rsplit(" ", 1)[0]
    return text


def prompts_from_index(index: IndexReader) -> list[dict]:
    """'What's the latest on …?' for the topics of the newest articles, distinct, at most four."""
    out: dict[str, dict] = {}
    for article in index.newest_articles(limit=20):
        name = topic(article.title)
        if len(name) >= 3 and name.lower() not in out:
            out[name.lower()] = {"title": f"Latest on {name}", "message": f"What's the latest on {name}?"}
        if len(out) == MAX_PROMPTS:
            break
    return list(out.values())


class Prompts:
    """The suggested prompts: the configured list, else built from the index each time (it changes)."""

    def __init__(self, settings, index: IndexReader):
        configured = settings.slack.suggested_prompts  # checked when the settings were read
        self.configured = None if configured is None else [p._asdict() for p in configured]
        self.index = index

    def __call__(self) -> list[dict]:
        return self.configured if self.configured is not None else prompts_from_index(self.index)


def register(app: App, bot: SlackAnswerer, prompts: Prompts) -> None:
    """Prompts on the DM's Messages tab and on new assistant threads; assistant-thread replies answered."""
    assistant = Assistant(logger=log)

    @assistant.thread_started
    def on_thread_started(set_suggested_prompts):
        if got := prompts():
            set_suggested_prompts(prompts=got, title=PROMPTS_TITLE)

    @assistant.user_message
    def on_thread_message(event, client, context, set_status, say_stream, set_title):
        if not from_a_bot(event):
            ask_in_thread(bot, client, event, context.team_id or "", set_status=set_status, say_stream=say_stream,
                          set_title=set_title)

    app.assistant(assistant)

    @app.event("app_home_opened", matchers=[lambda event: event.get("tab") == "messages"])
    def on_messages_tab(event, client):
        if got := prompts():
            try:
                client.assistant_threads_setSuggestedPrompts(channel_id=event["channel"], title=PROMPTS_TITLE,
                                                             prompts=got)
            except Exception as exc:
                log.info("suggested prompts refused: %s", exc)
