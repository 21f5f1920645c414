"""Health over HTTP: /healthz (the process is alive) and /readyz (the checks of index/health.py pass).

`newsbot slack` serves both beside /slack/events in HTTP mode, and on NEWSBOT_HEALTH_PORT in Socket Mode.
"""

from __future__ import annotations

import logging
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

log = logging.getLogger("newsbot.health")


def health_app(ready):
    """A WSGI app for /healthz (alive: always 200) and /readyz (200 when every check passes, else 503);
    ready() returns the checks. Other paths: None, for the caller to serve."""

    def serve(environ, start_response):
        path = environ.get("PATH_INFO")
        if path == "/healthz":
            return _reply(start_response, "200 OK", "ok\n")
        if path == "/readyz":
            checks = ready()
            body = "".join(c.line() + "\n" for c in checks)
            return _reply(start_response, "200 OK" if all(c.ok for c in checks) else "503 Service Unavailable", body)
        return None

    return serve


def _reply(start_response, status: str, body: str) -> list[bytes]:
    """A short text/plain response."""
    data = body.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]


class _Threading(ThreadingMixIn, WSGIServer):
    """A slow check (a server timing out) must not hold up the liveness probe."""

    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    """Probes every few seconds: access lines at debug level only."""

    def log_message(self, format, *args):
        log.debug("%s - %s", self.address_string(), format % args)


def serve_health(ready, host: str, port: int) -> WSGIServer:
    """The health paths alone on their own port (Socket Mode has no HTTP server of its own), in a thread."""
    health = health_app(ready)

    def app(environ, start_response):
        return health(environ, start_response) or _reply(start_response, "404 Not Found", "not found\n")

    server = make_server(host, port, app, server_class=_Threading, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, name="newsbot-health", daemon=True).start()
    log.info("health checks on http://%s:%d/healthz and /readyz", host, server.server_port)
    return server
