"""Build the legacy database fixtures with the code of main at 96efd7c (before migrations), as SQL text dumps.

Run from a checkout of this repository (the venv needs the old code's packages, which it has):

    git worktree add --detach /tmp/legacy96 96efd7c
    PYTHONPATH=/tmp/legacy96 /work/main/.venv/bin/python tests/data/legacy/make_legacy.py sqlite
    PYTHONPATH=/tmp/legacy96 /work/main/.venv/bin/python tests/data/legacy/make_legacy.py postgres URL

`sqlite` writes sqlite.sql (`sqlite3 DB .dump`); `postgres URL` fills the empty database at URL and writes
postgres.sql (`pg_dump --no-owner --no-privileges --inserts`). Every table the old code made gets rows:
articles/chunks/FTS/journal-free record, files, meta, followed sources and their pages, Slack answers,
votes (feedback), reasons, claimed events and claimed digests. tests/integration/test_migrations.py
restores them and checks every row reads back through today's code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = [
    {"title": "Harbour bridge reopens after repairs", "source": "Reuters", "published": "2025-06-05T09:30:00Z",
     "url": "https://example.com/news/2025/06/05/bridge", "author": "Ana Ruiz",
     "text": "The harbour bridge reopened on Thursday after eight months of repairs. The city council said "
             "traffic would return to normal within a week. Engineers replaced 140 steel cables."},
    {"title": "Orchestra names new conductor", "source": "BBC", "published": "2024-11-20",
     "url": "https://example.com/arts/conductor", "author": "Tom Lee",
     "text": "The national orchestra named Mirela Kovacs its principal conductor. She takes up the post in "
             "September and will lead the winter season of Brahms symphonies."},
    {"title": "Undated note on ferry timetables", "source": "Local Desk", "published": "",
     "url": "", "author": "",
     "text": "Ferry timetables change on the first Monday of each month. Passengers should check the board "
             "at the pier before travelling to the islands."},
]


def build(work: Path, database_url: str) -> None:
    """Index three articles and fill the Slack and sources tables, all with the old code."""
    from slack_sdk import WebClient

    from bot.answering.models import Answer, Citation
    from bot.slack.dedupe import EventClaims
    from bot.slack.digests import DigestScheduler
    from bot.slack.store import ConversationStore
    from index.settings import Settings
    from index.sources.registry import Registry
    from index.store import open_index
    from index.sync import Indexer

    folder = work / "news"
    folder.mkdir()
    for n, art in enumerate(ARTICLES):
        (folder / f"a{n}.json").write_text(json.dumps(art), encoding="utf-8")
    s = Settings(_env_file=None, data_dir=work / "data", database_url=database_url, chroma_host="")
    index = open_index(s)
    assert Indexer(index, s).sync([folder]).added == 3
    registry = Registry(index.engine)
    src = registry.add("https://example.com/feed.xml", "Example feed", 900.0, now=1_750_000_000.0)
    registry.polled(src["id"], 1_750_000_100.0, kind="feed", title="Example News")
    registry.link(src["id"], ["https://example.com/news/2025/06/05/bridge"], 1_750_000_100.0)
    registry.save_pages([{"url": "https://example.com/news/2025/06/05/bridge", "status": "indexed",
                          "article_key": "https://example.com/news/2025/06/05/bridge", "etag": '"abc"',
                          "fetched_at": 1_750_000_100.0}])
    store = ConversationStore(index.engine)
    article_id = index.newest_articles(1)[0]["article_id"]
    answer = Answer(question="When did the bridge reopen?", answered=True, answer="On Thursday [1].",
                    citations=[Citation(n=1, article_id=article_id, quote="The harbour bridge reopened on Thursday",
                                        title="Harbour bridge reopens after repairs", source="Reuters")])
    answer_id = store.save("C0LEGACY", "1750000000.000100", "U0ASKER", answer)
    assert store.vote(answer_id, "U0ASKER", 1) and store.vote(answer_id, "U0OTHER", -1)
    assert store.give_reason(answer_id, "U0OTHER", "outdated", "old news")
    assert EventClaims(index.engine).claim("Ev0LEGACY")
    scheduler = DigestScheduler(s, index, index.engine, WebClient(token="xoxb-unused"))
    from datetime import date

    assert scheduler._claim("C0DIGEST", date(2025, 6, 5), "08:00")


def main(argv: list[str]) -> None:
    """sqlite | postgres URL: build the data and dump it beside this script."""
    kind = argv[0]
    work = Path(tempfile.mkdtemp(prefix="legacy96-"))
    os.environ["NEWSBOT_DATA_DIR"] = str(work / "data")
    try:
        if kind == "sqlite":
            build(work, "")
            dump = subprocess.run(["sqlite3", str(work / "data" / "newsbot.sqlite3"), ".dump"],
                                  check=True, capture_output=True, text=True).stdout
            (HERE / "sqlite.sql").write_text(dump, encoding="utf-8")
        elif kind == "postgres":
            url = argv[1]
            build(work, url)
            plain = url.replace("postgresql+psycopg://", "postgresql://")
            dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", "--inserts", plain],
                                  check=True, capture_output=True, text=True).stdout
            (HERE / "postgres.sql").write_text(dump, encoding="utf-8")
        else:
            raise SystemExit("usage: make_legacy.py sqlite | postgres URL")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
