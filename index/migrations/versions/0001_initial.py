"""The schema as newsbot made it before migrations (main at 96efd7c): every table, created where missing.

Databases made before migrations hold a subset (Slack or followed-source tables appear on first use,
PostgreSQL's lexeme counts came later), so this creates only what is missing, as that code did; a
database already complete is just stamped. The tables are frozen here: later changes are later revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FTS5 = ("CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5("
        "title, body, tokenize='porter unicode61 remove_diacritics 2')")
COUNT_LEXEMES = ("INSERT INTO lexeme_df (lexeme, df) SELECT u.lexeme, count(*) FROM chunks_fts f, "
                 "unnest(f.tsv) AS u(lexeme, positions, weights) GROUP BY u.lexeme")


def _index_tables(m: MetaData) -> None:
    """articles, chunks, journal, files, meta (index/db.py at 96efd7c)."""
    Table("articles", m, Column("article_id", String(32), primary_key=True),
          Column("key", Text, nullable=False, unique=True), Column("root", Text, nullable=False),
          Column("path", Text, nullable=False), Column("content_hash", String(64), nullable=False),
          Column("text_hash", String(64), nullable=False, index=True), Column("title", Text),
          Column("author", Text), Column("source", Text, index=True), Column("published", Text),
          Column("published_day", Integer, nullable=True, index=True), Column("url", Text), Column("place", Text),
          Column("text", Text, nullable=False), Column("chunk_ids", Text, nullable=False),
          Column("indexed_at", Float, nullable=False))
    Table("chunks", m, Column("rowid", Integer, primary_key=True, autoincrement=True),
          Column("chunk_id", String(64), nullable=False, unique=True),
          Column("article_id", String(32), ForeignKey("articles.article_id"), nullable=False, index=True),
          Column("n", Integer, nullable=False), Column("start", Integer, nullable=False),
          Column("end", Integer, nullable=False), Column("text", Text, nullable=False),
          Column("embed_hash", String(32), nullable=False, index=True))
    Table("journal", m, Column("article_id", String(32), primary_key=True), Column("added", Text, nullable=False),
          Column("removed", Text, nullable=False), Column("committed", Integer, nullable=False),
          Column("created_at", Float, nullable=False))
    Table("files", m, Column("root", Text, primary_key=True), Column("path", Text, primary_key=True),
          Column("size", BigInteger, nullable=False), Column("mtime_ns", BigInteger, nullable=False),
          Column("duplicate", Integer, nullable=False))
    Table("meta", m, Column("name", String(64), primary_key=True), Column("value", Text, nullable=False))


def _source_tables(m: MetaData) -> None:
    """web_sources, web_pages, web_source_items (index/sources/registry.py at 96efd7c)."""
    Table("web_sources", m, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("url", Text, nullable=False, unique=True), Column("name", Text, nullable=False),
          Column("every", Float, nullable=False), Column("added_at", Float, nullable=False),
          Column("kind", Text, nullable=False), Column("title", Text, nullable=False),
          Column("last_poll_at", Float), Column("last_success_at", Float), Column("last_new_at", Float),
          Column("last_new_title", Text, nullable=False), Column("last_new_published", Text, nullable=False),
          Column("failures", Integer, nullable=False), Column("last_error", Text, nullable=False))
    Table("web_pages", m, Column("url", Text, primary_key=True), Column("article_key", Text, nullable=False),
          Column("status", Text, nullable=False), Column("reason", Text, nullable=False),
          Column("updated", Text, nullable=False), Column("etag", Text, nullable=False),
          Column("last_modified", Text, nullable=False), Column("fetched_at", Float, nullable=False))
    Table("web_source_items", m, Column("source_id", Integer, primary_key=True), Column("url", Text, primary_key=True),
          Column("first_seen", Float, nullable=False))


def _slack_tables(m: MetaData) -> None:
    """slack_answers, feedback, feedback_reasons (store.py), slack_seen_events (dedupe.py), slack_digests."""
    Table("slack_answers", m, Column("answer_id", Text, primary_key=True),
          Column("channel", Text, nullable=False, index=True), Column("thread_ts", Text, nullable=False, index=True),
          Column("user", Text, nullable=False), Column("question", Text, nullable=False),
          Column("payload", Text, nullable=False), Column("created_at", Float, nullable=False))
    Table("feedback", m, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("answer_id", Text, nullable=False, index=True), Column("user", Text, nullable=False),
          Column("vote", Integer, nullable=False), Column("created_at", Float, nullable=False))
    Table("feedback_reasons", m, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("answer_id", Text, nullable=False, index=True), Column("user", Text, nullable=False),
          Column("reason", Text, nullable=False), Column("comment", Text, nullable=False),
          Column("created_at", Float, nullable=False))
    Table("slack_seen_events", m, Column("event_id", Text, primary_key=True),
          Column("seen_at", Float, nullable=False, index=True))
    Table("slack_digests", m, Column("channel", Text, primary_key=True), Column("day", Text, primary_key=True),
          Column("at", Text, primary_key=True), Column("claimed_at", Float, nullable=False))


def _postgres_lexical(m: MetaData) -> None:
    """chunks_fts and lexeme_df (index/lexical/postgres.py at 96efd7c)."""
    Table("chunks_fts", m, Column("rowid", Integer, primary_key=True, autoincrement=False),
          Column("tsv", TSVECTOR, nullable=False), Index("chunks_fts_tsv", "tsv", postgresql_using="gin"))
    Table("lexeme_df", m, Column("lexeme", Text, primary_key=True), Column("df", Integer, nullable=False))


def upgrade() -> None:
    """Create the missing tables (and the lexical index of this backend), as the old constructors did."""
    bind = op.get_bind()
    frozen = MetaData()
    for tables in (_index_tables, _source_tables, _slack_tables):
        tables(frozen)
    if bind.dialect.name == "postgresql":
        counted = sa.inspect(bind).has_table("lexeme_df")
        _postgres_lexical(frozen)
        frozen.create_all(bind, checkfirst=True)
        if not counted:  # an index made before the counts existed: count what it holds, once
            op.execute(COUNT_LEXEMES)
    else:
        frozen.create_all(bind, checkfirst=True)
        op.execute(FTS5)
