"""Incremental re-indexing: add, unchanged, update, delete, rename, duplicates, and one writer."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import STARMER, consistency, story, write_json
from sqlalchemy import select

from index import db
from index.lock import WriterBusy, writer_lock
from index.sync import Indexer


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "feed"
    path.mkdir()
    for n in range(3):
        write_json(path / f"s{n}.json", **story(n))
    return path


@pytest.fixture
def indexer(settings, make_index):
    return Indexer(make_index(), settings)


def test_add_then_unchanged_skips_embedding(indexer, folder):
    first = indexer.sync([folder])
    assert (first.added, first.unchanged) == (3, 0) and first.chunks_embedded > 0
    counts = consistency(indexer.index)
    again = indexer.sync([folder])
    assert (again.added, again.updated, again.unchanged, again.chunks_embedded) == (0, 0, 3, 0)
    assert consistency(indexer.index) == counts


def test_update_replaces_chunks_and_reuses_vectors(indexer, folder):
    indexer.sync([folder])
    before = consistency(indexer.index)
    write_json(folder / "s1.json", **story(1, "A late correction: the bridge opened on Tuesday."))
    report = indexer.sync([folder])
    assert (report.updated, report.unchanged, report.added) == (1, 2, 0)
    after = consistency(indexer.index)
    assert after["articles"] == before["articles"]
    hits = indexer.index.lexical_search("correction Tuesday", 5)
    row = indexer.index.passages([hits[0][0]])[hits[0][0]]
    assert hits and row.title == "Story 1"
    article = indexer.index.article(row.article_id)  # the door's article(id), the same row article_by_url gives
    assert article and article == indexer.index.article_by_url("http://news.example/1/")
    assert (article.title, article.url, article.published_day) == ("Story 1", "https://news.example/1", None)
    assert indexer.index.article("no-such-article") is None


def test_chunk_level_reuse_on_small_edit(settings, make_index, tmp_path):
    folder = tmp_path / "long"
    folder.mkdir()
    body = " ".join(f"Paragraph sentence {i} talks about topic {i} in some detail." for i in range(120))
    write_json(folder / "a.json", title="Long", text=body)
    ix = Indexer(make_index(), settings)
    ix.sync([folder])
    write_json(folder / "a.json", title="Long", text=body + " One more closing sentence was added.")
    report = ix.sync([folder])
    assert report.updated == 1 and report.chunks_reused > 0 and report.chunks_embedded <= 2
    consistency(ix.index)


def test_prune_removes_deleted_files_only_with_prune(indexer, folder):
    indexer.sync([folder])
    (folder / "s2.json").unlink()
    kept = indexer.sync([folder])
    assert kept.removed == 0 and consistency(indexer.index)["articles"] == 3
    pruned = indexer.sync([folder], prune=True)
    assert pruned.removed == 1 and consistency(indexer.index)["articles"] == 2


def test_rename_without_url_moves_without_reembedding(indexer, folder):
    (folder / "local.txt").write_text("Flood warning\nRiver levels rose sharply overnight in the valley.\n")
    indexer.sync([folder])
    before = consistency(indexer.index)
    (folder / "local.txt").rename(folder / "renamed.txt")
    report = indexer.sync([folder], prune=True)
    assert (report.added, report.removed, report.chunks_embedded) == (0, 0, 0) and report.updated == 1
    assert consistency(indexer.index) == before
    records = indexer.index.records()
    assert "renamed.txt" in records and "local.txt" not in records


def test_same_text_under_two_names_is_indexed_once(indexer, folder):
    shutil.copy(STARMER, folder / "a.txt")
    shutil.copy(STARMER, folder / "b.txt")
    report = indexer.sync([folder])
    assert report.added == 4 and report.duplicates == 1
    assert consistency(indexer.index)["articles"] == 4
    (folder / "a.txt").unlink()
    report = indexer.sync([folder], prune=True)
    # the copy takes over: the article is still answerable
    assert consistency(indexer.index)["articles"] == 4
    assert any(r["path"] == "b.txt" for r in indexer.index.records().values())


def test_jsonl_line_removed_leaves_index(indexer, tmp_path):
    folder = tmp_path / "j"
    folder.mkdir()
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(story(n)) for n in range(3)))
    indexer.sync([folder])
    feed.write_text("\n".join(json.dumps(story(n)) for n in (0, 2)))
    report = indexer.sync([folder])
    assert report.removed == 1 and consistency(indexer.index)["articles"] == 2


def test_bad_file_keeps_previous_version(indexer, folder):
    indexer.sync([folder])
    (folder / "s0.json").write_text("{broken")
    report = indexer.sync([folder], prune=True)
    assert not report.ok and report.removed == 0
    assert consistency(indexer.index)["articles"] == 3


def test_second_writer_is_refused_clearly(settings):
    with writer_lock(settings.index.data_dir):
        with pytest.raises(WriterBusy, match="another newsbot indexer"):
            with writer_lock(settings.index.data_dir):
                pass


def test_recover_rolls_back_an_uncommitted_write(indexer, folder):
    indexer.sync([folder])
    index = indexer.index
    counts = consistency(index)
    # simulate a writer killed after writing vectors but before the SQL commit
    index.dense.upsert(["orphan-0000-deadbeef"], [[0.1] * 384], [{"article_id": "orphan"}], ["x"])
    with index.engine.begin() as conn:
        conn.execute(db.journal.insert().values(article_id="orphan", added='["orphan-0000-deadbeef"]',
                                                removed="[]", committed=0, created_at=0))
    assert index.recover() == 1
    assert consistency(index) == counts


def test_files_an_older_parser_read_are_read_again_without_embedding(indexer, folder, monkeypatch):
    write_json(folder / "dated.json", title="Storm", url="https://news.example/2024/01/02/storm",
               text="A storm closed the harbour of town nine on Tuesday. Boats stayed in port.")
    monkeypatch.setattr("index.sync.PARSER_VERSION", "1")
    monkeypatch.setattr("index.loaders.day_from_url", lambda url: "")  # what version 1 read
    assert indexer.sync([folder]).added == 4
    monkeypatch.undo()
    again = indexer.sync([folder])  # the files did not change, the parser did
    assert (again.updated, again.unchanged, again.chunks_embedded) == (1, 3, 0)
    with indexer.index.engine.connect() as conn:
        days = set(conn.execute(select(db.articles.c.published)).scalars())
    assert days == {"", "2024-01-02"}
    assert indexer.sync([folder]).unchanged == 4  # read once, then the file cache holds again
    consistency(indexer.index)
