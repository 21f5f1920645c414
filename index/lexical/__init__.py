"""The lexical index, one backend per database: SQLite FTS5 (BM25) or PostgreSQL full-text search."""

from __future__ import annotations

from sqlalchemy import Engine


def make_lexical(engine: Engine, max_postings: int = 5_000):
    """The lexical index for the engine's database: FTS5 in SQLite, tsvector in PostgreSQL."""
    if engine.dialect.name == "sqlite":
        from index.lexical.sqlite import SqliteLexical

        return SqliteLexical(engine, max_postings)
    if engine.dialect.name == "postgresql":
        from index.lexical.postgres import PostgresLexical  # imports the PostgreSQL dialect types

        return PostgresLexical(engine, max_postings)
    raise ValueError(f"no lexical index for database '{engine.dialect.name}' (NEWSBOT_DATABASE_URL)")
