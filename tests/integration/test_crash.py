"""Killing the indexer at any moment and running it again leaves a consistent, complete index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from helpers import consistency, story, write_json

from bot.answering.service import AnswerService
from index.sync import Indexer


def _indexer_cmd(folder):
    return [os.path.join(os.path.dirname(sys.executable), "newsbot"), "index", "-q", "--wait", str(folder)]


def _committed(index) -> int:
    return index.stats()["articles"]


def test_sigkill_mid_run_then_rerun_is_consistent(settings, make_index, tmp_path, monkeypatch):
    folder = tmp_path / "feed"
    folder.mkdir()
    for n in range(4):
        write_json(folder / f"old{n}.json", **story(n))
    index = make_index()
    Indexer(index, settings).sync([folder])
    old = consistency(index)
    for n in range(4, 84):
        write_json(folder / f"new{n}.json", **story(n, "More detail follows in this added sentence. " * 6))

    env = {**os.environ, "NEWSBOT_INDEX_BATCH_CHUNKS": "4"}
    proc = subprocess.Popen(_indexer_cmd(folder), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _committed(index) <= old["articles"] and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    # readers keep answering while the writer runs
    answer = AnswerService(settings, index).answer("What did the mayor of town 2 open?")
    assert answer.answered and "town 2" in " ".join(c.quote for c in answer.citations)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _committed(index)
    assert old["articles"] < partial < 84, "the kill should land mid-run"

    index = make_index()  # reopen, as the next process would
    assert _committed(index) >= partial  # nothing committed before the kill is lost
    report = Indexer(index, settings).sync([folder])
    assert report.ok and report.added == 84 - partial
    final = consistency(index)
    assert final["articles"] == 84
