"""Serving the Slack app: Socket Mode, or HTTP on /slack/events, optionally with the watcher."""

from __future__ import annotations

import logging
import sys
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

log = logging.getLogger("newsbot.slack")


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow request never holds up Slack's 3-second acks."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """Access lines go to our logger at debug level, not to stderr."""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        log.debug("%s - %s", self.address_string(), format % args)


def wsgi_app(app: App):
    """A WSGI callable that serves /slack/events (and answers 404 elsewhere)."""
    handler = SlackRequestHandler(app)

    def application(environ, start_response):
        if environ.get("PATH_INFO") != "/slack/events":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        return handler(environ, start_response)

    return application


def serve_http(app: App, host: str, port: int) -> WSGIServer:
    """Start the HTTP server in a background thread and return it (server_port has the port)."""
    server = make_server(host, port, wsgi_app(app), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
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

    socket_mode = bool(settings.slack_app_token.get_secret_value())
    check_tokens(settings, socket_mode)
    deps = build_deps(settings)
    deps.service.warm_up()
    app = create_app(settings, deps.service, deps.store)
    start_digests(settings, deps.index, deps.engine, app.client)  # NEWSBOT_DIGESTS, posted once across processes
    if settings.watch_dir:
        start_watcher(settings, deps.index)
    if socket_mode:
        serve_socket_mode(app, settings.slack_app_token.get_secret_value())
        return 0
    server = serve_http(app, args.host, args.port)
    print(f"newsbot: listening on http://{args.host}:{server.server_port}/slack/events", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def start_watcher(settings, index):
    """Index NEWSBOT_WATCH_DIR now and on every change, in this process (the only writer)."""
    from index.sync import Indexer
    from index.watch import FolderWatcher

    indexer = Indexer(index, settings)
    report = indexer.sync([settings.watch_dir], wait=-1)
    log.info("indexed %s: %s", settings.watch_dir, report.summary())
    return FolderWatcher(indexer, [settings.watch_dir]).start()
