"""The servers an index may live on (PostgreSQL, a Chroma server): their names, outages and reconnect backoff.

A server that cannot be reached, or goes away mid-run, becomes one `ServerUnavailable` naming its
address and the setting that points at it (never credentials). After a failure, calls fail fast
for a backoff that doubles up to BACKOFF_CAP seconds, so a fleet of bot processes does not hammer
a server that is coming back; the first call after the backoff tries again, and a success resets it.
"""

from __future__ import annotations

import re
import threading
import time

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from index.errors import ServerUnavailable

DATABASE = ("database server", "NEWSBOT_DATABASE_URL")
CHROMA = ("Chroma server", "CHROMA_HOST/CHROMA_PORT")
BACKOFF_START = 0.5  # seconds
BACKOFF_CAP = 8.0
# psycopg's words for a server that is not there (or stopped under us); a refused password or a missing
# database is a configuration error instead, and stays one
_AWAY = re.compile(r"refused|timed? ?out|could not connect|closed the connection|terminating connection|"
                   r"shutting down|starting up|no route|not known|could not translate host|connection is lost|"
                   r"consuming input failed|server closed|connection reset|broken pipe|recovery mode|"
                   r"connection is closed|network is unreachable", re.IGNORECASE)


class Backoff:
    """Consecutive failures of one server: how long to fail fast before trying it again."""

    def __init__(self, start: float = BACKOFF_START, cap: float = BACKOFF_CAP):
        self.start, self.cap = start, cap
        self.failures = 0
        self.until = 0.0
        self.last: ServerUnavailable | None = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise the last outage while still backing off from it."""
        with self._lock:
            if self.last is not None and time.monotonic() < self.until:
                raise self.last

    def failed(self, exc: ServerUnavailable) -> None:
        """Count a failure: the next try waits twice as long as the last (up to the cap)."""
        with self._lock:
            self.until = time.monotonic() + min(self.cap, self.start * 2 ** self.failures)
            self.failures += 1
            self.last = exc

    def succeeded(self) -> None:
        """The server answered: no more waiting."""
        with self._lock:
            self.failures, self.until, self.last = 0, 0.0, None


def database_address(url: str) -> str:
    """host:port of a PostgreSQL url (no user, no password)."""
    parsed = make_url(url)
    host = parsed.host or parsed.query.get("host") or "the local socket"
    return f"{host}:{parsed.port or 5432}"


def chroma_address(settings) -> str:
    """host:port of the configured Chroma server."""
    return f"{settings.servers.chroma_host}:{settings.servers.chroma_port}"


def reason(exc: BaseException) -> str:
    """A short reason from a driver's message (its first line, without psycopg's 'connection failed:' lead)."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    first = re.sub(r"^connection failed:\s*", "", first)
    first = re.sub(r'connection to server at "[^"]*"(?: \([^)]*\))?, port \d+ failed:\s*', "", first)
    return first[:200] or type(exc).__name__


def database_outage(address: str, exc: BaseException) -> ServerUnavailable:
    """The one error for a database server that is away."""
    return ServerUnavailable(DATABASE[0], address, DATABASE[1], reason(exc))


def is_away(exc: BaseException, disconnect: bool = False) -> bool:
    """Does a driver error say the server is not there (rather than refusing us)?"""
    if disconnect:
        return True
    text = str(exc)
    return bool(_AWAY.search(text)) and "authentication failed" not in text and "does not exist" not in text


def watch_engine(engine: Engine, url: str) -> Engine:
    """Turn a PostgreSQL server that is away into ServerUnavailable, with backoff before reconnecting."""
    address = database_address(url)
    backoff = Backoff()
    engine.info_backoff = backoff  # for health checks and tests

    @event.listens_for(engine, "do_connect")
    def _gate(*_args):
        backoff.check()

    @event.listens_for(engine, "connect")
    def _connected(*_args):
        backoff.succeeded()

    @event.listens_for(engine, "handle_error")
    def _named(ctx):
        if ctx.is_pre_ping:  # a pooled connection found dead: the pool reconnects on its own
            return
        if isinstance(ctx.original_exception, ServerUnavailable):
            raise ctx.original_exception
        dbapi_error = getattr(engine.dialect.loaded_dbapi, "OperationalError", ())
        if isinstance(ctx.original_exception, dbapi_error) and is_away(ctx.original_exception, ctx.is_disconnect):
            outage = database_outage(address, ctx.original_exception)
            backoff.failed(outage)
            raise outage from None

    return engine


def chroma_transport_error(exc: BaseException) -> bool:
    """Is this an HTTP client's failure to reach the Chroma server (not a refused request)?"""
    import httpx

    if isinstance(exc, (httpx.TransportError, ConnectionError)):
        return True
    text = str(exc)  # chromadb wraps a failed first contact in its own ValueError
    return "Could not connect" in text or bool(_AWAY.search(text)) and "chroma" in type(exc).__module__
