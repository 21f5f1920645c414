"""Every table newsbot keeps in its database (SQLite or PostgreSQL), in one MetaData.

Migrations under index/migrations/ make a database match this; nothing creates tables from it
directly. Tables with `info={"dialect": ...}` exist only on that backend; SQLite's lexical index is an
FTS5 virtual table its migration creates with SQL text (SQLAlchemy has no construct for it).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

metadata = MetaData()
POSTGRESQL_ONLY = {"dialect": "postgresql"}

# ---- the index: articles, their chunks, the journal, files seen, meta ----------------------------

articles = Table(
    "articles",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("key", Text, nullable=False, unique=True),
    Column("root", Text, nullable=False, default=""),
    Column("path", Text, nullable=False, default=""),
    Column("content_hash", String(64), nullable=False),
    Column("text_hash", String(64), nullable=False, index=True),
    Column("title", Text, default=""),
    Column("author", Text, default=""),
    Column("source", Text, default="", index=True),
    Column("published", Text, default=""),
    Column("published_day", Integer, nullable=True, index=True),  # YYYYMMDD, for date filters
    Column("published_date", Date, nullable=True),  # the same day as a date (migration 0002)
    Column("url", Text, default=""),
    Column("place", Text, default=""),
    Column("text", Text, nullable=False),
    Column("chunk_ids", Text, nullable=False),  # JSON list, the committed chunk set
    Column("indexed_at", Float, nullable=False),
)

chunks = Table(
    "chunks",
    metadata,
    Column("rowid", Integer, primary_key=True, autoincrement=True),
    Column("chunk_id", String(64), nullable=False, unique=True),
    Column("article_id", String(32), ForeignKey("articles.article_id"), nullable=False, index=True),
    Column("n", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("embed_hash", String(32), nullable=False, index=True),  # hash of embedded text, for reuse
)

# Write-ahead intent for the dense store, which cannot share a transaction with SQL.
journal = Table(
    "journal",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("added", Text, nullable=False),  # JSON list of chunk ids being written to Chroma
    Column("removed", Text, nullable=False),  # JSON list of chunk ids to drop once committed
    Column("committed", Integer, nullable=False, default=0),  # set with the SQL commit
    Column("created_at", Float, nullable=False),
)

# Files seen by the last complete sync: lets an unchanged file skip reading and parsing.
files = Table(
    "files",
    metadata,
    Column("root", Text, primary_key=True),
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),  # 64-bit: PostgreSQL's integer is 32
    Column("mtime_ns", BigInteger, nullable=False),
    Column("duplicate", Integer, nullable=False, default=0),  # its article was another file's copy
)

meta = Table(
    "meta",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# ---- PostgreSQL's lexical index (SQLite's is the FTS5 table chunks_fts) ---------------------------

chunks_fts = Table(
    "chunks_fts",
    metadata,
    Column("rowid", Integer, primary_key=True, autoincrement=False),  # = chunks.rowid
    Column("tsv", TSVECTOR, nullable=False),
    Index("chunks_fts_tsv", "tsv", postgresql_using="gin"),
    info=POSTGRESQL_ONLY,
)
# How many chunks hold each lexeme, kept in step with chunks_fts in the same transactions: counting
# matches through the GIN index reads every matching row, which at 200k chunks cost more than ranking.
lexeme_df = Table(
    "lexeme_df",
    metadata,
    Column("lexeme", Text, primary_key=True),
    Column("df", Integer, nullable=False),
    info=POSTGRESQL_ONLY,
)

# ---- followed web sources and every url fetched -------------------------------------------------

web_sources = Table(
    "web_sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False, default=""),
    Column("every", Float, nullable=False),  # seconds between polls
    Column("added_at", Float, nullable=False),
    Column("kind", Text, nullable=False, default=""),  # feed or sitemap, once polled
    Column("title", Text, nullable=False, default=""),  # the feed's own title
    Column("last_poll_at", Float, nullable=True),
    Column("last_success_at", Float, nullable=True),
    Column("last_new_at", Float, nullable=True),  # when it last listed an article it had not listed before
    Column("last_new_title", Text, nullable=False, default=""),
    Column("last_new_published", Text, nullable=False, default=""),
    Column("failures", Integer, nullable=False, default=0),  # consecutive failed polls
    Column("last_error", Text, nullable=False, default=""),
)

# Every url fetched (listings and pages): its validators for conditional requests and what it gave.
web_pages = Table(
    "web_pages",
    metadata,
    Column("url", Text, primary_key=True),  # canonical form of the link as listed
    Column("article_key", Text, nullable=False, default=""),  # the article it gave (its canonical url)
    Column("status", Text, nullable=False),  # indexed, skipped, gone or listing
    Column("reason", Text, nullable=False, default=""),
    Column("updated", Text, nullable=False, default=""),  # the listing's stamp for it when fetched
    Column("etag", Text, nullable=False, default=""),
    Column("last_modified", Text, nullable=False, default=""),
    Column("fetched_at", Float, nullable=False),
)

# Which source listed which url: a source's article count and "last new article".
web_source_items = Table(
    "web_source_items",
    metadata,
    Column("source_id", Integer, primary_key=True),
    Column("url", Text, primary_key=True),
    Column("first_seen", Float, nullable=False),
)

# ---- Slack: answers given, votes and why, events claimed, digests claimed ------------------------

# Text, not VARCHAR(n): Slack ids and timestamps have no documented maximum, and PostgreSQL enforces n.
slack_answers = Table(
    "slack_answers",
    metadata,
    Column("answer_id", Text, primary_key=True),
    Column("channel", Text, nullable=False, index=True),
    Column("thread_ts", Text, nullable=False, index=True),
    Column("user", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("payload", Text, nullable=False),  # the Answer as JSON (text, citations, answered)
    Column("created_at", Float, nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", Text, nullable=False, index=True),
    Column("user", Text, nullable=False),
    Column("vote", Integer, nullable=False),  # +1 or -1
    Column("created_at", Float, nullable=False),
)

# Why a 👎 was given (one per user and answer; a later one replaces it).
feedback_reasons = Table(
    "feedback_reasons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", Text, nullable=False, index=True),
    Column("user", Text, nullable=False),
    Column("reason", Text, nullable=False),  # one of bot.slack.store.REASONS
    Column("comment", Text, nullable=False, default=""),
    Column("created_at", Float, nullable=False),
)

slack_seen_events = Table(
    "slack_seen_events",
    metadata,
    Column("event_id", Text, primary_key=True),
    Column("seen_at", Float, nullable=False, index=True),
)

slack_digests = Table(
    "slack_digests",
    metadata,
    Column("channel", Text, primary_key=True),
    Column("day", Text, primary_key=True),  # YYYY-MM-DD in the schedule's time zone
    Column("at", Text, primary_key=True),  # HH:MM
    Column("claimed_at", Float, nullable=False),
)


def for_dialect(table: Table, dialect: str) -> bool:
    """Does this table exist on this backend?"""
    return table.info.get("dialect", dialect) == dialect
