"""Serving the Slack app: Socket Mode, or HTTP on /slack/events (and /healthz, /readyz), optionally with the watcher
and the follower."""

from __future__ import annotations

import logging
import sys
import threading
from functools import partial
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.health import health_app, serve_health
from bot.slack.errors import SlackConfigError
from bot.slack.settings import SlackSection
from index.health import readiness

log = logging.getLogger("newsbot.slack")


DRAIN_LIMIT = 64 << 20  # an oversized body is read (and dropped) up to this, so its sender gets the 413


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow request never holds up Slack's 3-second acks."""

    daemon_threads = True
    # the listen backlog: socketserver's 5 resets connections when Slack delivers a burst of events
    request_queue_size = 1024


class _QuietHandler(WSGIRequestHandler):
    """Access lines go to our logger at debug level, not to stderr."""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        log.debug("%s - %s", self.address_string(), format % args)


def wsgi_app(app: App, max_body: int | None = None, ready=None):
    """A WSGI callable that serves /slack/events, /healthz and /readyz when ready() gives the checks (404 elsewhere).

    Before Bolt sees a request: a body over max_body bytes is answered 413, and a request timestamp
    that is not a number 401 (Bolt's signature check would fail on it with a 500).
    """
    handler = SlackRequestHandler(app)
    limit = max_body or SlackSection.model_fields["max_body_bytes"].default
    health = health_app(ready) if ready else None

    def application(environ, start_response):
        if environ.get("PATH_INFO") != "/slack/events":
            served = health(environ, start_response) if health else None
            return served if served is not None else _plain(start_response, "404 Not Found", "not found")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _plain(start_response, "400 Bad Request", "Content-Length is not a number")
        if length > limit:
            _drain(environ["wsgi.input"], length)
            log.warning("refused a %d-byte request body (NEWSBOT_SLACK_MAX_BODY_BYTES=%d)", length, limit)
            return _plain(start_response, "413 Payload Too Large", f"request body over {limit} bytes")
        stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        if stamp is not None and not stamp.strip().isdigit():
            return _plain(start_response, "401 Unauthorized", "invalid X-Slack-Request-Timestamp")
        return handler(environ, start_response)

    return application


def _plain(start_response, status: str, text: str) -> list[bytes]:
    """A short text/plain response."""
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _drain(stream, length: int) -> None:
    """Read and drop a refused body (up to DRAIN_LIMIT): closing on unread data would reset the connection."""
    left = min(length, DRAIN_LIMIT)
    while left > 0 and (chunk := stream.read(min(left, 1 << 16))):
        left -= len(chunk)


def serve_http(app: App, host: str, port: int, max_body: int | None = None, ready=None) -> WSGIServer:
    """Start the HTTP server in a background thread and return it (server_port has the port)."""
    server = make_server(host, port, wsgi_app(app, max_body, ready), server_class=_ThreadingWSGIServer,
                         handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="newsbot-http", daemon=True).start()
    log.info("listening on http://%s:%d/slack/events", host, server.server_port)
    return server


def serve_socket_mode(app: App, app_token: str) -> None:
    """Connect to Slack over a websocket (no public URL needed) and block."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    SocketModeHandler(app, app_token).start()


def run_slack(args, settings) -> int:
    """`newsbot slack`: Socket Mode with SLACK_APP_TOKEN, else HTTP on /slack/events; blocks until stopped."""
    import time

    from bot.app import build_deps
    from bot.slack.app import check_tokens, create_app
    from bot.slack.digests import start_digests

    socket_mode = bool(settings.slack.app_token.get_secret_value())
    check_tokens(settings, socket_mode)
    verify_bot_token(settings)  # before the index and the model: a bad token is one line, at once
    deps = build_deps(settings)
    warmed = threading.Event()
    ready = partial(readiness, deps.writer, warmed)
    if socket_mode and settings.slack.health_port:
        serve_health(ready, "0.0.0.0", settings.slack.health_port)
    deps.service.warm_up()
    warmed.set()
    from index.sources.registry import warnings

    app = create_app(settings, deps.service, deps.store, source_warnings=lambda: warnings(deps.engine, settings))
    start_digests(settings, deps.index, deps.engine, app.client)  # NEWSBOT_DIGESTS, posted once across processes
    if settings.slack.watch_dir:
        start_watcher(settings, deps.writer)
    if settings.slack.follow:
        start_follower(settings, deps.writer)
    else:  # another process follows: this log still says when a source goes quiet
        start_warning_log(settings, deps.engine)
    if socket_mode:
        serve_socket_mode(app, settings.slack.app_token.get_secret_value())
        return 0
    server = serve_http(app, args.host, args.port, settings.slack.max_body_bytes, ready)
    print(f"newsbot: listening on http://{args.host}:{server.server_port}/slack/events", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def verify_bot_token(settings) -> None:
    """auth.test the bot token; a refusal or an unreachable Slack is a SlackConfigError naming the setting."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    quiet = logging.getLogger("newsbot.slack.auth_test")  # the one-line error says it all; no SDK error lines
    quiet.setLevel(logging.CRITICAL)
    client = WebClient(token=settings.slack.bot_token.get_secret_value(), base_url=settings.slack.api_url,
                       timeout=15, logger=quiet)
    try:
        client.auth_test()
    except SlackApiError as exc:
        why = exc.response.get("error") if isinstance(exc.response.data, dict) else exc.response.status_code
        raise SlackConfigError(f"SLACK_BOT_TOKEN was refused by Slack's auth.test ({why or 'no reason given'})") from None
    except OSError as exc:  # urllib's URLError, a refused connection, a timeout
        reason = getattr(exc, "reason", None) or exc.strerror or type(exc).__name__
        raise SlackConfigError(f"cannot reach the Slack Web API at SLACK_API_URL={settings.slack.api_url} "
                               f"to check SLACK_BOT_TOKEN ({reason})") from None


def start_watcher(settings, index):
    """Index NEWSBOT_WATCH_DIR now and on every change, in this process (the only writer)."""
    from index.sync import Indexer
    from index.watch import FolderWatcher

    indexer = Indexer(index, settings)
    report = indexer.sync([settings.slack.watch_dir], wait=-1)
    log.info("indexed %s: %s", settings.slack.watch_dir, report.summary())
    return FolderWatcher(indexer, [settings.slack.watch_dir]).start()


def start_follower(settings, index):
    """Poll the followed sources in this process (NEWSBOT_FOLLOW); their warnings go to the log as they start."""
    from index.sources.follow import make_follower

    return make_follower(settings, index).start()


def start_warning_log(settings, engine, every: float = 60.0):
    """Log followed sources' warnings as they start (the follower runs elsewhere); returns the stop event."""
    from index.sources.follow import WarningLog
    from index.sources.registry import Registry

    return WarningLog(Registry(engine), settings).start(every)
