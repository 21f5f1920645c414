"""The REPL: answers with sources, :sources shows full quotes, follow-ups use the conversation."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

from bot.terminal.repl import run_repl


def run(service, lines: list[str]) -> str:
    out = io.StringIO()
    assert run_repl(service, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out) == 0
    return out.getvalue()


def test_answer_sources_and_quit(service):
    out = run(service, ["what does Starmer mean by backstop?", ":sources", ":quit", "never asked"])
    answer, sources = out.split("newsbot> ")[1:3]
    assert "[1]" in answer and "Sources:" in answer and "Reuters" in answer
    assert sources.count("“") >= 1 and "backstop" in sources
    assert "never asked" not in out


def test_sources_before_any_question_and_errors(service):
    out = run(service, [":sources", "   ", "x" * 2000])
    assert "ask a question first" in out
    assert "error:" in out and "limit" in out


def test_end_of_input_leaves_cleanly(service):
    out = run(service, ["What did the article say about interest rates in Japan?"])
    assert "do not cover" in out


def test_follow_up_in_the_same_session(service):
    out = run(service, ["what does Starmer mean by backstop?", "and what did Russia say about it?"])
    follow = out.split("newsbot> ")[2]
    # what Russia said leads (hedged or not: the gate's confidence differs a little between backends)
    assert follow.split("closest passages: ")[-1].startswith("Russia again on Wednesday said")


def test_unknown_commands_print_the_help(service):
    out = run(service, [":foo bar", ":)"])
    unknown, smiley = out.split("newsbot> ")[1:3]
    assert unknown.startswith("unknown command :foo. Ask a question") and "Searched" not in unknown
    assert "Searched" in smiley  # not a command: asked


def _pty_chat(env: dict) -> tuple[subprocess.Popen, int]:
    """`newsbot chat` on a pseudo-terminal it has as its controlling terminal (so Ctrl-C is a real SIGINT)."""
    master, slave = pty.openpty()
    exe = os.path.join(os.path.dirname(sys.executable), "newsbot")
    def setup():  # its controlling terminal; and SIGINT ignored, as some parents pass it on: chat must undo that
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen([exe, "chat"], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                             preexec_fn=setup)  # noqa: PLW1509 - the test spawns before threads matter
    os.close(slave)
    return child, master


def _read_until(master: int, text: str, timeout: float = 120) -> str:
    """Terminal output until `text` appears (AssertionError with what came when it does not)."""
    seen, deadline = b"", time.monotonic() + timeout
    poller = select.poll()  # not select(): it cannot watch a descriptor numbered 1024 or more
    poller.register(master, select.POLLIN)
    while text.encode() not in seen:
        ready = poller.poll(max(0.0, deadline - time.monotonic()) * 1000)
        assert ready, f"no {text!r} within {timeout}s; got {seen.decode(errors='replace')!r}"
        seen += os.read(master, 4096)
    return seen.decode(errors="replace")


def _threads_taking_sigint(pid: int) -> list[int]:
    """The threads of a process that do not block SIGINT (from /proc: SigBlk is a hex mask, SIGINT bit 2)."""
    open_to_it = []
    for tid in sorted(os.listdir(f"/proc/{pid}/task"), key=int):
        status = Path(f"/proc/{pid}/task/{tid}/status").read_text()
        blocked = int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("SigBlk:")), 16)
        if not blocked & (1 << (signal.SIGINT - 1)):
            open_to_it.append(int(tid))
    return open_to_it


def _waiting_for_keys(pid: int, timeout: float = 30) -> None:
    """Until the process sleeps in select/poll on the terminal (readline checks signals only when woken there)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        wchan = Path(f"/proc/{pid}/wchan").read_text()
        if "poll" in wchan or "select" in wchan:
            return
        time.sleep(0.05)
    raise AssertionError(f"the REPL never waited for keys (wchan {wchan!r})")


def test_ctrl_c_cancels_the_line_and_ctrl_d_quits(articles_dir, embedder, tmp_path):
    from bot.cli import main

    assert main(["index", "-q", str(articles_dir)]) == 0
    child, master = _pty_chat({**os.environ, "NEWSBOT_DATA_DIR": str(tmp_path / "data"), "TERM": "dumb"})
    try:
        _read_until(master, "newsbot> ")
        # a signal goes to any thread not blocking it, and only the main thread's Ctrl-C wakes the prompt
        assert _threads_taking_sigint(child.pid) == [child.pid]
        os.write(master, b"half a question")
        _read_until(master, "half a question")  # echoed: the line editor holds it (not a sleep: a loaded CI is slow)
        _waiting_for_keys(child.pid)  # a Ctrl-C while readline is between reads only trips on the next key
        os.write(master, b"\x03")  # Ctrl-C: the line is dropped, a new prompt comes
        _read_until(master, "newsbot> ")
        os.write(master, b":foo\r")
        assert "unknown command :foo" in _read_until(master, "newsbot> ")
        os.write(master, b"\x04")  # Ctrl-D on an empty line: leave
        assert child.wait(timeout=30) == 0
    finally:
        child.kill()
        os.close(master)
