"""A local OpenAI-compatible server for tests: canned chat completions (JSON or SSE), every request recorded."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """One canned completion: its text (or a function of the request body), how late, how it fails."""

    text: str | Callable[[dict], str] = ""
    delay: float = 0.0  # seconds before answering: a slow model
    status: int = 200  # anything else answers with an OpenAI-style error body
    chunk_chars: int = 7  # streamed in pieces this long, so [n] markers get split across chunks
    chunk_delay: float = 0.0  # seconds between streamed pieces: a model that writes slowly


@dataclass
class Received:
    """One request the server got."""

    path: str
    headers: dict  # names lower-cased
    body: dict

    @property
    def messages(self) -> list[dict]:
        """The chat messages sent."""
        return self.body.get("messages", [])

    def content(self, role: str) -> str:
        """All text of the messages with this role (system, user)."""
        return "\n".join(str(m.get("content", "")) for m in self.messages if m.get("role") == role)


class FakeOpenAI:
    """Serves /v1/chat/completions on 127.0.0.1 (port 0) from a queue of canned replies."""

    def __init__(self):
        self.replies: deque[Reply] = deque()
        self.requests: list[Received] = []
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-openai", daemon=True)

    @property
    def base_url(self) -> str:
        """What NEWSBOT_LLM_BASE_URL points at."""
        return f"http://127.0.0.1:{self.server.server_port}/v1"

    def queue(self, *replies: Reply | str | Callable[[dict], str]) -> None:
        """Replies for the next requests, in order."""
        self.replies.extend(r if isinstance(r, Reply) else Reply(r) for r in replies)

    def next_reply(self) -> Reply:
        """The reply for a request that just came in; a 500 when the test queued none."""
        return self.replies.popleft() if self.replies else Reply("no canned reply queued", status=500)

    def __enter__(self) -> "FakeOpenAI":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()  # wakes handlers sleeping in a slow reply
        self.server.shutdown()
        self.server.server_close()


def _completion(model: str, text: str) -> dict:
    """A non-streaming chat.completion body."""
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(model: str, delta: dict, finish: str | None = None) -> dict:
    """One chat.completion.chunk of a stream."""
    return {
        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to this server's queue and record."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            fake.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            reply = fake.next_reply()
            if reply.delay and fake.stopping.wait(reply.delay):
                return
            text = reply.text(body) if callable(reply.text) else reply.text
            try:
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                elif reply.status != 200:
                    self._json(reply.status, {"error": {"message": text, "type": "server_error"}})
                elif body.get("stream"):
                    self._stream(body.get("model", ""), text, reply.chunk_chars, reply.chunk_delay)
                else:
                    self._json(200, _completion(body.get("model", ""), text))
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

        def _json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, model: str, text: str, size: int, delay: float = 0.0) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()  # HTTP/1.0: the stream ends when the connection closes
            events = [_chunk(model, {"role": "assistant", "content": ""})]
            events += [_chunk(model, {"content": text[i:i + size]}) for i in range(0, len(text), size)]
            events.append(_chunk(model, {}, "stop"))
            for event in events:
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                self.wfile.flush()
                if delay and fake.stopping.wait(delay):
                    return
            self.wfile.write(b"data: [DONE]\n\n")

        def log_message(self, *args) -> None:
            pass  # quiet test output

    return Handler
