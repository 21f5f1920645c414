"""Digests in Slack: `/ask digest [topic]` on demand, and scheduled digests (NEWSBOT_DIGESTS), each posted once
however many bot processes run: the poster holds the digest lock and claims the post in the database first."""

from __future__ import annotations

import logging
import re
import threading
import time
from datetime import date, datetime, timedelta

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from bot.answering.briefs.digest import Digest, DigestBuilder, digest_for
from bot.settings import Settings
from bot.slack import blocks as kit
from bot.slack.apology import apology
from index import migrate
from index.errors import WriterBusy
from index.lock import digest_lock
from index.reader import IndexReader
from index.schema import slack_digests as posts

log = logging.getLogger("newsbot.slack")
COMMAND = re.compile(r"^\s*digest\b[\s:,-]*(?P<topic>.*?)\s*$", re.I)

def today(settings: Settings) -> datetime:
    """Now in the digests' time zone (the machine's own when none is set)."""
    if settings.slack.digest_timezone:
        return datetime.now(settings.slack.digest_timezone)
    return datetime.now().astimezone()


def digest_blocks(digest: Digest, scheduled: str = "") -> list[dict]:
    """A header, each story's lead quote with its linked source and how many more articles, and what was searched."""
    blocks: list[dict] = [{"type": "header", "text": kit.plain(digest.title(), 150)}]
    for n, story in enumerate(digest.stories, 1):
        more = f" · +{len(story.more)} more article{'s' if len(story.more) != 1 else ''}" if story.more else ""
        blocks.append({"type": "section", "text": kit.plain(f"“{kit.trim(story.lead.text, kit.QUOTE_LIMIT)}”")})
        line = kit.trim(kit.source_line(story.lead.citation(n)) + more, kit.SECTION_LIMIT)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": line}]})
    if not digest.stories:
        blocks.append({"type": "section", "text": kit.plain("No dated articles were published in this period"
                                                            + (f" on {digest.topic}." if digest.topic else "."))})
    footer = digest.searched.describe() + "." + (f" Scheduled for {scheduled}." if scheduled else "")
    if digest.left_out:
        footer += f" {digest.left_out} smaller stor{'ies' if digest.left_out != 1 else 'y'} not shown."
    blocks.append({"type": "context", "elements": [kit.plain(footer, 2000)]})
    return blocks[: kit.BLOCK_LIMIT]


def register_digest_command(app: App, settings: Settings, index: IndexReader, over_limit=None) -> None:
    """`/ask digest [topic]`: the day's stories, only the asker sees them (register before the general /ask)."""
    builder = DigestBuilder(index, settings)

    def is_digest(command: dict) -> bool:
        return bool(COMMAND.match(command.get("text", "")))

    @app.command("/ask", matchers=[is_digest])
    def on_digest(ack, command, respond):
        ack(text="Gathering the digest…", response_type="ephemeral")
        refusal = over_limit(command.get("user_id", "")) if over_limit else None
        if refusal:
            respond(text=refusal, response_type="ephemeral")
            return
        try:
            digest = digest_for(builder, COMMAND.match(command.get("text", "")).group("topic"), today(settings).date())
            blocks, text = digest_blocks(digest), kit.escape(digest.title())
        except Exception as exc:  # an apology, never a traceback
            sorry = apology(exc, "making the digest")
            blocks, text = sorry.blocks, sorry.text
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)


class DigestScheduler:
    """Posts each scheduled digest once a day at its time, whichever of several bot processes gets there first."""

    def __init__(self, settings: Settings, index: IndexReader, engine: Engine, client: WebClient):
        self.settings, self.engine, self.client = settings, engine, client
        self.builder = DigestBuilder(index, settings)
        self._stop = threading.Event()
        migrate.ensure(engine)

    def start(self) -> "DigestScheduler":
        """Check now and every NEWSBOT_DIGEST_CHECK_SECONDS on a background thread."""
        threading.Thread(target=self._loop, name="newsbot-digests", daemon=True).start()
        return self

    def stop(self) -> None:
        """End the background checks."""
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - a failed check (the database away) must not end the schedule
                log.exception("scheduled digest check failed")
            self._stop.wait(self.settings.slack.digest_check_seconds)

    def tick(self, now: datetime | None = None) -> list[str]:
        """Post the digests that are due and not yet posted today; returns the channels posted to."""
        now = now or today(self.settings)
        posted = []
        for channel, at, topic in self.settings.slack.digests:
            if now.strftime("%H:%M") < at or self._claimed(channel, now.date(), at):
                continue
            try:
                with digest_lock(self.settings.index.data_dir, self.engine):
                    if self._claim(channel, now.date(), at):
                        self._post(channel, topic, now.date(), at)
                        posted.append(channel)
            except WriterBusy:  # another bot process is posting; the next check sees its claim
                continue
            except Exception:  # noqa: BLE001 - one channel's failure must not hold up the others
                log.exception("scheduled digest for %s at %s failed; trying again at the next check", channel, at)
        return posted

    def _claimed(self, channel: str, day: date, at: str) -> bool:
        """Has some process claimed this digest?"""
        c = posts.c
        with self.engine.connect() as conn:
            return conn.execute(select(c.channel).where(
                (c.channel == channel) & (c.day == day.isoformat()) & (c.at == at))).first() is not None

    def _claim(self, channel: str, day: date, at: str) -> bool:
        """Claim the digest for this process (the key is unique, so only one claim succeeds)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(posts).values(channel=channel, day=day.isoformat(), at=at, claimed_at=time.time()))
            return True
        except IntegrityError:
            return False

    def _post(self, channel: str, topic: str, day: date, at: str) -> None:
        """Post the digest; a failed post gives the claim back so the next check tries again."""
        try:
            digest = self.builder.build(topic, day - timedelta(days=1), day)
            self.client.chat_postMessage(channel=channel, text=kit.escape(digest.title()),
                                         blocks=digest_blocks(digest, at), unfurl_links=False)
        except Exception:
            c = posts.c
            with self.engine.begin() as conn:
                conn.execute(delete(posts).where((c.channel == channel) & (c.day == day.isoformat()) & (c.at == at)))
            raise


def start_digests(settings: Settings, index: IndexReader, engine: Engine, client: WebClient) -> DigestScheduler | None:
    """The scheduler of NEWSBOT_DIGESTS, started (None when no digest is scheduled)."""
    if not settings.slack.digests:
        return None
    log.info("scheduled digests: %s", ", ".join(f"{c} at {at}" for c, at, _ in settings.slack.digests))
    return DigestScheduler(settings, index, engine, client).start()
