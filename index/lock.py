"""One writer at a time: a file lock on the data dir, and a PostgreSQL advisory lock when the index is shared.

The file lock only excludes processes on one machine; indexers on several machines that share a
PostgreSQL record also take a session-level advisory lock there, held on a dedicated connection.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import time
from pathlib import Path

from sqlalchemy import Engine, text

from index.db import ADVISORY_CLASS, DIGEST_LOCK, WRITER_LOCK
from index.errors import WriterBusy


@contextlib.contextmanager
def writer_lock(data_dir: Path, wait: float = 0.0, on_wait=None, engine: Engine | None = None):
    """Hold the index's writer lock; wait up to `wait` seconds (forever if negative) for it."""
    with _lock(data_dir, "index.lock", WRITER_LOCK, "indexer", wait, on_wait, engine):
        yield


@contextlib.contextmanager
def digest_lock(data_dir: Path, engine: Engine | None = None):
    """Held by the one bot process posting a scheduled digest; WriterBusy at once when another holds it."""
    with _lock(data_dir, "digest.lock", DIGEST_LOCK, "digest poster", 0.0, None, engine):
        yield


@contextlib.contextmanager
def _lock(data_dir: Path, name: str, key: int, who: str, wait: float, on_wait, engine: Engine | None):
    """The file lock data_dir/name, and advisory lock `key` when the record is in PostgreSQL."""
    deadline = None if wait < 0 else time.monotonic() + wait
    with _file_lock(data_dir / name, who, deadline, on_wait):
        if engine is not None and engine.dialect.name == "postgresql":
            with _advisory_lock(engine, key, who, deadline, on_wait):
                yield
        else:
            yield


@contextlib.contextmanager
def _file_lock(path: Path, who: str, deadline: float | None, on_wait):
    """An flock on path holding the holder's pid."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _poll(lambda: _try_flock(fd), lambda: _holder(path), who, str(path.parent), deadline, on_wait)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        # The kernel drops the lock if we are killed, so a crashed writer never blocks the next.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _try_flock(fd: int) -> bool:
    """Take the flock if it is free."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


@contextlib.contextmanager
def _advisory_lock(engine: Engine, key: int, who: str, deadline: float | None, on_wait):
    """pg_advisory_lock on a connection of its own; PostgreSQL drops it when a killed writer's session ends."""
    keys = {"c": ADVISORY_CLASS, "k": key}
    # autocommit: the lock belongs to the session, so the connection need not sit idle in a transaction
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        me = f"newsbot {who} pid {os.getpid()} on {socket.gethostname()}"
        conn.execute(text("SELECT set_config('application_name', :me, false)"), {"me": me})

        def taken() -> bool:
            return conn.execute(text("SELECT pg_try_advisory_lock(:c, :k)"), keys).scalar()

        where = engine.url.render_as_string(hide_password=True)
        _poll(taken, lambda: _pg_holder(conn, key, who), who, where, deadline, on_wait)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):  # a lost connection has already dropped the lock
                conn.execute(text("SELECT pg_advisory_unlock(:c, :k)"), keys)


def _poll(take, holder, who: str, where: str, deadline: float | None, on_wait) -> None:
    """Call take() until it succeeds; tell on_wait once, raise WriterBusy at the deadline."""
    told = False
    while not take():
        busy = f"another newsbot {who}{holder()} is {'writing to' if who == 'indexer' else 'working in'} {where}"
        if deadline is not None and time.monotonic() >= deadline:
            raise WriterBusy(f"{busy}; try again when it finishes (or pass --wait)")
        if on_wait and not told:
            on_wait(f"{busy}; waiting…")
            told = True
        time.sleep(0.2)


def _holder(path: Path) -> str:
    """' (pid N)' for the process holding the lock, when it wrote its pid."""
    try:
        pid = path.read_text().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def _pg_holder(conn, key: int, who: str) -> str:
    """' (pid N on HOST)': from the application name of the session holding the lock."""
    name = conn.execute(text(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :c AND l.objid = :k AND l.objsubid = 2"
    ), {"c": ADVISORY_CLASS, "k": key}).scalar()
    return f" ({name.removeprefix(f'newsbot {who} ')})" if name else ""
