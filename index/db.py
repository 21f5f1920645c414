"""The database engine (SQLite tuned for one writer, or PostgreSQL) and the index's tables by name."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from index import datadir
from index.errors import ConfigError
from index.schema import articles, chunks, files, journal, meta  # noqa: F401 - the index's tables, as db.articles
from index.servers import watch_engine

# pg_advisory_lock keys (classid 'news'): the one indexer, first-start schema creation, the one follower,
# the digest poster.
ADVISORY_CLASS = 0x6E657773
WRITER_LOCK = 1
SCHEMA_LOCK = 2
FOLLOW_LOCK = 3
DIGEST_LOCK = 4

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
            raise datadir.DataDirError(f"the data dir {settings.index.data_dir} is {why}: the index cannot be opened") from None
        where = (f"NEWSBOT_DATABASE_URL={make_url(settings.servers.database_url).render_as_string(hide_password=True)}"
                 if settings.servers.database_url else f"the SQLite file in NEWSBOT_DATA_DIR={settings.index.data_dir}")
        raise ConfigError(f"cannot use the database ({where}): {first_line(exc.orig or exc)}") from None


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (drivers add hints and SQL below it)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
