"""One index per user: found from any folder, never created by a reader, .env from two places, ./data kept."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.settings import Settings

QUESTION = "what does Starmer mean by backstop?"


@pytest.fixture
def per_user(isolated, monkeypatch):
    """No NEWSBOT_DATA_DIR: the default, the user data dir under XDG_DATA_HOME (set by `isolated`)."""
    monkeypatch.delenv("NEWSBOT_DATA_DIR")
    return isolated / "xdg-data" / "newsbot"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_index_is_the_users_from_any_folder(capsys, monkeypatch, per_user, articles_dir, embedder, tmp_path):
    assert run(capsys, "index", str(articles_dir))[0] == 0
    assert (per_user / "newsbot.sqlite3").is_file() and not (tmp_path / "data").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, err = run(capsys, "ask", QUESTION)
    assert code == 0 and "backstop" in out and err == ""
    assert f"\nIndex: {per_user}\n" in out  # the footer names the index searched
    assert list(elsewhere.iterdir()) == []  # nothing made in the current folder
    code, out, _ = run(capsys, "status")
    assert out.splitlines()[0].split() == ["articles", "1"] and f"index            {per_user}" in out


@pytest.mark.parametrize("argv", [["ask", QUESTION], ["ask", "--json", QUESTION], ["chat"], ["timeline", "Starmer"],
                                  ["digest"]])
def test_asking_with_nothing_indexed_says_so_and_creates_nothing(capsys, per_user, tmp_path, argv):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err == (f"newsbot {argv[0]}: nothing is indexed in {per_user}: run `newsbot index PATH` "
                   "(a folder of articles, a file or a feed url) first\n")
    assert not per_user.exists() and not (tmp_path / "data").exists()


def test_an_empty_index_is_nothing_indexed_too(capsys, per_user, tmp_path):
    (tmp_path / "empty").mkdir()
    run(capsys, "index", str(tmp_path / "empty"))  # makes the data dir, indexes nothing
    code, _, err = run(capsys, "ask", QUESTION)
    assert code == 1 and f"nothing is indexed in {per_user}" in err


def test_status_with_nothing_indexed_creates_nothing(capsys, per_user):
    code, out, _ = run(capsys, "status")
    assert code == 0 and out.splitlines()[0].split() == ["articles", "0"]
    assert f"index            {per_user}" in out and "run `newsbot index PATH`" in out
    assert not per_user.exists()
    code, out, _ = run(capsys, "status", "--json")
    assert json.loads(out)["index"] == str(per_user) and not per_user.exists()


def test_env_from_the_user_config_dir_and_the_current_folder_wins(per_user, isolated):
    config = isolated / "xdg-config" / "newsbot"
    config.mkdir(parents=True)
    (config / ".env").write_text("NEWSBOT_DATA_DIR=/from/config\nNEWSBOT_DENSE_K=7\n")
    s = Settings()
    assert (s.index.data_dir.as_posix(), s.retrieval.dense_k) == ("/from/config", 7)
    (isolated / ".env").write_text("NEWSBOT_DATA_DIR=/from/here\n")
    s = Settings()
    assert (s.index.data_dir.as_posix(), s.retrieval.dense_k) == ("/from/here", 7)  # each setting: the folder's wins


def test_an_index_in_dot_data_from_before_keeps_working(capsys, monkeypatch, isolated, articles_dir, embedder):
    monkeypatch.setenv("NEWSBOT_DATA_DIR", "data")  # index as before: ./data
    assert run(capsys, "index", str(articles_dir))[0] == 0
    monkeypatch.delenv("NEWSBOT_DATA_DIR")  # then upgrade: no setting names it
    code, out, err = run(capsys, "ask", QUESTION)
    assert code == 0 and "backstop" in out and f"Index: {isolated / 'data'}" in out
    assert err.count("\n") == 1 and "using the index in ./data found in this folder" in err
    assert not (isolated / "xdg-data").exists()


def test_a_named_data_dir_gets_no_note(capsys, monkeypatch, isolated, articles_dir, embedder):
    monkeypatch.setenv("NEWSBOT_DATA_DIR", "data")
    run(capsys, "index", str(articles_dir))
    code, _, err = run(capsys, "status")
    assert code == 0 and err == "", err
