"""Helpers shared by every test layer: paths to ../shared, article writers, waiting, index consistency."""

from __future__ import annotations

import json
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
