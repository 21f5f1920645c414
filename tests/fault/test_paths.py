"""Article folders that misbehave: bad names, unreadable and vanished paths, links, wrong types, NULs, giants."""

from __future__ import annotations

import json
import os

from children import newsbot
from helpers import consistency, story, write_json

from bot.cli import main
from index.sync import Indexer


def index_cli(capsys, *args):
    code = main(["index", "-q", *args])
    out, err = capsys.readouterr()
    return code, out, err


def articles(make_index) -> set[str]:
    with make_index().engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql("SELECT path FROM articles")}


def test_prune_keeps_an_unreadable_folder_and_names_it(capsys, tmp_path, embedder, make_index):
    feed = tmp_path / "feed"
    (feed / "sub").mkdir(parents=True)
    write_json(feed / "top.json", **story(1))
    write_json(feed / "sub" / "inner.json", **story(2))
    write_json(feed / "sub" / "gone.json", **story(3))
    assert index_cli(capsys, str(feed))[0] == 0
    os.chmod(feed / "sub", 0)  # permissions changed under the indexer's feet
    try:
        done = newsbot("index", "-q", "--prune", str(feed), drop=True)
    finally:
        os.chmod(feed / "sub", 0o755)
    assert done.returncode == 1, done.stderr  # something was skipped
    assert "removed 0" in done.stdout and "skipped 1" in done.stdout
    assert f"skipped {feed / 'sub'}: cannot list folder (Permission denied)" in done.stderr
    assert articles(make_index) == {"top.json", "sub/inner.json", "sub/gone.json"}
    # readable again, with one file really gone: prune removes exactly that one
    (feed / "sub" / "gone.json").unlink()
    code, out, _ = index_cli(capsys, "--prune", str(feed))
    assert code == 0 and "removed 1" in out
    assert articles(make_index) == {"top.json", "sub/inner.json"}


def test_prune_keeps_an_unreadable_file_and_a_dangling_link(capsys, tmp_path, embedder, make_index):
    feed, elsewhere = tmp_path / "feed", tmp_path / "mount"
    feed.mkdir()
    elsewhere.mkdir()
    write_json(feed / "locked.json", **story(1))
    write_json(elsewhere / "linked.json", **story(2))
    (feed / "archive").symlink_to(elsewhere)  # a linked folder: followed
    assert index_cli(capsys, str(feed))[0] == 0
    assert articles(make_index) == {"locked.json", "archive/linked.json"}
    write_json(feed / "locked.json", **story(1, extra="Changed."))  # changed, so it must be read again...
    os.chmod(feed / "locked.json", 0)  # ...and cannot be
    (elsewhere / "linked.json").rename(tmp_path / "away.json")
    elsewhere.rmdir()  # the mount is gone: the link dangles
    try:
        done = newsbot("index", "-q", "--prune", str(feed), drop=True)
    finally:
        os.chmod(feed / "locked.json", 0o644)
    assert done.returncode == 1 and "removed 0" in done.stdout and "skipped 2" in done.stdout, done
    assert f"{feed / 'locked.json'}: cannot read file (Permission denied)" in done.stderr
    assert f"{feed / 'archive'}: dangling link (its target is missing)" in done.stderr
    assert articles(make_index) == {"locked.json", "archive/linked.json"}


def test_files_that_vanish_mid_run_are_kept_until_a_walk_sees_them_gone(settings, make_index, tmp_path):
    feed = tmp_path / "feed"
    (feed / "b").mkdir(parents=True)
    for n in range(4):
        write_json(feed / ("b" if n >= 2 else "") / f"s{n}.json", **story(n))
    index = make_index()
    Indexer(index, settings).sync([feed])
    for n in range(4):
        write_json(feed / ("b" if n >= 2 else "") / f"s{n}.json", **story(n, extra="Changed."))

    def vanish(done, total):  # after the first file is read, a folder and a file disappear
        if done == 1 and (feed / "b").exists():
            for f in (feed / "b").iterdir():
                f.unlink()
            (feed / "b").rmdir()
            (feed / "s1.json").unlink()

    # walked in name order: b/s2.json is read, then b/ and s1.json vanish before b/s3.json, s0.json, s1.json
    report = Indexer(index, settings, progress=vanish).sync([feed], prune=True)
    assert report.removed == 0 and report.updated == 2
    assert sorted(w.rsplit("/", 1)[-1] for w, _ in report.skipped) == ["s1.json", "s3.json"]
    assert all("No such file" in reason for _, reason in report.skipped)
    assert consistency(index)["articles"] == 4  # nothing lost in passing
    report = Indexer(index, settings).sync([feed], prune=True)  # now the walk sees them absent
    assert report.removed == 3 and report.ok
    assert consistency(index)["articles"] == 1


def test_a_name_that_is_not_utf8_is_skipped_and_the_rest_indexed(capsys, tmp_path, embedder, make_index):
    feed = tmp_path / "feed"
    feed.mkdir()
    write_json(feed / "good.json", **story(1))
    bad = os.fsdecode(b"caf\xe9 report.txt")
    (feed / bad).write_text("The mayor of Zork opened a bridge on Monday. People cheered.")
    (feed / os.fsdecode(b"dir\xff")).mkdir()
    code, out, err = index_cli(capsys, str(feed))
    assert code == 1 and "added 1" in out and "skipped 2" in out
    assert "caf\\xe9 report.txt: name is not valid UTF-8" in err and "dir\\xff: name is not valid UTF-8" in err
    assert "Traceback" not in err
    assert articles(make_index) == {"good.json"}


def test_loops_dangling_links_and_unlistable_folders_are_named_and_counted(capsys, tmp_path, embedder):
    feed = tmp_path / "feed"
    (feed / "locked").mkdir(parents=True)
    write_json(feed / "good.json", **story(1))
    write_json(feed / "locked" / "hidden.json", **story(2))
    (feed / "self.txt").symlink_to(feed / "self.txt")  # ELOOP
    (feed / "up").symlink_to(feed)  # a folder link back to its parent
    (feed / "nowhere.json").symlink_to(tmp_path / "missing.json")
    os.chmod(feed / "locked", 0)
    try:
        done = newsbot("index", "-q", str(feed), drop=True)
    finally:
        os.chmod(feed / "locked", 0o755)
    assert done.returncode == 1 and "added 1" in done.stdout and "skipped 4" in done.stdout, done
    for name, reason in (("self.txt", "symlink loop"), ("up", "symlink loop (links back"),
                         ("nowhere.json", "dangling link"), ("locked", "cannot list folder (Permission denied)")):
        assert f"skipped {feed / name}: {reason}" in done.stderr, done.stderr


def test_json_fields_of_the_wrong_type_are_named(capsys, tmp_path, embedder, make_index):
    feed = tmp_path / "feed"
    feed.mkdir()
    write_json(feed / "typed.json", title=["a", "b"], text=12345)
    write_json(feed / "number.json", title="Fine", text=12345)
    write_json(feed / "dated.json", title="Fine", text="Some text here.", published={"y": 2024})
    (feed / "feed.jsonl").write_text("\n".join([json.dumps(story(1)), json.dumps({**story(2), "url": 7})]))
    code, _, err = index_cli(capsys, str(feed))
    assert code == 1
    assert "typed.json: field 'text' must be a string, got a number" in err
    assert "number.json: field 'text' must be a string, got a number" in err
    assert "dated.json: field 'published' must be a string, got an object" in err
    assert "feed.jsonl:2: field 'url' must be a string, got a number" in err
    assert articles(make_index) == {"feed.jsonl#1"}


def test_nul_bytes_anywhere_are_refused(capsys, tmp_path, embedder, make_index):
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "late.txt").write_bytes(b"A headline\n\n" + b"The mayor spoke. " * 1000 + b"\x00 hidden")
    write_json(feed / "escaped.json", title="T", text="The mayor spoke.\u0000 hidden")
    code, _, err = index_cli(capsys, str(feed))
    assert code == 1
    assert "late.txt: binary file (contains NUL bytes)" in err
    assert "escaped.json: field 'text' contains NUL characters" in err
    assert articles(make_index) == set()


def test_an_article_over_the_size_limit_is_skipped_by_name(capsys, tmp_path, embedder, make_index, monkeypatch):
    monkeypatch.setenv("NEWSBOT_MAX_ARTICLE_BYTES", "20000")
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "huge.txt").write_text("A headline\n\n" + "The mayor opened a bridge. " * 2000)
    (feed / "feed.jsonl").write_text("\n".join([json.dumps(story(1)), json.dumps(story(2, extra="x" * 30000))]))
    write_json(feed / "small.json", **story(3))
    code, out, err = index_cli(capsys, str(feed))
    assert code == 1 and "added 2" in out
    assert "huge.txt: 54,012 bytes, over the limit of 20,000 (NEWSBOT_MAX_ARTICLE_BYTES)" in err
    assert "feed.jsonl:2: " in err and "over the limit of 20,000" in err
    assert articles(make_index) == {"feed.jsonl#1", "small.json"}

