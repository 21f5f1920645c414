"""robots.txt per origin (RFC 9309 through urllib.robotparser), fetched through the guarded fetcher and cached."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.robotparser import RobotFileParser

from index.errors import AddressRefused, FetchError
from index.sources.urls import origin

TTL = 3600.0  # a robots.txt is read again after an hour
ERROR_TTL = 300.0  # an unreachable one is tried again sooner
MAX_CRAWL_DELAY = 60.0


class Rules:
    """What one origin's robots.txt allows this user agent."""

    def __init__(self, parser: RobotFileParser | None, allow_all: bool, reason: str = ""):
        self.parser = parser
        self.allow_all = allow_all
        self.reason = reason  # why everything is disallowed, when robots.txt could not be read

    def allows(self, agent: str, url: str) -> bool:
        """May this agent fetch url?"""
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float:
        """Seconds the site asks between requests (0 when it does not say)."""
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0


class RobotsCache:
    """Rules per origin; `fetch(url) -> (status, text)` reads a robots.txt (raising FetchError)."""

    def __init__(self, fetch: Callable[[str], tuple[int, str]], clock=time.monotonic):
        self.fetch = fetch
        self.clock = clock
        self._rules: dict[str, tuple[Rules, float]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules(self, url: str) -> Rules:
        """The rules of url's origin, read once per TTL (one reader at a time per origin)."""
        key = origin(url)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            cached = self._rules.get(key)
            if cached and cached[1] > self.clock():
                return cached[0]
            rules, ttl = self._read(key)
            self._rules[key] = (rules, self.clock() + ttl)
            return rules

    def cached(self, key: str) -> Rules | None:
        """An origin's rules if they were read already (no fetching)."""
        entry = self._rules.get(key)
        return entry[0] if entry else None

    def _read(self, key: str) -> tuple[Rules, float]:
        """Fetch and parse; a missing robots.txt allows everything, an unreachable one nothing (RFC 9309 2.3.1)."""
        try:
            status, text = self.fetch(f"{key}/robots.txt")
        except AddressRefused:
            raise  # the url itself may not be fetched: say so, not that its robots.txt is unreachable
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return Rules(None, allow_all=True), TTL
            return Rules(None, allow_all=False, reason=f"robots.txt unreachable ({exc.reason})"), ERROR_TTL
        if 400 <= status < 500:
            return Rules(None, allow_all=True), TTL
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        return Rules(parser, allow_all=True), TTL
