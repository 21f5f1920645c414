"""A fake Slack Web API on 127.0.0.1: speaks the HTTP protocol the SDK uses and records every call."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BOT_USER = "UNEWSBOT"


class _Server(ThreadingHTTPServer):
    """Slack's side takes bursts: a listen backlog far beyond socketserver's 5."""

    daemon_threads = True
    request_queue_size = 1024


class FakeSlack:
    """Records API calls as (method, args); answers like Slack does, with ok and fresh ts values."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self._ts = itertools.count(1)
        # set to an error code ("invalid_auth") to refuse auth.test the way Slack does; the refusal
        # echoes the request's Authorization header, as some upstream errors do
        self.refuse_auth: str | None = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                args = fake.parse(body, self.headers.get("Content-Type", ""))
                method = self.path.rsplit("/", 1)[-1]
                fake.record(method, args)
                reply = fake.reply(method, args)
                if method == "auth.test" and fake.refuse_auth:
                    reply = {"ok": False, "error": fake.refuse_auth, "echo": self.headers.get("Authorization", "")}
                payload = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> "FakeSlack":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    @staticmethod
    def parse(body: str, content_type: str) -> dict:
        """Form-encoded or JSON arguments, with JSON-valued form fields (blocks) decoded."""
        if "json" in content_type:
            return json.loads(body or "{}")
        args = {k: v[0] for k, v in parse_qs(body).items()}
        for key in ("blocks", "attachments"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    def record(self, method: str, args: dict) -> None:
        with self.lock:
            self.calls.append((method, args))

    def reply(self, method: str, args: dict) -> dict:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BNEWSBOT", "team_id": "T1", "user": "newsbot"}
        if method in ("chat.postMessage", "chat.update"):
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts") or f"{time.time():.0f}.{next(self._ts):06d}"}
        return {"ok": True}

    def of(self, method: str) -> list[dict]:
        """Arguments of every call of one method, in order."""
        with self.lock:
            return [a for m, a in self.calls if m == method]


def sign(secret: str, body: str, timestamp: int | None = None) -> dict:
    """Headers of a correctly signed Slack request (v0 HMAC-SHA256)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def post(url: str, body: str, headers: dict, content_type: str) -> tuple[int, str]:
    """POST over real HTTP; returns (status, body) for errors too."""
    req = urllib.request.Request(url, data=body.encode(), headers={**headers, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()
