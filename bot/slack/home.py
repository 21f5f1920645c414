"""The App Home tab: what newsbot is, how to ask, what is indexed (and which sources fail), your last questions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack import blocks as kit
from bot.slack.responder import SlackAnswerer
from index.reader import IndexReader
from index.rows import ArticleRow

log = logging.getLogger("newsbot.slack")
HOME_BLOCKS = 100  # a Home tab holds at most 100 blocks
RECENT = 5
WARNINGS_SHOWN = 10
SourceWarnings = Callable[[], list[str]]  # e.g. "Reuters feed: HTTP 503 since 09:12", from the feeds' health
HOW = ("*How to ask*\n"
       "• Mention me in a channel: `@newsbot what does Starmer mean by backstop?`\n"
       "• Message me here, in the Messages tab; follow-ups in a thread keep their context\n"
       "• `/ask …` anywhere: only you see the answer, with a button to share it\n"
       "• On any message, *More actions → Ask newsbot about this*\n"
       "• Paste a link to an indexed article and use *Ask about this article*")


@dataclass(frozen=True)
class IndexStatus:
    """What the Home tab says of the index."""

    articles: int
    newest: ArticleRow | None
    last_indexed: str  # '' when never


def index_status(index: IndexReader) -> IndexStatus:
    """Articles indexed, the newest article and when the index was last written."""
    newest = index.newest_articles(limit=1)
    return IndexStatus(index.article_count(), newest[0] if newest else None, index.last_indexed())


def _when(stamp: str) -> str:
    """'2025-06-01T09:30:00+0000' as '1 June 2025, 09:30' (as given when it cannot be read)."""
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return stamp
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def status_text(status: IndexStatus) -> str:
    """The index status as mrkdwn, every article string escaped."""
    n = status.articles
    lines = [f"*Index*\n• *{n:,}* article{'' if n == 1 else 's'}"]
    newest = status.newest
    if newest:
        date = kit.escape(newest.published or "undated")
        title = kit.link(newest.url, newest.title or "untitled")
        lines.append(f"• Newest article: {date} — {title}")
    when = status.last_indexed
    lines.append(f"• Last indexed: {kit.escape(_when(when)) if when else 'never'}")
    return "\n".join(lines)


def question_lines(client: WebClient, questions: list[dict]) -> list[str]:
    """A user's last questions, each linked to its thread when Slack gives a permalink."""
    out = []
    for q in questions:
        text = kit.escape(kit.trim(" ".join(q["question"].split()), 150))
        if q["thread_ts"].startswith("command-"):
            out.append(f"• {text} _(asked with /ask)_")
            continue
        try:
            permalink = client.chat_getPermalink(channel=q["channel"], message_ts=q["thread_ts"])["permalink"]
        except Exception as exc:
            log.debug("no permalink for %s/%s: %s", q["channel"], q["thread_ts"], exc)
            permalink = ""
        out.append(f"• {kit.link(permalink, kit.trim(q['question'], 150)) if permalink else text}")
    return out


def home_view(status: IndexStatus, questions: list[str], warnings: list[str]) -> dict:
    """The Home tab view."""
    blocks = [
        {"type": "header", "text": kit.plain("newsbot", 150)},
        {"type": "section", "text": kit.mrkdwn(
            "I answer questions from the indexed news articles only, citing every claim with the exact passage "
            "it comes from and a link to its article. When the articles don't hold the answer, I say so.")},
        {"type": "section", "text": kit.mrkdwn(HOW)},
        {"type": "divider"},
        {"type": "section", "text": kit.mrkdwn(status_text(status))},
    ]
    if warnings:
        shown = "\n".join(f"• {kit.escape(kit.trim(w, 300))}" for w in warnings[:WARNINGS_SHOWN])
        more = f"\n…and {len(warnings) - WARNINGS_SHOWN} more" if len(warnings) > WARNINGS_SHOWN else ""
        blocks.append({"type": "section", "text": kit.mrkdwn(f"*:warning: Sources that are failing*\n{shown}{more}")})
    blocks.append({"type": "divider"})
    recent = "\n".join(questions) if questions else "Nothing yet: ask me something!"
    blocks.append({"type": "section", "text": kit.mrkdwn(f"*Your last questions*\n{recent}")})
    return {"type": "home", "blocks": blocks[:HOME_BLOCKS]}


def register(app: App, bot: SlackAnswerer, source_warnings: SourceWarnings | None = None) -> None:
    """Publish the Home tab each time a user opens it (counts change as articles are indexed)."""

    @app.event("app_home_opened", matchers=[lambda event: event.get("tab", "home") == "home"])
    def on_home_opened(event, client):
        user = event.get("user", "")
        warnings: list[str] = []
        if source_warnings is not None:
            try:
                warnings = [str(w) for w in source_warnings()]
            except Exception:
                log.exception("source warnings could not be read")
                warnings = ["Could not read the state of the sources (see the bot's log)."]
        questions = question_lines(client, bot.store.recent_questions(user, RECENT))
        view = home_view(index_status(bot.service.index), questions, warnings)
        client.views_publish(user_id=user, view=view)
