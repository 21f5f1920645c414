"""Bring a database to the schema this code needs: Alembic migrations under index/migrations, run on open.

Several processes opening one database at once take turns (PostgreSQL advisory lock, SQLite's write
lock taken up front), so one migrates and the others find it done. A database made before migrations
(tables, no alembic_version) is taken over by revision 0001, which creates only what it lacks.
"""

from __future__ import annotations

import functools
import weakref
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from index import db
from index.errors import ConfigError
from index.schema import for_dialect

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# the newest revision, so that opening a current database needs no Alembic (a quarter second at start-up);
# tests/integration/test_migrations.py fails when a new migration is added without moving it
HEAD = "0004"
UPGRADE_COMMAND = "newsbot db upgrade"
_current: weakref.WeakSet = weakref.WeakSet()  # engines known to be at head in this process


class SchemaBehind(ConfigError):
    """The database is older than this code and cannot be upgraded here (opened read-only)."""


def config():
    """Alembic's configuration, pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@functools.cache
def head() -> str:
    """The newest revision this code knows (read once: the migrations ship with the code)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config()).get_current_head()


def current(conn: Connection) -> str | None:
    """The database's revision: None for an empty database or one made before migrations."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def describe(engine: Engine) -> str:
    """One line for `newsbot db current`: the database's revision and whether it is the newest."""
    with engine.connect() as conn:
        rev, legacy = current(conn), _made_before_migrations(conn)
    newest = head()
    if rev == newest:
        return f"{rev} (head)"
    was = "made before migrations" if legacy else ("empty" if rev is None else rev)
    return f"{was}; this newsbot needs {newest}: run `{UPGRADE_COMMAND}`"


def include_object(dialect: str):
    """Alembic's filter for comparing a database with the schema: only what this backend has.

    On SQLite the FTS5 table and its shadow tables (made with SQL text) and the PostgreSQL-only tables
    are left out; alembic's own table is never part of the schema.
    """

    def include(obj, name, type_, reflected, compare_to) -> bool:
        if type_ != "table":
            return True
        if name == "alembic_version" or (dialect == "sqlite" and name.startswith("chunks_fts")):
            return False
        table = compare_to if reflected else obj
        return table is None or for_dialect(table, dialect)

    return include


def _made_before_migrations(conn: Connection) -> bool:
    """Tables of an older newsbot without a recorded revision."""
    from sqlalchemy import inspect

    return current(conn) is None and inspect(conn).has_table("articles")


def recorded(engine: Engine) -> str | None:
    """The one revision alembic_version records, by plain SQL; None when there is no table or not one row
    (its own connection: on PostgreSQL a missing table spoils the transaction it was asked in)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except (OperationalError, ProgrammingError) as exc:  # no table yet: Alembic's own path decides what to do
        if isinstance(exc, OperationalError) and "no such table" not in str(exc):
            raise  # a database that cannot be reached is named by the caller, not asked twice
        return None
    return rows[0][0] if len(rows) == 1 else None


def ensure(engine: Engine) -> None:
    """Upgrade the database to head unless it is there; a read-only one that is behind is an error naming the fix."""
    if engine in _current:
        return
    if recorded(engine) == HEAD:  # the common case, read without Alembic
        _current.add(engine)
        return
    with engine.connect() as conn:
        rev = current(conn)
    if rev != head():
        if db.read_only(engine):  # only a SQLite file in a data dir that cannot be written is opened so
            raise SchemaBehind(f"the index's database is older than this newsbot (at {rev or 'no revision'}, "
                               f"needs {head()}) and its data dir cannot be written: "
                               f"run `{UPGRADE_COMMAND}` where it can be")
        upgrade(engine)
    _current.add(engine)


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Run every migration the database lacks, holding the schema lock; returns (revision before, after)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:c, :k)"), {"c": db.ADVISORY_CLASS, "k": db.SCHEMA_LOCK})
        elif engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock up front, before looking
        from alembic import command

        before = current(conn)
        cfg = config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    _current.add(engine)
    return before, head()
