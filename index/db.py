"""SQL schema and engine: the record of indexed articles, their chunks, the journal and metadata."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import make_url

from index import datadir
from index.errors import ConfigError
from index.servers import watch_engine

# pg_advisory_lock keys (classid 'news'): the one indexer, first-start schema creation, the one follower,
# the digest poster.
ADVISORY_CLASS = 0x6E657773
WRITER_LOCK = 1
SCHEMA_LOCK = 2
FOLLOW_LOCK = 3
DIGEST_LOCK = 4

metadata = MetaData()

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


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    """WAL lets readers answer while a writer indexes; busy_timeout makes them wait, not fail."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for the configured database, with SQLite tuned for one writer and many readers.

    A SQLite file in a folder newsbot cannot write (read-only, full) is opened read-only.
    """
    if url.startswith("sqlite"):
        if (database := make_url(url).database) and database != ":memory:" and not database.startswith("file:"):
            db_file = Path(database)
            if datadir.problem(db_file.parent, (db_file.name,)):
                return _read_only_sqlite(db_file)
            db_file.parent.mkdir(parents=True, exist_ok=True)  # a data dir not made yet
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        # plain postgresql:// means psycopg2 to SQLAlchemy; newsbot ships psycopg 3 (the postgres extra)
        parsed = parsed.set(drivername="postgresql+psycopg")
    return watch_engine(create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10}), url)


def _read_only_sqlite(db_file: Path) -> Engine:
    """A read-only engine on a SQLite file whose folder cannot be written.

    With nothing in its write-ahead log the file is read as immutable (no lock or WAL index to
    create); with a log left (a run that stopped on a full disk) a temporary copy is read instead,
    so its committed transactions count.
    """
    if not db_file.exists():
        raise datadir.DataDirError(f"the data dir {db_file.parent} cannot be written and holds no index yet")
    wal = db_file.with_name(db_file.name + "-wal")
    target, flags = db_file, "mode=ro&immutable=1"
    if wal.exists() and wal.stat().st_size:
        target, flags = datadir.snapshot([db_file, wal], "sqlite") / db_file.name, "mode=ro"
    engine = create_engine(f"sqlite:///file:{quote(str(target.resolve()))}?{flags}&uri=true",
                           connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _read_only_pragmas)
    return engine


def _read_only_pragmas(dbapi_conn, _record) -> None:
    """No journal mode to set (that writes); refuse writes outright."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=1")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def read_only(engine: Engine) -> bool:
    """Was this engine opened read-only (its data dir cannot be written)?"""
    return engine.dialect.name == "sqlite" and "mode=ro" in str(engine.url)


def reachable(connect, settings):
    """connect(), with a database that cannot be reached or opened turned into one line naming the setting."""
    from sqlalchemy.exc import DBAPIError

    try:
        return connect()
    except DBAPIError as exc:
        if why := datadir.write_failure(exc):
            raise datadir.DataDirError(f"the data dir {settings.data_dir} is {why}: the index cannot be opened") from None
        where = (f"NEWSBOT_DATABASE_URL={make_url(settings.database_url).render_as_string(hide_password=True)}"
                 if settings.database_url else f"the SQLite file in NEWSBOT_DATA_DIR={settings.data_dir}")
        raise ConfigError(f"cannot use the database ({where}): {first_line(exc.orig or exc)}") from None


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (drivers add hints and SQL below it)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def create_schema(engine: Engine, *setups) -> None:
    """Create whatever tables are missing (and run each setup(conn)) in one transaction.

    Several processes starting at once against a new database take turns, so none of them fails
    on a table another one is creating. A read-only database is used as it is.
    """
    if read_only(engine):
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:c, :k)"), {"c": ADVISORY_CLASS, "k": SCHEMA_LOCK})
        elif engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock up front, before looking
        metadata.create_all(conn)
        for setup in setups:
            setup(conn)
