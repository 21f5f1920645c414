"""The folder watcher meets a symlink loop and a name that is not UTF-8: it names them and keeps watching."""

from __future__ import annotations

import os

from helpers import story, wait_for, write_json

from index.sync import Indexer
from index.watch import FolderWatcher


def test_the_watcher_survives_loops_and_bad_names(settings, make_index, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    indexer = Indexer(make_index(), settings)
    reports = []
    watcher = FolderWatcher(indexer, [folder], debounce=0.3, on_sync=reports.append).start()
    try:
        (folder / "loop.txt").symlink_to(folder / "loop.txt")
        (folder / os.fsdecode(b"caf\xe9.json")).write_text('{"title": "x", "text": "Cafe news."}')
        write_json(folder / "after.json", **story(1))
        assert wait_for(lambda: indexer.index.lexical_search("mayor town", 3), timeout=30)
    finally:
        watcher.stop()
    skipped = [where for r in reports for where, _ in r.skipped]
    assert any("caf\\xe9.json" in w for w in skipped), reports
    assert f"{folder / 'loop.txt'}" in skipped
