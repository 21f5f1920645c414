"""Outage naming and reconnect backoff (index/servers.py), and the health paths' replies (bot/health.py)."""

from __future__ import annotations

import time

import pytest

from bot.health import health_app
from index.errors import ServerUnavailable
from index.health import Check
from index.servers import Backoff, database_address, database_outage, is_away, reason

REFUSED = ('connection failed: connection to server at "10.0.0.5", port 5433 failed: Connection refused\n'
           "\tIs the server running on that host and accepting TCP/IP connections?")


def test_database_outage_names_address_and_setting_never_credentials():
    address = database_address("postgresql+psycopg://newsbot:s3cret-pass@db.internal:5433/newsbot")
    outage = database_outage(address, Exception(REFUSED))
    assert str(outage) == "the database server at db.internal:5433 (NEWSBOT_DATABASE_URL) is unavailable: " \
                          "Connection refused"
    assert "s3cret" not in str(outage) and "newsbot@" not in str(outage)
    assert outage.exit_code == 69
    assert outage.for_questions().startswith("search is unavailable right now (the database server at ")
    assert database_address("postgresql://u@/newsbot") == "the local socket:5432"


def test_away_is_told_from_refused_credentials():
    assert is_away(Exception(REFUSED))
    assert is_away(Exception("terminating connection due to administrator command"))
    assert is_away(Exception("anything at all"), disconnect=True)
    assert not is_away(Exception('FATAL:  password authentication failed for user "newsbot" (connection refused?)'))
    assert not is_away(Exception('FATAL:  database "nope" does not exist'))
    assert reason(Exception("")) == "Exception"


def test_backoff_doubles_to_its_cap_and_resets_on_success():
    backoff = Backoff(start=0.05, cap=0.1)
    backoff.check()  # nothing failed yet
    outage = ServerUnavailable("Chroma server", "127.0.0.1:1", "CHROMA_HOST/CHROMA_PORT", "refused")
    backoff.failed(outage)
    with pytest.raises(ServerUnavailable):
        backoff.check()
    time.sleep(0.06)
    backoff.check()  # the first backoff is over: one try is let through
    backoff.failed(outage)
    backoff.failed(outage)  # 0.1, capped (0.05 * 4 would be 0.2)
    assert backoff.until - time.monotonic() <= 0.1
    backoff.succeeded()
    backoff.check()


def _call(app, path):
    got = {}
    body = app({"PATH_INFO": path}, lambda status, headers: got.update(status=status))
    return (got.get("status"), b"".join(body).decode()) if body is not None else None


def test_health_paths():
    checks = [Check("database", True, "SQLite"), Check("chroma", False, "the Chroma server at h:1 is unavailable")]
    app = health_app(lambda: checks)
    assert _call(app, "/healthz") == ("200 OK", "ok\n")
    status, body = _call(app, "/readyz")
    assert status.startswith("503") and "chroma     down  the Chroma server at h:1" in body
    checks[1] = Check("chroma", True, "embedded")
    assert _call(app, "/readyz")[0] == "200 OK"
    assert _call(app, "/slack/events") is None  # the caller's to serve


def test_socket_mode_health_listener_over_http():
    import urllib.error
    import urllib.request

    from bot.health import serve_health

    checks = [Check("model", False, "loading")]
    server = serve_health(lambda: checks, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        assert urllib.request.urlopen(url + "/healthz", timeout=10).read() == b"ok\n"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "/readyz", timeout=10)
        assert refused.value.code == 503 and b"model      down  loading" in refused.value.read()
        checks[0] = Check("model", True, "ready")
        assert urllib.request.urlopen(url + "/readyz", timeout=10).status == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "/slack/events", timeout=10)
        assert missing.value.code == 404
    finally:
        server.shutdown()
