"""A data dir that fills up mid-index, and one that is read-only: reading works, writing fails in one line."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest
from children import NEWSBOT, newsbot, one_line_error, require_tmpfs, run
from helpers import story, write_json

STEP = "----step----"


def _chmod_tree(root: Path, writable: bool) -> None:
    for folder, _, files in os.walk(root):
        os.chmod(folder, 0o755 if writable else 0o555)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644 if writable else 0o444)


def test_a_data_dir_that_fills_up_mid_index_fails_in_one_line_and_the_next_run_completes(tmp_path, exported):
    require_tmpfs()
    feed, mnt = tmp_path / "feed", tmp_path / "disk"
    feed.mkdir()
    mnt.mkdir()
    for n in range(300):
        write_json(feed / f"s{n:03d}.json", **story(n))
    nb = shlex.quote(NEWSBOT)
    # in a mount namespace of its own: a 2 MB disk with 1.3 MB free, then (remounted larger) room again
    script = f"""
        mount -t tmpfs -o size=2m tmpfs {mnt} && head -c 700000 /dev/zero > {mnt}/filler || exit 99
        {nb} index -q {feed}; echo "{STEP}$?"
        {nb} status --json; echo "{STEP}$?"
        mount -o remount,size=64m {mnt} && {nb} index -q {feed}; echo "{STEP}$?"
        {nb} status --json; echo "{STEP}$?"
    """
    done = run(["unshare", "-m", "sh", "-c", script], NEWSBOT_DATA_DIR=str(mnt / "data"),
               NEWSBOT_INDEX_BATCH_CHUNKS="25")
    assert done.returncode == 0, done
    parts = re.split(rf"{STEP}(\d+)\n", done.stdout)
    outs, codes = parts[0:-1:2], [int(c) for c in parts[1::2]]
    assert codes == [74, 0, 0, 0], done
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("newsbot index")]
    assert len(line) == 1 and line[0].startswith(f"newsbot index: the data dir {mnt / 'data'} is "), done.stderr
    assert " is full" in line[0] and "not committed" in line[0] and "Traceback" not in done.stderr, line
    during, after = json.loads(outs[1]), json.loads(outs[3])
    assert 0 < during["articles"] < 300 and during["data_dir_state"].startswith("full")  # reading still works
    assert during["chunks"] == during["lexical_chunks"] == during["articles"]  # whole batches, nothing torn
    assert "added" in outs[2]
    assert after["articles"] == after["chunks"] == after["lexical_chunks"] == after["dense_chunks"] == 300
    assert after["pending_writes"] == 0 and after["data_dir_state"] == "writable"


def test_a_read_only_data_dir_answers_refuses_writes_in_one_line_and_recovers(backend, indexed, settings, tmp_path):
    if backend == "servers":
        pytest.skip("on the servers backend the index lives in PostgreSQL and a Chroma server, not the data dir")
    data = settings.index.data_dir
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    extra = tmp_path / "more"
    extra.mkdir()
    write_json(extra / "bridge.json", **story(1))
    _chmod_tree(data, writable=False)
    try:
        status = newsbot("status", drop=True, TMPDIR=str(scratch))
        ask = newsbot("ask", "--json", "what does Starmer mean by backstop?", drop=True, TMPDIR=str(scratch))
        index = newsbot("index", "-q", str(extra), drop=True, TMPDIR=str(scratch))
    finally:
        _chmod_tree(data, writable=True)
    assert status.returncode == 0 and "Traceback" not in status.stderr, status
    assert "articles         1" in status.stdout and "(read-only: reading only" in status.stdout
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["answered"] is True
    assert index.returncode == 74
    assert one_line_error(index.stderr) == (f"newsbot index: the data dir {data} is read-only: "
                                            "nothing can be indexed into it, nothing was changed")
    assert [p.name for p in scratch.iterdir() if p.name.startswith("newsbot")] == []  # readers' copies are gone
    again = newsbot("index", "-q", str(extra))
    assert again.returncode == 0 and "added 1" in again.stdout, again
    assert json.loads(newsbot("status", "--json").stdout)["articles"] == 2


def test_a_database_that_cannot_be_reached_is_one_line_naming_the_setting(tmp_path):
    done = newsbot("status", NEWSBOT_DATABASE_URL="postgresql://newsbot:pw-s3cret@127.0.0.1:9/newsbot")
    assert done.returncode == 69  # a server that is not there (ServerUnavailable), not a setting to fix
    line = one_line_error(done.stderr)
    assert line.startswith("newsbot status: the database server at 127.0.0.1:9 (NEWSBOT_DATABASE_URL) is unavailable")
    assert "Connection refused" in line
    assert "pw-s3cret" not in done.stderr


def test_a_chroma_server_that_cannot_be_reached_is_one_line_naming_the_setting():
    done = newsbot("status", CHROMA_HOST="127.0.0.1", CHROMA_PORT="9")
    assert done.returncode == 69
    assert one_line_error(done.stderr).startswith(
        "newsbot status: the Chroma server at 127.0.0.1:9 (CHROMA_HOST/CHROMA_PORT) is unavailable")


