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
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from index.db import ADVISORY_CLASS, DIGEST_LOCK, FOLLOW_LOCK, WRITER_LOCK
from index.errors import WriterBusy


@dataclass(frozen=True)
class Role:
    """A job only one process may do at a time: its lock file, advisory key and how a busy one is described."""

    file: str
    key: int
    who: str
    doing: str
    hint: str


WRITER = Role("index.lock", WRITER_LOCK, "indexer", "is writing to", "try again when it finishes (or pass --wait)")
FOLLOWER = Role("follow.lock", FOLLOW_LOCK, "follower", "is following the sources of",
                "one follower polls for everyone (stop it first to run another)")
DIGESTER = Role("digest.lock", DIGEST_LOCK, "digest poster", "is posting the scheduled digests of",
                "one bot process posts each digest")


@contextlib.contextmanager
def writer_lock(data_dir: Path, wait: float = 0.0, on_wait=None, engine: Engine | None = None, role: Role = WRITER):
    """Hold the index's writer lock (or another role's); wait up to `wait` seconds (forever if negative) for it."""
    deadline = None if wait < 0 else time.monotonic() + wait
    with _file_lock(data_dir, deadline, on_wait, role):
        if engine is not None and engine.dialect.name == "postgresql":
            with _advisory_lock(engine, deadline, on_wait, role):
                yield
        else:
            yield


def follower_lock(data_dir: Path, wait: float = 0.0, on_wait=None, engine: Engine | None = None):
    """Hold the follower's lock: one process polls the followed sources of an index."""
    return writer_lock(data_dir, wait, on_wait, engine, role=FOLLOWER)


def digest_lock(data_dir: Path, engine: Engine | None = None):
    """Held by the one bot process posting a scheduled digest; WriterBusy at once when another holds it."""
    return writer_lock(data_dir, 0.0, None, engine, role=DIGESTER)


@contextlib.contextmanager
def _file_lock(data_dir: Path, deadline: float | None, on_wait, role: Role):
    """An flock on data_dir/<role file> holding the holder's pid."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / role.file
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _poll(lambda: _try_flock(fd), lambda: _holder(path), str(path.parent), deadline, on_wait, role)
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
def _advisory_lock(engine: Engine, deadline: float | None, on_wait, role: Role):
    """pg_advisory_lock on a connection of its own; PostgreSQL drops it when a killed writer's session ends."""
    keys = {"c": ADVISORY_CLASS, "k": role.key}
    # autocommit: the lock belongs to the session, so the connection need not sit idle in a transaction
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        me = f"newsbot {role.who} pid {os.getpid()} on {socket.gethostname()}"
        conn.execute(text("SELECT set_config('application_name', :me, false)"), {"me": me})

        def taken() -> bool:
            return conn.execute(text("SELECT pg_try_advisory_lock(:c, :k)"), keys).scalar()

        where = engine.url.render_as_string(hide_password=True)
        _poll(taken, lambda: _pg_holder(conn, role), where, deadline, on_wait, role)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):  # a lost connection has already dropped the lock
                conn.execute(text("SELECT pg_advisory_unlock(:c, :k)"), keys)


def _poll(take, holder, where: str, deadline: float | None, on_wait, role: Role) -> None:
    """Call take() until it succeeds; tell on_wait once, raise WriterBusy at the deadline."""
    told = False
    while not take():
        busy = f"another newsbot {role.who}{holder()} {role.doing} {where}"
        if deadline is not None and time.monotonic() >= deadline:
            raise WriterBusy(f"{busy}; {role.hint}")
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


def _pg_holder(conn, role: Role) -> str:
    """' (pid N on HOST)': from the application name of the session holding the lock."""
    name = conn.execute(text(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :c AND l.objid = :k AND l.objsubid = 2"
    ), {"c": ADVISORY_CLASS, "k": role.key}).scalar()
    return f" ({name.removeprefix(f'newsbot {role.who} ')})" if name else ""
