"""A local OpenAI-compatible server for tests: canned chat completions (JSON or SSE), every request recorded.

With llama_cpp=True it has the quirks of llama.cpp's server (and of many OpenAI-compatible servers): it
honours max_tokens but ignores max_completion_tokens, its chat template drops system messages (the
gemma format), it runs one generation at a time, and a generation runs to its end even after the client
disconnected, so a retried request waits behind it. Tokens are words; token_delay sets their pace.
"""

from __future__ import annotations

import json
import re
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
    token_delay: float = 0.0  # llama_cpp mode: seconds per generated token (word), streamed or not


@dataclass
class Received:
    """One request the server got."""

    path: str
    headers: dict  # names lower-cased
    body: dict
    model_saw: list[dict] | None = None  # llama_cpp mode: the messages left once the chat template applied
    generated: int = 0  # llama_cpp mode: tokens generated so far for this request (on after a disconnect)

    @property
    def messages(self) -> list[dict]:
        """The chat messages sent."""
        return self.body.get("messages", [])

    def content(self, role: str) -> str:
        """All text of the messages with this role (system, user)."""
        return "\n".join(str(m.get("content", "")) for m in self.messages if m.get("role") == role)


class FakeOpenAI:
    """Serves /v1/chat/completions on 127.0.0.1 (port 0) from a queue of canned replies."""

    def __init__(self, llama_cpp: bool = False):
        self.llama_cpp = llama_cpp
        self.slot = threading.Lock()  # llama_cpp mode: one generation at a time
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
            received = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            fake.requests.append(received)
            reply = fake.next_reply()
            if fake.llama_cpp and reply.status == 200:
                with fake.slot:
                    return self._generate(received, reply)
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

        def _generate(self, received: Received, reply: Reply) -> None:
            """llama.cpp's way: system messages dropped, max_tokens honoured, generation on after a disconnect."""
            body = received.body
            received.model_saw = [m for m in body.get("messages", []) if m.get("role") != "system"]
            text = reply.text(body) if callable(reply.text) else reply.text
            tokens = re.findall(r"\S+\s*", text)
            limit = body.get("max_tokens")  # max_completion_tokens is not read at all
            finish = "length" if limit and len(tokens) > limit else "stop"
            tokens = tokens[:limit] if limit else tokens
            model, stream, gone = body.get("model", ""), bool(body.get("stream")), False
            if fake.stopping.wait(reply.delay):
                return
            if stream:
                gone = not self._send(lambda: self._headers_for_stream(model))
            for token in tokens:
                if fake.stopping.wait(reply.token_delay):
                    return
                received.generated += 1
                if stream and not gone:
                    gone = not self._send(lambda t=token: self._event(_chunk(model, {"content": t})))
            if stream and not gone:
                self._send(lambda: (self._event(_chunk(model, {}, finish)), self.wfile.write(b"data: [DONE]\n\n")))
            elif not stream:
                done = _completion(model, "".join(tokens))
                done["choices"][0]["finish_reason"] = finish
                self._send(lambda: self._json(200, done))

        def _send(self, write) -> bool:
            """Write to the client; False once it has gone (the generation goes on regardless)."""
            try:
                write()
                return True
            except (BrokenPipeError, ConnectionResetError):
                return False

        def _headers_for_stream(self, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self._event(_chunk(model, {"role": "assistant", "content": ""}))

        def _event(self, event: dict) -> None:
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()

        def log_message(self, *args) -> None:
            pass  # quiet test output

    return Handler
