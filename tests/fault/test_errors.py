"""Every error path: one line, an exit code of its own, and no secret in anything printed or logged."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading

import pytest
from children import NEWSBOT, one_line_error, run

from bot.cli import main
from bot.logs import setup_logging
from bot.settings import Settings

TOKEN = "xoxb-1111-2222-secrettoken"
SIGNING = "plain-signing-secret-42"  # no token shape: only the configured value can find it
DB_PASSWORD = "pw-9f8e7d6c"


@pytest.fixture
def secrets_env(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING)
    return Settings()


@pytest.fixture
def root_logging():
    """setup_logging replaces the root handlers and hooks: put them back after the test."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, sys.excepthook, threading.excepthook
    yield
    root.handlers[:], root.level = saved[0], saved[1]
    sys.excepthook, threading.excepthook = saved[2], saved[3]


def _clean(text: str) -> None:
    for secret in (TOKEN, SIGNING, DB_PASSWORD, "secrettoken"):
        assert secret not in text, text


def test_a_closed_pipe_ends_quietly():
    r, w = os.pipe()
    os.close(r)  # `newsbot status | head -1` once head has what it wants
    done = subprocess.run([NEWSBOT, "status"], stdout=w, stderr=subprocess.PIPE, text=True)
    os.close(w)
    assert (done.returncode, done.stderr) == (141, "")


def test_an_unexpected_error_is_one_redacted_line_with_exit_70_and_a_reference(capsys, monkeypatch, secrets_env,
                                                                               root_logging, tmp_path):
    import tempfile

    from bot.terminal import commands

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    def broken(args, settings):
        raise KeyError(f"upstream said Authorization: Bearer {TOKEN} and {SIGNING}")

    monkeypatch.setattr(commands, "cmd_status", broken)
    assert main(["status"]) == 70
    line = one_line_error(capsys.readouterr().err)
    match = re.fullmatch(r"newsbot status: unexpected error \(KeyError: .*\); reference (\w{8}), traceback in (\S+)",
                         line)
    assert match, line
    _clean(line)
    traceback_text = open(match[2], encoding="utf-8").read()
    assert "KeyError" in traceback_text and "cmd_status" not in line and "broken" in traceback_text
    _clean(traceback_text)
    assert match[2].startswith(str(tmp_path))


def test_logged_tracebacks_and_uncaught_exceptions_are_redacted(capsys, secrets_env, root_logging):
    setup_logging(secrets_env)
    try:
        raise ConnectionError(f"POST failed; headers={{'Authorization': 'Bearer {TOKEN}'}} secret={SIGNING}")
    except ConnectionError:
        logging.getLogger("slack_sdk").exception("the Web API call failed")
    try:
        raise ValueError(f"postgresql://newsbot:{DB_PASSWORD}@db.internal/newsbot is down")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    thread = threading.Thread(target=lambda: (_ for _ in ()).throw(RuntimeError(f"token {TOKEN}")), name="worker")
    thread.start()
    thread.join()
    err = capsys.readouterr().err
    assert "the Web API call failed" in err and "ConnectionError" in err and "ValueError" in err
    assert "Exception in thread worker" in err and "RuntimeError" in err and "db.internal" in err
    _clean(err)


def test_an_uncaught_exception_in_a_child_is_redacted(tmp_path):
    code = ("from bot.logs import setup_logging; from bot.settings import Settings; "
            "setup_logging(Settings()); raise RuntimeError('Authorization: ' + __import__('os').environ['SLACK_BOT_TOKEN'])")
    done = run([sys.executable, "-c", code], SLACK_BOT_TOKEN=TOKEN)
    assert done.returncode == 1 and "RuntimeError" in done.stderr
    _clean(done.stderr)


def test_a_newsbot_error_quoting_a_secret_is_redacted(capsys, monkeypatch, secrets_env, root_logging):
    from bot.terminal import commands
    from index.errors import ConfigError

    def refuse(args, settings):
        raise ConfigError(f"CHROMA_HEADERS rejected by the server: {{'x-chroma-token': '{SIGNING}'}}")

    monkeypatch.setattr(commands, "cmd_status", refuse)
    assert main(["status"]) == 1
    line = one_line_error(capsys.readouterr().err)
    assert line.startswith("newsbot: CHROMA_HEADERS rejected")
    _clean(line)
