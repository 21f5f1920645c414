"""A newsroom's web site on 127.0.0.1: feeds, sitemaps, robots.txt and pages, with a log of every request.

Routes are set by the test (and may change between polls); responses carry ETag and Last-Modified
and answer 304 to a matching conditional request, gzip when asked, as real servers do.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict = field(default_factory=dict)
    validators: bool = True  # ETag / Last-Modified, and 304 for a matching conditional request
    delay: float = 0.0  # seconds before the answer starts
    trickle: float = 0.0  # seconds between bytes of the body
    fail_first: int = 0  # answer 503 this many times before answering properly
    modified: float = field(default_factory=time.time)


@dataclass
class Request:
    """One request the server got."""

    path: str
    headers: dict
    at: float  # time.monotonic() when it arrived


class Newsroom:
    """The local web server: `with Newsroom() as site: site.route('/feed.xml', ...)`; site.url('/x') is absolute."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0  # most requests served at once
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, 0), _handler(self))
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_port

    def __enter__(self) -> Newsroom:
        threading.Thread(target=self.server.serve_forever, name="newsroom", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        """The absolute url of a path on this site."""
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, body: bytes | str = b"", **kw) -> Route:
        """Serve body at path (a str is UTF-8 encoded); keyword arguments as Route's."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self.routes[path] = Route(body=data, **kw)
            return self.routes[path]

    def seen(self, path: str | None = None) -> list[Request]:
        """Requests so far (to one path, when given)."""
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    def clear(self) -> None:
        """Forget the requests seen so far."""
        with self._lock:
            self.requests.clear()


def _handler(site: Newsroom):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):
            with site._lock:
                site.in_flight += 1
                site.max_in_flight = max(site.max_in_flight, site.in_flight)
            try:
                self._get()
            finally:
                with site._lock:
                    site.in_flight -= 1

        def _get(self):
            with site._lock:
                site.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()},
                                             time.monotonic()))
                route = site.routes.get(self.path) or site.routes.get(self.path.split("?", 1)[0])
                failing = route is not None and route.fail_first > 0
                if failing:
                    route.fail_first -= 1
            if route is None:
                return self._send(404, b"not found", {"Content-Type": "text/plain"})
            time.sleep(route.delay)
            if failing:
                return self._send(503, b"try later", {"Content-Type": "text/plain", "Retry-After": "0"})
            headers = {"Content-Type": route.content_type, **route.headers}
            if route.validators and route.status == 200:
                etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                headers.update({"ETag": etag, "Last-Modified": formatdate(route.modified, usegmt=True)})
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", {"ETag": etag})
            body = route.body
            if "gzip" in self.headers.get("Accept-Encoding", "") and route.status == 200 and not route.trickle:
                body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
            self._send(route.status, body, headers, route.trickle)

        def _send(self, status: int, body: bytes, headers: dict, trickle: float = 0.0):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                if not trickle:
                    self.wfile.write(body)
                    return
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(trickle)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
                pass

    return Handler


def rss(title: str, items: list[dict]) -> str:
    """An RSS 2.0 feed: items with link, title, date (RFC 822), author and updated (atom:updated)."""
    entries = "".join(
        "<item>"
        f"<title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        + (f"<pubDate>{i['date']}</pubDate>" if i.get("date") else "")
        + (f"<dc:creator>{escape(i['author'])}</dc:creator>" if i.get("author") else "")
        + (f"<atom:updated>{i['updated']}</atom:updated>" if i.get("updated") else "")
        + "</item>" for i in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            f'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>{escape(title)}</title>{entries}</channel></rss>')


def atom(title: str, items: list[dict]) -> str:
    """An Atom feed: entries with link, title, updated (ISO) and author."""
    entries = "".join(
        f"<entry><title>{escape(i['title'])}</title><link rel=\"alternate\" href=\"{escape(i['link'])}\"/>"
        f"<id>{escape(i['link'])}</id><updated>{i['updated']}</updated>"
        + (f"<author><name>{escape(i['author'])}</name></author>" if i.get("author") else "")
        + "</entry>" for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title>{entries}</feed>")


def news_sitemap(publication: str, items: list[dict]) -> str:
    """A Google News sitemap: loc, news:publication name, news:publication_date, news:title."""
    urls = "".join(
        f"<url><loc>{escape(i['link'])}</loc><news:news><news:publication><news:name>{escape(publication)}"
        f"</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{i['date']}</news:publication_date><news:title>{escape(i['title'])}</news:title>"
        "</news:news></url>" for i in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')


def sitemap_index(children: list[tuple[str, str]]) -> str:
    """A sitemap index naming (url, lastmod) sitemaps."""
    body = "".join(f"<sitemap><loc>{escape(u)}</loc><lastmod>{m}</lastmod></sitemap>" for u, m in children)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>')


def article_page(title: str, paragraphs: list[str], date: str = "", author: str = "") -> str:
    """A plain article page (for the benchmark and the cases the real pages do not cover)."""
    meta = (f'<meta name="date" content="{date}">' if date else "") + (
        f'<meta name="author" content="{escape(author)}">' if author else "")
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{escape(title)}</title>{meta}</head>"
            f"<body><article><h1>{escape(title)}</h1>{body}</article></body></html>")
