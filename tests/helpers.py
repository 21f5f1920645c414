"""Helpers shared by every test layer: paths to ../shared, article writers, waiting, index consistency."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from sqlalchemy import select, text

from index import db

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
STARMER = SHARED / "articles" / "starmer-backstop.txt"
REALTIMEQA = SHARED / "eval" / "realtimeqa-dev"
LLM_KEY = "sk-test-dummy-key-0123456789"


def write_json(path: Path, **fields) -> Path:
    """Write one article as JSON."""
    path.write_text(json.dumps(fields), encoding="utf-8")
    return path


def index_folder(folder: Path, embedder, added: int):
    """The folder indexed into an embedded index (SQLite + Chroma) in a data dir beside it, holding `added` articles."""
    from bot.settings import Settings
    from index.store import NewsIndex
    from index.sync import Indexer

    s = Settings(_env_file=None, NEWSBOT_DATA_DIR=folder.parent / "data", NEWSBOT_DATABASE_URL="", CHROMA_HOST="")
    index = NewsIndex(s, embedder)
    assert Indexer(index, s).sync([folder]).added == added
    return s, index


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.05):
    """The predicate's first truthy result within timeout seconds; AssertionError when there is none."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {getattr(predicate, '__name__', 'a condition')}")


def consistency(index) -> dict:
    """Counts of both indexes and the record; asserts they agree chunk for chunk."""
    with index.engine.connect() as conn:
        sql_ids = set(conn.execute(select(db.chunks.c.chunk_id)).scalars())
        fts_rowids = set(conn.execute(text("SELECT rowid FROM chunks_fts")).scalars())
        chunk_rowids = set(conn.execute(select(db.chunks.c.rowid)).scalars())
        recorded = [json.loads(v) for v in conn.execute(select(db.articles.c.chunk_ids)).scalars()]
        journal = conn.execute(select(db.journal)).all()
    dense_ids = set(index.dense.collection.get(include=[])["ids"])
    assert sql_ids == dense_ids, (sql_ids ^ dense_ids)
    assert fts_rowids == chunk_rowids
    assert sorted(i for ids in recorded for i in ids) == sorted(sql_ids)
    assert journal == []
    return {"articles": len(recorded), "chunks": len(sql_ids)}


def story(n: int, extra: str = "") -> dict:
    """A small article about town n (a url, so its identity survives renames)."""
    return {"title": f"Story {n}", "url": f"https://news.example/{n}",
            "text": f"Story number {n} begins here. The mayor of town {n} opened a bridge on Monday. "
                    f"Residents of town {n} cheered loudly. {extra}"}


# A small dated corpus with two clear stories (a harbour strike, a comet) and one older article.
HARBOUR = [
    ("2025-05-02", "Coast Gazette", "Velmora dockworkers vote to strike",
     "Dockworkers at Velmora harbour voted on Friday to strike over pay. The union said 87 percent of members "
     "backed the walkout, which could close the port within days. Shipping firms warned of delays."),
    ("2025-05-10", "Coast Gazette", "Strike closes Velmora harbour",
     "The strike at Velmora harbour began on Saturday, halting all cargo ships at the port. Pickets gathered "
     "at the main gate before dawn. The harbour board said it regretted the union's decision."),
    ("2025-05-10", "Harbour Wire", "Velmora harbour shut as dockworkers walk out",
     "The strike at Velmora harbour began on Saturday, halting all cargo ships at the port, the union said. "
     "Ferries to the islands were not affected. Talks are expected next week."),
    ("2025-05-20", "Coast Gazette", "Talks resume in Velmora harbour strike",
     "Negotiators for the dockworkers and the harbour board resumed talks on Tuesday in the tenth day of the "
     "strike. A mediator from the labour ministry joined the meeting. Neither side would comment afterwards."),
    ("2025-06-03", "Coast Gazette", "Velmora harbour strike ends with pay deal",
     "Dockworkers at Velmora harbour agreed a pay deal on Tuesday, ending the month-long strike. The deal "
     "raises wages by six percent over two years. Cargo ships began unloading again that evening."),
]
COMET = [
    ("2025-06-02", "Sky Notes", "Comet Astra brightens over the southern hills",
     "Astronomers at the Kestrel Observatory said Comet Astra brightened sharply on Monday night. The comet "
     "can now be seen with binoculars after sunset, low in the western sky."),
    ("2025-06-03", "Science Daily Post", "Comet Astra's tail stretches across the sky",
     "Comet Astra grew a long dust tail on Tuesday, observers at the Kestrel Observatory reported. "
     "Photographs show the tail stretching across several degrees of sky near the horizon."),
    ("2025-06-04", "Sky Notes", "When to see Comet Astra this week",
     "Comet Astra will be best seen after sunset this week before it fades, astronomers said on Wednesday. "
     "Dark skies away from city lights give the clearest view of the comet and its dust tail."),
]
OLDER = [("2024-03-01", "Coast Gazette", "Velmora harbour to be dredged",
          "The harbour board approved a plan on Friday to dredge the Velmora harbour channel. Work will take "
          "eight months and let larger cargo ships dock at the port.")]


def news_corpus(folder: Path, days_shift: int = 0) -> Path:
    """Write the dated corpus as JSON articles (every date moved by days_shift days)."""
    from datetime import date, timedelta

    folder.mkdir(parents=True, exist_ok=True)
    for i, (day, source, title, body) in enumerate(HARBOUR + COMET + OLDER):
        published = (date.fromisoformat(day) + timedelta(days=days_shift)).isoformat()
        write_json(folder / f"a{i:02d}.json", title=title, source=source, published=published, text=body,
                   url=f"https://news.example/{published}/{i}")
    return folder


LEGACY = Path(__file__).resolve().parent / "data" / "legacy"  # dumps made by main at 96efd7c (make_legacy.py)


def restore_legacy(settings) -> None:
    """Load the database an older newsbot (96efd7c, before migrations) made into the settings' empty database."""
    if settings.servers.database_url and not settings.servers.database_url.startswith("sqlite"):
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        dump = "\n".join(line for line in (LEGACY / "postgres.sql").read_text(encoding="utf-8").splitlines()
                         if not line.startswith("\\"))  # psql's own commands (\restrict) are not SQL
        engine = create_engine(settings.servers.database_url, poolclass=NullPool)  # the dump empties search_path: no reuse
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute(dump)
            raw.commit()
        finally:
            raw.close()
        return
    import sqlite3

    settings.index.data_dir.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(settings.index.data_dir / "newsbot.sqlite3") as conn:
        conn.executescript((LEGACY / "sqlite.sql").read_text(encoding="utf-8"))
    conn.close()


PASSAGE = re.compile(r'<passage id="(\d+)"[^>]*>\n(.*?)\n</passage>', re.S)


def passages_sent(body: dict) -> dict[int, str]:
    """Passage number -> text, as the answer prompt of a request numbered them."""
    user = "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")
    return {int(n): text for n, text in PASSAGE.findall(user)}


def number_of(body: dict, phrase: str) -> int:
    """The number of the first passage sent that contains the phrase."""
    return next(n for n, text in passages_sent(body).items() if phrase in text)
