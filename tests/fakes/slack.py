"""A fake Slack Web API on 127.0.0.1: speaks the HTTP protocol the SDK uses and records every call.

It answers like Slack does (ok, fresh ts values, streams that start, grow and stop) and holds to
Slack's documented limits, so an over-long message fails here as it would there. A test can make
it refuse a method (from the first call or after some successful ones) or a block type, the way a
workspace without the AI-app surface refuses `assistant.threads.setStatus` or `chat.startStream`.
"""

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
MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100  # blocks in a message / in a Home tab or modal
SECTION_TEXT, MARKDOWN_TEXT, BUTTON_TEXT, CONTEXT_ELEMENTS = 3000, 12000, 75, 10
FEEDBACK = {"actions", "context_actions"}  # a finished answer ends with its feedback buttons


class _Server(ThreadingHTTPServer):
    """Slack's side takes bursts: a listen backlog far beyond socketserver's 5."""

    daemon_threads = True
    request_queue_size = 1024


class FakeSlack:
    """Records API calls as (method, args); answers like Slack does, within Slack's limits."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.results: list[dict] = []  # what each call got back, by position in calls
        self.lock = threading.Lock()
        self._ts = itertools.count(1)
        # set to an error code ("invalid_auth") to refuse auth.test the way Slack does; the refusal
        # echoes the request's Authorization header, as some upstream errors do
        self.refuse_auth: str | None = None
        self._refused: dict[str, tuple[str, int]] = {}  # method -> (error, successful calls allowed first)
        self._succeeded: dict[str, int] = {}
        self.refused_blocks: set[str] = set()
        self.streams: dict[str, dict] = {}  # ts -> channel, thread_ts, text, stopped
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                args = fake.parse(body, self.headers.get("Content-Type", ""))
                method = self.path.rsplit("/", 1)[-1]
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

    def refuse(self, method: str, error: str = "not_allowed", after: int = 0) -> "FakeSlack":
        """Answer `method` with ok=false and `error`, after `after` successful calls (0: every call)."""
        self._refused[method] = (error, after)
        return self

    def refuse_block(self, block_type: str) -> "FakeSlack":
        """Reject messages holding this block type with invalid_blocks (a surface that lacks it)."""
        self.refused_blocks.add(block_type)
        return self

    @staticmethod
    def parse(body: str, content_type: str) -> dict:
        """Form-encoded or JSON arguments, with JSON-valued form fields (blocks, view) decoded."""
        if "json" in content_type:
            return json.loads(body or "{}")
        args = {k: v[0] for k, v in parse_qs(body).items()}
        for key in ("blocks", "attachments", "view", "unfurls", "prompts", "loading_messages", "chunks"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    def reply(self, method: str, args: dict) -> dict:
        """Record the call and answer it, as one step (calls and results stay in order)."""
        with self.lock:
            error = self._error(method, args)
            if error:
                result = {"ok": False, "error": error}
            else:
                self._succeeded[method] = self._succeeded.get(method, 0) + 1
                result = self._answer(method, args)
            self.calls.append((method, args))
            self.results.append(result)
            return result

    def _error(self, method: str, args: dict) -> str | None:
        """Why Slack would refuse this call, if it would."""
        if method in self._refused:
            error, after = self._refused[method]
            if self._succeeded.get(method, 0) >= after:
                return error
        blocks = args.get("blocks") or (args.get("view") or {}).get("blocks") or []
        if method == "chat.unfurl":
            blocks = [b for u in (args.get("unfurls") or {}).values() for b in u.get("blocks", [])]
        if isinstance(blocks, list) and blocks_error(blocks, VIEW_BLOCKS if method.startswith("views.") else
                                                     MESSAGE_BLOCKS, self.refused_blocks):
            return "invalid_blocks"
        if method in ("chat.appendStream", "chat.stopStream"):
            stream = self.streams.get(args.get("ts", ""))
            if stream is None or stream["stopped"]:
                return "message_not_in_streaming_state"
        text = "".join(c.get("text", "") for c in args.get("chunks") or [] if c.get("type") == "markdown_text")
        if len(text + (args.get("markdown_text") or "")) > MARKDOWN_TEXT:
            return "msg_too_long"
        return None

    def _answer(self, method: str, args: dict) -> dict:
        """A successful reply."""
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BNEWSBOT", "team_id": "T1", "user": "newsbot"}
        if method in ("chat.postMessage", "chat.update", "chat.startStream"):
            ts = args.get("ts") or f"{time.time():.0f}.{next(self._ts):06d}"
            if method == "chat.startStream":
                self.streams[ts] = {"channel": args.get("channel"), "thread_ts": args.get("thread_ts"),
                                    "text": "", "stopped": False}
            self._grow(ts, args, method == "chat.startStream")
            return {"ok": True, "channel": args.get("channel"), "ts": ts}
        if method in ("chat.appendStream", "chat.stopStream"):
            self._grow(args["ts"], args, True)
            self.streams[args["ts"]]["stopped"] = method == "chat.stopStream"
            return {"ok": True, "channel": args.get("channel"), "ts": args["ts"]}
        if method.startswith("views."):
            return {"ok": True, "view": {"id": f"V{next(self._ts)}", **(args.get("view") or {})}}
        if method == "chat.getPermalink":
            ts = str(args.get("message_ts", "")).replace(".", "")
            return {"ok": True, "channel": args.get("channel"),
                    "permalink": f"https://fake.slack.example/archives/{args.get('channel')}/p{ts}"}
        if method == "conversations.open":  # the bot's DM with a user
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).split(",")[0]}}
        if method == "conversations.replies":
            return {"ok": True, "messages": [], "has_more": False}
        return {"ok": True}

    def _grow(self, ts: str, args: dict, streaming: bool) -> None:
        """Add a stream call's markdown to the streamed message's text."""
        if streaming and ts in self.streams:
            chunks = args.get("chunks") or []
            self.streams[ts]["text"] += (args.get("markdown_text") or "") + "".join(
                c.get("text", "") for c in chunks if c.get("type") == "markdown_text")

    def of(self, method: str) -> list[dict]:
        """Arguments of every call of one method, in order."""
        with self.lock:
            return [a for m, a in self.calls if m == method]

    def methods(self) -> list[str]:
        """Every method called, in order."""
        with self.lock:
            return [m for m, _ in self.calls]

    def answers(self, channel: str | None = None) -> list[dict]:
        """Finished answers in order, however they were sent: posted, updated into a placeholder, or streamed.

        Each is {method, channel, ts, text, blocks}; a streamed answer's text is everything streamed into it.
        """
        out = []
        with self.lock:
            calls = list(zip(self.calls, self.results))
        for (method, args), result in calls:
            blocks = args.get("blocks") or []
            if method not in ("chat.postMessage", "chat.update", "chat.stopStream") or not isinstance(blocks, list) \
                    or not result.get("ok"):
                continue
            if not any(b.get("type") in FEEDBACK for b in blocks) or (channel and args.get("channel") != channel):
                continue
            text = self.streams[args["ts"]]["text"] if method == "chat.stopStream" else args.get("text", "")
            out.append({"method": method, "channel": args.get("channel"), "ts": result.get("ts"), "text": text,
                        "blocks": blocks, "thread_ts": args.get("thread_ts")})
        return out


def blocks_error(blocks: list[dict], max_blocks: int, refused: set[str]) -> bool:
    """Would Slack reject these blocks (too many, too long, or of a type this surface lacks)?"""
    if len(blocks) > max_blocks:
        return True
    markdown = 0
    for b in blocks:
        if b.get("type") in refused:
            return True
        text = b.get("text")
        if b.get("type") == "markdown":
            markdown += len(text or "")
        elif isinstance(text, dict) and len(text.get("text", "")) > SECTION_TEXT:
            return True
        if b.get("type") == "context" and len(b.get("elements", [])) > CONTEXT_ELEMENTS:
            return True
        for e in b.get("elements", []):
            label = e.get("text")
            if e.get("type") == "button" and isinstance(label, dict) and len(label.get("text", "")) > BUTTON_TEXT:
                return True
    return markdown > MARKDOWN_TEXT


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
