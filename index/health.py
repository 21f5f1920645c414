"""Health probes: can this process answer (its database, its vectors, its model), and are the configured servers up.

bot/health.py serves them over HTTP (/readyz); `newsbot status --check` prints server_checks() one line each.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import text

from index.errors import ServerUnavailable
from index.servers import CHROMA, DATABASE, chroma_address, chroma_transport_error, database_address, reason


@dataclass(frozen=True)
class Check:
    """One thing a ready process needs, and whether it has it."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """'database  ok  127.0.0.1:5432 (NEWSBOT_DATABASE_URL)', or 'down' with the reason."""
        return f"{self.name:10} {'ok' if self.ok else 'down':5} {self.detail}"


def _check(name: str, probe, detail: str) -> Check:
    """Run a probe; any failure is a down check with its one-line reason (never a traceback)."""
    try:
        probe()
        return Check(name, True, detail)
    except ServerUnavailable as exc:
        return Check(name, False, str(exc))
    except Exception as exc:  # noqa: BLE001 - a health check reports, it does not raise
        return Check(name, False, f"{detail}: {reason(exc)}")


def server_checks(settings) -> list[Check]:
    """The configured servers, each reached afresh (for `status --check`); none on the embedded backend."""
    out = []
    if settings.servers.database_url and not settings.servers.database_url.startswith("sqlite"):
        out.append(_check("database", lambda: _select_one(settings.sqlalchemy_url),
                          f"{DATABASE[0]} at {database_address(settings.servers.database_url)} ({DATABASE[1]})"))
    if settings.servers.chroma_host:
        out.append(_check("chroma", lambda: _heartbeat(settings),
                          f"{CHROMA[0]} at {chroma_address(settings)} ({CHROMA[1]})"))
    return out


def _select_one(url: str) -> None:
    """SELECT 1 on a connection of its own."""
    from index.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def _heartbeat(settings) -> None:
    """The Chroma server's heartbeat through a new client; an unreachable one is ServerUnavailable."""
    from index.vectors import make_chroma_client

    try:
        make_chroma_client(settings).heartbeat()
    except Exception as exc:
        if chroma_transport_error(exc):
            raise ServerUnavailable(CHROMA[0], chroma_address(settings), CHROMA[1], reason(exc)) from None
        raise


def readiness(index, warmed: threading.Event) -> list[Check]:
    """What a running process needs to answer: its database, its vectors and its loaded model."""
    settings = index.settings
    where = (f"{DATABASE[0]} at {database_address(settings.servers.database_url)}"
             if settings.servers.database_url and not settings.servers.database_url.startswith("sqlite") else "SQLite")
    checks = [_check("database", lambda: _ping(index.engine), where)]
    if settings.servers.chroma_host:
        checks.append(_check("chroma", index.dense.heartbeat, f"{CHROMA[0]} at {chroma_address(settings)}"))
    else:
        checks.append(_check("chroma", index.dense.count, "embedded"))
    checks.append(Check("model", warmed.is_set(), settings.index.embedding_label if warmed.is_set() else "loading"))
    return checks


def _ping(engine) -> None:
    """SELECT 1 through the process's own pool (so a recovered server is seen as the answers will see it)."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
