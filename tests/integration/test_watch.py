"""The folder watcher picks up created, modified, moved and deleted articles within seconds."""

from __future__ import annotations

import pytest
from helpers import consistency, story, wait_for, write_json

from bot.answering.service import AnswerService
from index.sync import Indexer
from index.watch import FolderWatcher


@pytest.fixture
def watched(settings, make_index, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_json(folder / "s0.json", **story(0))
    indexer = Indexer(make_index(), settings)
    indexer.sync([folder])
    watcher = FolderWatcher(indexer, [folder], debounce=0.3).start()
    yield folder, indexer
    watcher.stop()


def test_new_article_becomes_answerable(settings, watched):
    folder, indexer = watched
    service = AnswerService(settings, indexer.index)
    write_json(folder / "heron.json", title="Herons return", url="https://news.example/heron",
               text="A colony of grey herons returned to Lake Miravel on Sunday after a decade away. "
                    "Wardens counted forty nests on the island.")
    assert wait_for(lambda: service.answer("How many heron nests did wardens count at Lake Miravel?").answered)
    answer = service.answer("How many heron nests did wardens count at Lake Miravel?")
    assert "forty nests" in " ".join(c.quote for c in answer.citations)


def test_modify_move_delete(watched):
    folder, indexer = watched
    records = indexer.index.records
    write_json(folder / "s0.json", **story(0, "Update: the bridge closed again."))
    assert wait_for(lambda: indexer.index.lexical_search("closed again", 3))
    (folder / "local.txt").write_text("Ferry strike\nFerry crews walked out at dawn in the harbour.\n")
    assert wait_for(lambda: "local.txt" in records())
    (folder / "local.txt").rename(folder / "moved.txt")
    assert wait_for(lambda: "moved.txt" in records() and "local.txt" not in records())
    (folder / "s0.json").unlink()
    assert wait_for(lambda: "https://news.example/0" not in records())
    # the record changes before the vectors are deleted and the journal cleared: wait for the write to end
    assert wait_for(lambda: indexer.index.stats()["pending_writes"] == 0)
    assert consistency(indexer.index)["articles"] == 1
