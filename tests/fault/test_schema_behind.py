"""A read-only data dir holding a database older than the code: one line naming `newsbot db upgrade`, nothing changed."""

from __future__ import annotations

import hashlib

from children import newsbot, one_line_error
from helpers import restore_legacy
from test_data_dir import _chmod_tree

from bot.settings import Settings


def test_a_read_only_database_that_is_behind_names_the_upgrade_command():
    settings = Settings()
    restore_legacy(settings)
    db_file = settings.index.data_dir / "newsbot.sqlite3"
    before = hashlib.sha256(db_file.read_bytes()).hexdigest()
    _chmod_tree(settings.index.data_dir, writable=False)
    try:
        status = newsbot("status", drop=True)
    finally:
        _chmod_tree(settings.index.data_dir, writable=True)
    assert status.returncode == 1
    assert one_line_error(status.stderr) == (
        "newsbot: the index's database is older than this newsbot (at no revision, needs 0004) and its data dir "
        "cannot be written: run `newsbot db upgrade` where it can be")
    assert hashlib.sha256(db_file.read_bytes()).hexdigest() == before
    upgraded = newsbot("db", "upgrade")
    assert upgraded.returncode == 0 and upgraded.stdout.strip() == "database at 0004 (was unversioned)"
    assert newsbot("db", "current").stdout.strip() == "0004 (head)"
