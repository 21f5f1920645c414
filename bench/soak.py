"""The soak of `make bench-scale`: Slack questions over HTTP at a steady rate to two `newsbot slack` processes.

Both processes answer from the servers backend (PostgreSQL + a Chroma server) and post to the fake
Slack Web API of tests/fakes/slack.py on 127.0.0.1; questions alternate between them, as a load
balancer would send them. Counted: threads answered exactly once, error replies, and each process's
resident memory after each tenth of the questions and at the end (the target compares the first and the end).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

from bench.common import ROOT, questions

sys.path.insert(0, str(ROOT / "tests"))  # the fake Slack Web API the tests use
from fakes.slack import BOT_USER, FakeSlack, post, sign  # noqa: E402

SECRET = "soak-signing-secret"
TOKEN = "xoxb-soak-0000-token"
NEWSBOT = str(Path(sys.executable).with_name("newsbot"))


def _rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(ln.split()[1]) / 1024 for ln in status.splitlines() if ln.startswith("VmRSS:"))


def _ready(url: str, proc: subprocess.Popen, timeout: float = 900) -> None:
    """Wait for a bot's /readyz to answer 200 (the index, the servers and the model are there)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"soak: a bot process exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError("soak: a bot process was not ready in time")


def _start(env: dict, fake: FakeSlack, folder: Path, n: int) -> tuple[subprocess.Popen, str]:
    """One `newsbot slack` process in HTTP mode on a free port."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    bot_env = {**env, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url + "/api/",
               "NEWSBOT_SLACK_RATE_LIMIT": "1000000"}
    log = open(folder / f"bot{n}.log", "wb")  # noqa: SIM115 - the child writes it until the soak ends
    proc = subprocess.Popen([NEWSBOT, "slack", "--host", "127.0.0.1", "--port", str(port)], env=bot_env,
                            stdout=log, stderr=log)
    return proc, f"http://127.0.0.1:{port}"


# this run's event ids and message times: a soak repeated on the same index is neither deduplicated away nor
# answered as follow-ups in the threads of the last run
RUN, TS0 = f"{time.time_ns():x}", int(time.time())


def _event(url: str, i: int, question: str) -> int:
    """One signed DM event, as Slack delivers it; the HTTP status."""
    event = {"type": "message", "channel_type": "im", "user": f"U{i % 50:03}", "text": question,
             "ts": f"{TS0 + i}.000100", "channel": f"D{i % 50:03}"}
    body = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": f"EvSoak{RUN}-{i}",
                       "event_time": int(time.time()), "event": event,
                       "authorizations": [{"user_id": BOT_USER, "is_bot": True, "team_id": "T1"}]})
    return post(url + "/slack/events", body, sign(SECRET, body), "application/json")[0]


def _answered(fake: FakeSlack) -> Counter:
    """Final answers (with feedback buttons) per question thread."""
    return Counter(a["thread_ts"] for a in fake.answers())


def soak(env: dict, n: int, rate: float, folder: Path, settle: float = 600) -> dict:
    """n questions at `rate` a second to two bot processes; what reached Slack, and the processes' memory."""
    folder.mkdir(parents=True, exist_ok=True)
    fake = FakeSlack().start()
    bots = [_start(env, fake, folder, k) for k in (0, 1)]
    asked = [q.question for q in questions()]
    statuses, tenths, t0 = Counter(), [], time.monotonic()
    try:
        for proc, url in bots:
            _ready(url, proc)
        first = max(1, n // 10)
        for i in range(n):
            time.sleep(max(0.0, t0 + i / rate - time.monotonic()))  # steady: the i-th question at i/rate seconds
            statuses[_event(bots[i % 2][1], i, asked[i % len(asked)])] += 1
            if (i + 1) % first == 0 and i + 1 < n:  # memory at each tenth answered: does it level off?
                _wait(lambda done=i + 1: sum(_answered(fake).values()) >= done, 300)  # at rest, as the first tenth was
                tenths.append([round(_rss_mb(p.pid), 1) for p, _ in bots])
        _wait(lambda: len(_answered(fake)) >= n, settle)
        time.sleep(2)  # anything answered twice has arrived by now
        end_rss = [_rss_mb(p.pid) for p, _ in bots]
    finally:
        for proc, _ in bots:
            proc.send_signal(signal.SIGINT)
        for proc, _ in bots:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        fake.stop()
    counts = _answered(fake)
    errors = [a for a in fake.of("chat.postMessage") if "Sorry" in (a.get("text") or "")]
    return {"questions": n, "rate": rate, "seconds": round(time.monotonic() - t0, 1), "http": dict(statuses),
            "answered_once": sum(1 for c in counts.values() if c == 1), "answered_twice_or_more":
            sum(1 for c in counts.values() if c > 1), "unanswered": n - len(counts), "error_replies": len(errors),
            "rss_first_mb": tenths[0] if tenths else [], "rss_end_mb": [round(r, 1) for r in end_rss],
            "rss_tenths_mb": tenths}


def _wait(predicate, timeout: float) -> None:
    """Poll until predicate() holds, or timeout seconds have passed (the counts then say what is missing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.5)
