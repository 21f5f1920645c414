"""Outages: the test's own PostgreSQL and Chroma server killed and restarted under `index`, `chat` and the Slack app.

Each server that goes away is one line naming its host:port and setting (exit 69); `index` resumes on
the next run with every article once; `chat` and Slack say search is unavailable and answer again,
unrestarted, once the server is back.
"""

from __future__ import annotations

import subprocess
import threading
import urllib.error
import urllib.request

import pytest
from children import NEWSBOT, newsbot, one_line_error
from helpers import STARMER, wait_for, write_json
from own_servers import own_servers  # noqa: F401 - the fixture
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

UNAVAILABLE = 69
QUESTION = "what does Starmer mean by backstop?"


def _articles(folder, n: int):
    """n distinct articles made of the Starmer article's sentences, in a rotating order."""
    sentences = [s.strip() + "." for s in STARMER.read_text(encoding="utf-8").split(".") if len(s.strip()) > 30]
    folder.mkdir()
    for i in range(n):
        body = " ".join(sentences[(i + j) % len(sentences)] for j in range(8))
        write_json(folder / f"a{i:03}.json", title=f"Backstop report {i}", text=f"Report {i}. {body}",
                   source="Wire", published=f"2024-03-{1 + i % 28:02}", url=f"https://news.example/{i}")
    return folder


def _count(url: str, table: str = "articles") -> int:
    """Rows in a table of the own cluster (its own connection, nothing pooled)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    except Exception:  # noqa: BLE001 - tables not created yet
        return 0
    finally:
        engine.dispose()


def _index_killing(folder, kill, url: str) -> subprocess.CompletedProcess:
    """`newsbot index` in a child, with kill() called once two articles are committed (one article a batch)."""
    child = subprocess.Popen([NEWSBOT, "index", "-q", str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=_env(NEWSBOT_INDEX_BATCH_CHUNKS="1"))
    wait_for(lambda: _count(url) >= 2 or child.poll() is not None, timeout=600, interval=0.05)
    assert child.poll() is None, "the indexer finished before the server could be killed"
    kill()
    out, err = child.communicate(timeout=300)
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


def _env(**more):
    import os

    return {**os.environ, **more}


@pytest.mark.parametrize("victim", ["database", "chroma"])
def test_index_stops_named_and_resumes(own_servers, tmp_path, exported, victim):  # noqa: F811
    pg, chroma = own_servers
    folder = _articles(tmp_path / "articles", 40)
    server = pg if victim == "database" else chroma
    done = _index_killing(folder, server.kill, pg.url)
    line = one_line_error(done.stderr)
    assert done.returncode == UNAVAILABLE, done.stderr
    if victim == "database":
        assert f"database server at 127.0.0.1:{pg.port} (NEWSBOT_DATABASE_URL)" in line
    else:
        assert f"Chroma server at 127.0.0.1:{chroma.port} (CHROMA_HOST/CHROMA_PORT)" in line
    assert line.startswith("newsbot index: ") and "newsbot@" not in line and "postgresql" not in line
    server.start()
    done = newsbot("index", "-q", str(folder))
    assert done.returncode == 0, done.stderr
    assert _count(pg.url) == 40 and _count(pg.url, "journal") == 0
    chunk_count = _count(pg.url, "chunks")
    import chromadb

    stored = chromadb.HttpClient(host="127.0.0.1", port=chroma.port).get_collection("newsbot").count()
    assert stored == chunk_count > 40


def test_unreachable_at_start_is_one_named_line(own_servers, tmp_path):  # noqa: F811
    pg, chroma = own_servers
    chroma.kill()
    done = newsbot("ask", QUESTION)
    assert done.returncode == UNAVAILABLE
    line = one_line_error(done.stderr)
    assert line.startswith("newsbot ask: search is unavailable right now (the Chroma server at ")
    assert f"127.0.0.1:{chroma.port} (CHROMA_HOST/CHROMA_PORT)" in line
    pg.kill()
    done = newsbot("status", "--check")
    assert done.returncode == UNAVAILABLE, done.stderr
    lines = done.stdout.splitlines()
    assert any(ln.startswith("database") and "down" in ln and f"127.0.0.1:{pg.port}" in ln for ln in lines), lines
    assert any(ln.startswith("chroma") and "down" in ln and f"127.0.0.1:{chroma.port}" in ln for ln in lines), lines


class _Chat:
    """`newsbot chat` in a child, fed one question at a time; its output read as it comes."""

    def __init__(self):
        self.proc = subprocess.Popen([NEWSBOT, "chat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=_env())
        self.out = ""
        threading.Thread(target=self._read, daemon=True).start()
        wait_for(lambda: self.out.count("newsbot> ") >= 1, timeout=300)

    def _read(self):
        while ch := self.proc.stdout.read(1):
            self.out += ch

    def ask(self, question: str) -> str:
        """Send a question; the text printed before the next prompt."""
        before = self.out.count("newsbot> ")
        start = len(self.out)
        self.proc.stdin.write(question + "\n")
        self.proc.stdin.flush()
        wait_for(lambda: self.out.count("newsbot> ") > before or self.proc.poll() is not None, timeout=300)
        return self.out[start:]

    def close(self) -> int:
        self.proc.stdin.write(":quit\n")
        self.proc.stdin.flush()
        return self.proc.wait(60)


def _answered_again(ask, timeout: float = 60) -> str:
    """Ask until an answer comes back (the backoff may fail a question fast for a few seconds)."""
    return wait_for(lambda: (reply := ask()) and "unavailable" not in reply and reply, timeout=timeout, interval=1)


def test_chat_says_unavailable_and_recovers(own_servers, tmp_path, exported, articles_dir):  # noqa: F811
    pg, chroma = own_servers
    assert newsbot("index", "-q", str(articles_dir)).returncode == 0
    chat = _Chat()
    try:
        assert "backstop" in chat.ask(QUESTION)
        for server, named in ((chroma, f"Chroma server at 127.0.0.1:{chroma.port}"),
                              (pg, f"database server at 127.0.0.1:{pg.port}")):
            server.kill()
            reply = chat.ask(QUESTION)
            assert "error: search is unavailable right now" in reply and named in reply, reply
            assert chat.proc.poll() is None and "Traceback" not in reply
            server.start()
            assert "backstop" in _answered_again(lambda: chat.ask(QUESTION))
    finally:
        code = chat.close()
    assert code == 0, chat.proc.stderr.read()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_slack_replies_once_unavailable_and_recovers(own_servers, tmp_path, exported, articles_dir):  # noqa: F811
    from fakes.slack_app import SECRET, TOKEN, SlackHarness, dm
    from pydantic import SecretStr

    from bot.app import build_deps
    from bot.settings import Settings
    from index.health import readiness

    pg, chroma = own_servers
    assert newsbot("index", "-q", str(articles_dir)).returncode == 0
    settings = Settings().override(SLACK_BOT_TOKEN=SecretStr(TOKEN), SLACK_SIGNING_SECRET=SecretStr(SECRET))
    deps = build_deps(settings, index=None)
    warmed = threading.Event()
    deps.service.warm_up()
    warmed.set()
    h = SlackHarness(settings, deps.service, ready=lambda: readiness(deps.writer, warmed))
    base = h.url.removesuffix("/slack/events")
    try:
        assert _get(base + "/healthz") == (200, "ok\n")
        assert _get(base + "/readyz")[0] == 200
        h.event(dm(QUESTION, ts="300.1"))
        assert "backstop" in h.final_answers(1)[0]["text"].lower()
        for n, server in enumerate((chroma, pg)):
            server.kill()
            status, body = _get(base + "/readyz")
            assert status == 503 and f"127.0.0.1:{server.port}" in body, body
            ts = f"31{n}.1"
            h.event(dm(QUESTION, ts=ts))
            replies = wait_for(lambda ts=ts: [a for a in h.fake.of("chat.postMessage") if a.get("thread_ts") == ts])
            assert len(replies) == 1 and "search is unavailable right now" in replies[0]["text"], replies
            assert not any("went wrong" in (a.get("text") or "") for a in h.fake.of("chat.postMessage"))
            server.start()
            wait_for(lambda: _get(base + "/readyz")[0] == 200, timeout=60, interval=1)
            h.event(dm(QUESTION, ts=f"32{n}.1"))
            assert len(h.final_answers(2 + n)) == 2 + n
        import time

        time.sleep(1)  # nothing more arrives in the outage threads: each got its one reply
        assert [a["thread_ts"] for a in h.fake.of("chat.postMessage")].count("310.1") == 1
    finally:
        h.close()
