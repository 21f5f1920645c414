"""Fetching like a good citizen: timeouts, retries with backoff, conditional requests, size and type limits,
a user agent, one or two requests at a time per host with a delay, robots.txt, and the private-address guard."""

from __future__ import annotations

import contextlib
import email.utils
import logging
import threading
import time
from dataclasses import dataclass

import httpx

from index.errors import AddressRefused, FetchError
from index.settings import CoreSettings
from index.sources.guard import (
    GuardedTransport,
    PrivateAddress,
    literal_address,
    policy,
)
from index.sources.robots import RobotsCache
from index.sources.urls import check_web_url, origin, resolve

log = logging.getLogger("newsbot.sources")

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# HTML is let through where a feed is expected, so that it is reported as such rather than by its type
LISTING_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/gzip", "application/x-gzip", "application/octet-stream", "text/plain",
}) | PAGE_TYPES
ACCEPT = {PAGE_TYPES: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
          LISTING_TYPES: "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"}
REDIRECTS = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}
ROBOTS_MAX_BYTES = 512_000


@dataclass
class Fetched:
    """One response: where it ended up, its status, body and the validators for the next conditional request."""

    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    charset: str = ""
    etag: str = ""
    last_modified: str = ""
    location: str = ""
    retry_after: str = ""

    @property
    def not_modified(self) -> bool:
        """304: nothing changed since the validators we sent."""
        return self.status == 304


class HostGate:
    """At most `per_host` requests at a time to one origin, started at least `delay` seconds apart."""

    def __init__(self, per_host: int, sleep=time.sleep, clock=time.monotonic):
        self.per_host = per_host
        self.sleep, self.clock = sleep, clock
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def hold(self, key: str, delay: float):
        """Wait for a free slot and this origin's next start time, then hold the slot."""
        with self._lock:
            slot = self._slots.setdefault(key, threading.BoundedSemaphore(self.per_host))
        with slot:
            with self._lock:
                now = self.clock()
                start = max(now, self._next.get(key, now))
                self._next[key] = start + delay
            if start > now:
                self.sleep(start - now)
            yield


class Fetcher:
    """GET urls for the sources; every refusal or failure is a FetchError naming the url and the reason."""

    def __init__(self, settings: CoreSettings, blocked=None, sleep=time.sleep):
        self.settings = settings
        self.sleep = sleep
        self.gate = HostGate(settings.fetch.per_host, sleep=sleep)
        self.blocked = blocked or policy(settings.fetch.allow_private)
        self.client = httpx.Client(
            transport=GuardedTransport(self.blocked, max_connections=max(8, settings.fetch.workers * 2)),
            timeout=httpx.Timeout(settings.fetch.timeout), follow_redirects=False, trust_env=False,
            headers={"User-Agent": settings.fetch.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self.robots = RobotsCache(self._robots_txt)
        self.requests = 0  # requests sent, for the benchmark and the logs
        self._count = threading.Lock()

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def get(self, url: str, accept=LISTING_TYPES, etag: str = "", last_modified: str = "") -> Fetched:
        """Fetch url (following redirects), conditionally when validators are given."""
        headers = {"Accept": ACCEPT.get(accept, "*/*")}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, accept, headers, self.settings.fetch.max_bytes, robots=True)

    def _follow(self, url: str, accept, headers: dict, max_bytes: int, robots: bool) -> Fetched:
        """Follow redirects by hand, checking each hop's scheme, address and robots.txt, and catching loops."""
        seen: list[str] = []
        current = url
        while True:
            self._check(current, robots)
            seen.append(current)
            got = self._with_retries(current, accept, headers, max_bytes)
            if got.status not in REDIRECTS:
                return got
            if not got.location:
                raise FetchError(current, f"HTTP {got.status} redirect without a Location")
            target = resolve(current, got.location)
            if target in seen:
                raise FetchError(url, f"redirect loop ({' -> '.join([*seen, target])})")
            if len(seen) > self.settings.fetch.max_redirects:
                raise FetchError(url, f"more than {self.settings.fetch.max_redirects} redirects "
                                      "(NEWSBOT_FETCH_MAX_REDIRECTS)")
            current = target

    def _check(self, url: str, robots: bool) -> None:
        """Scheme, literal private addresses (names are checked when they resolve), robots.txt."""
        check_web_url(url)
        host = httpx.URL(url).host
        ip = literal_address(host)
        if ip is not None and self.blocked(ip):
            raise AddressRefused(url, f"{host} is a private or local address (set NEWSBOT_FETCH_ALLOW_PRIVATE=true "
                                      "to allow it)")
        if robots:
            rules = self.robots.rules(url)
            if not rules.allows(self.settings.fetch.user_agent, url):
                raise FetchError(url, rules.reason or "disallowed by robots.txt")

    def _with_retries(self, url: str, accept, headers: dict, max_bytes: int) -> Fetched:
        """One request, retried with backoff on network errors, timeouts, 429 and 5xx."""
        attempts = self.settings.fetch.retries + 1
        for attempt in range(attempts):
            try:
                got = self._once(url, accept, headers, max_bytes)
            except PrivateAddress as exc:
                raise AddressRefused(url, f"refused: {exc}") from None
            except httpx.TimeoutException:
                failure, wait = f"timed out (NEWSBOT_FETCH_TIMEOUT is {self.settings.fetch.timeout:g}s)", None
            except httpx.TransportError as exc:
                failure, wait = f"network error: {exc or type(exc).__name__}", None
            else:
                if got.status not in RETRY_STATUSES:
                    return got
                failure, wait = f"HTTP {got.status}", _retry_after(got)
            if attempt + 1 < attempts:
                pause = self.settings.fetch.backoff * 2 ** attempt
                self.sleep(min(max(pause, wait or 0), 60.0))
        status = got.status if failure.startswith("HTTP") else None
        raise FetchError(url, f"{failure} (after {attempts} attempts)", status=status, transient=True)

    def _once(self, url: str, accept, headers: dict, max_bytes: int) -> Fetched:
        """Send one GET through the host gate and read the body within the size and time limits."""
        key = origin(url)
        delay = max(self.settings.fetch.delay, self._crawl_delay(key))
        with self.gate.hold(key, delay), self.client.stream("GET", url, headers=headers) as resp:
            with self._count:
                self.requests += 1
            got = Fetched(url=str(resp.url), status=resp.status_code, location=resp.headers.get("location", ""),
                          etag=resp.headers.get("etag", ""), last_modified=resp.headers.get("last-modified", ""),
                          retry_after=resp.headers.get("retry-after", ""))
            got.content_type, _, params = resp.headers.get("content-type", "").partition(";")
            got.content_type = got.content_type.strip().lower()
            got.charset = _charset(params)
            if resp.status_code in REDIRECTS or resp.status_code in RETRY_STATUSES or resp.status_code == 304:
                return got
            if resp.status_code >= 400:
                raise FetchError(url, f"HTTP {resp.status_code}", status=resp.status_code)
            if accept and got.content_type and got.content_type not in accept:
                raise FetchError(url, f"unexpected Content-Type {got.content_type} (expected "
                                      f"{'an HTML page' if accept is PAGE_TYPES else 'a feed, sitemap or page'})")
            got.content = self._read(url, resp, max_bytes)
            return got

    def _read(self, url: str, resp: httpx.Response, max_bytes: int) -> bytes:
        """The decoded (un-gzipped) body, refused past max_bytes or the deadline."""
        too_big = f"larger than {max_bytes} bytes (NEWSBOT_FETCH_MAX_BYTES)"
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(url, too_big)
        deadline = time.monotonic() + self.settings.fetch.deadline
        body = bytearray()
        for chunk in resp.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(url, too_big)
            if time.monotonic() > deadline:
                raise FetchError(url, f"too slow: not complete after {self.settings.fetch.deadline:g}s "
                                      "(NEWSBOT_FETCH_DEADLINE)")
        return bytes(body)

    def _crawl_delay(self, key: str) -> float:
        """The Crawl-delay robots.txt asks of us, when it was read already (never fetched from here)."""
        rules = self.robots.cached(key)
        return rules.crawl_delay(self.settings.fetch.user_agent) if rules else 0.0

    def _robots_txt(self, url: str) -> tuple[int, str]:
        """Read a robots.txt: (status, text); a 4xx comes back as a FetchError with its status."""
        got = self._follow(url, None, {"Accept": "text/plain,*/*;q=0.5"}, ROBOTS_MAX_BYTES, robots=False)
        return got.status, got.content.decode(got.charset or "utf-8", errors="replace")


def _charset(params: str) -> str:
    """The charset parameter of a Content-Type, lowercased."""
    for part in params.split(";"):
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'").lower()
    return ""


def _retry_after(got: Fetched) -> float | None:
    """Seconds a 429/503 asks us to wait (Retry-After as seconds or an HTTP date), None when it does not say."""
    value = got.retry_after.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time()) if when else None
