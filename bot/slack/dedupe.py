"""Each Slack event is answered once: its event_id is claimed in the shared database, so replays, Slack's
retries (X-Slack-Retry-Num) and several bot processes behind one URL agree on who answers.

Slack retries an event three times within about five minutes when its ack was slow or lost; claimed
ids are kept for an hour, then swept.
"""

from __future__ import annotations

import logging
import time

from slack_bolt.response import BoltResponse
from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import IntegrityError

from index import migrate
from index.schema import slack_seen_events as seen_events

log = logging.getLogger("newsbot.slack")
KEEP_SECONDS = 3600.0  # far beyond Slack's last retry
SWEEP_EVERY = 60.0

class EventClaims:
    """First come, first answered: an event id can be claimed once, by one process, until it expires."""

    def __init__(self, engine: Engine, keep: float = KEEP_SECONDS, clock=time.time):
        self.engine, self.keep, self.clock = engine, keep, clock
        self._swept = 0.0
        migrate.ensure(engine)

    def claim(self, event_id: str) -> bool:
        """True for the first delivery of this event (anywhere); False for a replay or a retry."""
        now = self.clock()
        try:
            if now - self._swept >= SWEEP_EVERY:
                self._swept = now
                with self.engine.begin() as conn:
                    conn.execute(delete(seen_events).where(seen_events.c.seen_at < now - self.keep))
            with self.engine.begin() as conn:
                conn.execute(insert(seen_events).values(event_id=event_id, seen_at=now))
            return True
        except IntegrityError:
            return False
        except Exception:  # noqa: BLE001 - a database that cannot record it: answering twice beats never
            log.warning("could not record Slack event %s as seen; answering it", event_id, exc_info=True)
            return True


def dedupe_events(engine: Engine, claims: EventClaims | None = None):
    """A Bolt global middleware acknowledging, without answering again, an event already claimed."""
    claims = claims or EventClaims(engine)

    def dedupe_slack_events(body: dict, request, next):  # noqa: A002 - Bolt passes arguments by name
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not claims.claim(str(event_id)):
            retry = (request.headers.get("x-slack-retry-num") or ["-"])[0]
            log.info("Slack event %s seen before (retry %s): acknowledged, not answered again", event_id, retry)
            return BoltResponse(status=200, body="")
        return next()

    return dedupe_slack_events
