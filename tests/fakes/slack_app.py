"""The real Bolt app served on 127.0.0.1 against the fake Web API, with senders of signed Slack requests."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlencode

from helpers import wait_for

from bot.slack.app import create_app
from bot.slack.serve import serve_http
from bot.slack.store import ConversationStore
from fakes.slack import BOT_USER, FakeSlack, post, sign
from index.db import make_engine

SECRET = "test-signing-secret"
TOKEN = "xoxb-1111-2222-secrettoken"


class SlackHarness:
    """The Bolt app served on 127.0.0.1, the fake Web API it talks to, and signed senders.

    legacy=True makes the fake refuse the loading status, as a workspace without the AI-app surface does.
    """

    def __init__(self, settings, service, legacy: bool = False, fake: FakeSlack | None = None, ready=None,
                 **app_options):
        self.fake = fake or FakeSlack()
        self.fake.start()
        if legacy:
            self.fake.refuse("assistant.threads.setStatus", "not_allowed_token_type")
        settings = settings.override(SLACK_API_URL=self.fake.url + "/api/")
        self.store = ConversationStore(make_engine(settings.sqlalchemy_url))
        self.app = create_app(settings, service, self.store, **app_options)
        self.server = serve_http(self.app, "127.0.0.1", 0, ready=ready)  # ready(): the /readyz checks
        self.url = f"http://127.0.0.1:{self.server.server_port}/slack/events"
        self._n = 0

    def event(self, event: dict, headers: dict | None = None) -> int:
        self._n += 1
        body = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1",
                           "event_id": f"Ev{self._n}-{time.time_ns()}", "event_time": int(time.time()),
                           "event": event,
                           "authorizations": [{"user_id": BOT_USER, "is_bot": True, "team_id": "T1"}]})
        return post(self.url, body, headers if headers is not None else sign(SECRET, body), "application/json")[0]

    def form(self, fields: dict) -> tuple[int, str]:
        body = urlencode(fields)
        return post(self.url, body, sign(SECRET, body), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict) -> tuple[int, str]:
        """A block action, shortcut or view submission, as Slack posts it."""
        base = {"user": {"id": "U1"}, "team": {"id": "T1"}, "api_app_id": "A1", "trigger_id": "t2"}
        return self.form({"payload": json.dumps({**base, **payload})})

    def command(self, text: str, user: str = "U1", channel: str = "C1") -> tuple[int, str]:
        return self.form({"command": "/ask", "text": text, "user_id": user, "channel_id": channel, "team_id": "T1",
                          "response_url": self.fake.url + "/response/1", "trigger_id": "t1"})

    def click(self, action_id: str, value: str, user: str = "U1", **extra) -> tuple[int, str]:
        payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": "C1"},
                   "response_url": self.fake.url + "/response/2",
                   "container": {"type": "message", "channel_id": "C1"},
                   "actions": [{"action_id": action_id, "value": value, "type": "button", "block_id": "newsbot_actions"}],
                   **extra}
        return self.interaction(payload)

    def submit(self, view: dict, values: dict, user: str = "U1") -> tuple[int, str]:
        """Submit a modal the app opened, with values {block_id: {action_id: value-object}}."""
        submitted = {**view, "id": "V1", "state": {"values": values}}
        return self.interaction({"type": "view_submission", "user": {"id": user}, "view": submitted})

    def final_answers(self, n: int = 1) -> list[dict]:
        """The first n finished answers (they end with feedback buttons), however they were delivered."""
        def done():
            got = self.fake.answers()
            return got if len(got) >= n else None
        return wait_for(done)

    def close(self):
        self.server.shutdown()
        self.fake.stop()


def mention(text: str, ts: str = "100.1", channel: str = "C1", **extra) -> dict:
    return {"type": "app_mention", "user": "U1", "text": f"<@{BOT_USER}> {text}", "ts": ts, "channel": channel, **extra}


def dm(text: str, ts: str = "200.1", user: str = "U2", **extra) -> dict:
    return {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": "D1", **extra}


def apology_reference(text: str, doing: str = "answering") -> str:
    """The reference in a Slack apology for an unexpected failure, after checking the apology's one format."""
    found = re.fullmatch(rf"Sorry, something went wrong while {doing}\. Reference: ([0-9a-f]{{8}})", text)
    assert found, f"not an apology in the one format: {text!r}"
    return found.group(1)


def texts_of(blocks: list[dict]) -> str:
    """Every text in a list of blocks, one per line."""
    out = []
    for b in blocks:
        if isinstance(b.get("text"), str):
            out.append(b["text"])
        elif "text" in b:
            out.append(b["text"]["text"])
        for e in b.get("elements", []):
            out.append(e.get("text") if isinstance(e.get("text"), str) else e.get("text", {}).get("text", ""))
    return "\n".join(x for x in out if x)
