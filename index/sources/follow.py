"""Following sources: poll each when it is due, index what is new or changed, keep its freshness, warn when it goes quiet.

Also `newsbot index URL…`: the same reading and writing, once.
"""

from __future__ import annotations

import logging
import threading
import time

from index.errors import FetchError, WriterBusy
from index.lock import follower_lock
from index.settings import CoreSettings
from index.sources.fetch import Fetcher
from index.sources.harvest import Harvest, Harvester
from index.sources.registry import Registry, next_poll, source_warning
from index.sync import Indexer, SyncReport

log = logging.getLogger("newsbot.sources")
MAX_NAP = 5.0  # the registry is read again this often, so a source added meanwhile is picked up


def index_urls(urls: list[str], indexer: Indexer, harvester: Harvester | None = None) -> SyncReport:
    """`newsbot index URL…`: each url a page, feed or sitemap; skipped urls are named in the report.

    Each url is written before the next is read, so a story in a feed and a sitemap is fetched once.
    """
    harvester = harvester or make_harvester(indexer.settings, indexer.index.engine)
    report = SyncReport()
    for url in urls:
        got = harvester.read(url)
        if got.not_modified:
            log.info("%s: not modified since the last fetch", url)
        part = indexer.sync_articles(got.articles, got.gone)
        harvester.registry.save_pages(got.rows_to_save())
        part.skipped += got.skipped
        part.unchanged += got.unchanged + got.not_modified
        for kind, key in part.changes:
            log.info("%s article from %s: %s", kind, url, key)
        report.absorb(part)
    return report


class Follower:
    """Polls the registry's sources when due and writes what they bring through the indexer."""

    def __init__(self, indexer: Indexer, harvester: Harvester, settings: CoreSettings, clock=time.time):
        self.indexer = indexer
        self.harvester = harvester
        self.registry = harvester.registry
        self.settings = settings
        self.clock = clock
        self.warning_log = WarningLog(self.registry, settings, clock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll_due(self, force: bool = False) -> list[tuple[dict, str]]:
        """Poll every due source (every source when forced); returns (source, error or '') per poll."""
        now = self.clock()
        polled = [(s, self.poll(s)) for s in (self.registry.sources() if force else self.registry.due(now))]
        self.log_warnings()
        return polled

    def poll(self, source: dict) -> str:
        """Poll one source; returns '' on success or the reason it failed (also recorded and logged)."""
        now = self.clock()
        label = source["name"] or source["title"] or source["url"]
        try:
            # a source never read yet gets its whole listing, even if `newsbot index` fetched that url before
            got = self.harvester.read(source["url"], expect_listing=True, conditional=bool(source["kind"]))
            if not got.not_modified:
                self._write(source, got, now, label)
        except FetchError as exc:
            log.warning("poll of %s failed: %s", label, exc.reason)
            self.registry.polled(source["id"], now, error=exc.reason)
            return exc.reason
        except Exception as exc:  # a bug or a database hiccup must not stop the other sources
            log.exception("poll of %s failed", label)
            self.registry.polled(source["id"], now, error=f"internal error: {exc}")
            return str(exc)
        self.registry.polled(source["id"], now, kind=got.kind, title=got.title)
        if got.not_modified:
            log.info("%s: not modified", label)
        return ""

    def _write(self, source: dict, got: Harvest, now: float, label: str) -> None:
        """Index the harvest, remember its fetches, and note articles this source had not listed before."""
        report = self.indexer.sync_articles(got.articles, got.gone)
        report.unchanged += got.unchanged
        self.registry.save_pages(got.rows_to_save())
        fresh = self.registry.link(source["id"], got.listed, now)
        keys = {r["article_key"] for r in self.registry.pages(sorted(fresh)).values() if r["article_key"]}
        if newest := self.registry.newest_article(sorted(keys)):
            self.registry.brought_new(source["id"], now, newest["title"], newest["published"])
        for kind, key in report.changes:
            log.info("%s article from %s: %s", kind, label, key)
        for where, reason in got.skipped + report.skipped:
            log.warning("skipped %s: %s", where, reason)
        log.info("polled %s: %s", label, report.summary())

    def log_warnings(self) -> None:
        """Log each source warning as it starts (see WarningLog)."""
        self.warning_log.check()

    def seconds_to_next(self) -> float:
        """How long until the next source is due (MAX_NAP at most, so new sources are noticed)."""
        soonest = min((next_poll(s) for s in self.registry.sources()), default=self.clock() + MAX_NAP)
        return max(0.0, min(MAX_NAP, soonest - self.clock()))

    def run(self, stop: threading.Event | None = None) -> None:
        """Poll until stopped."""
        stop = stop or self._stop
        while not stop.is_set():
            self.poll_due()
            stop.wait(max(0.2, self.seconds_to_next()))

    def start(self) -> Follower:
        """Follow on a background thread (the Slack process): waits its turn if another follower holds the lock."""
        self._thread = threading.Thread(target=self._run_locked, name="newsbot-follow", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the background thread."""
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=30)

    def _run_locked(self) -> None:
        """Hold the follower lock (standing by while another process holds it), then follow."""
        told = False
        while not self._stop.is_set():
            try:
                with follower_lock(self.settings.index.data_dir, 0, engine=self.indexer.index.engine):
                    log.info("following %d sources", len(self.registry.sources()))
                    self.run()
                return
            except WriterBusy as exc:
                if not told:
                    log.info("%s; standing by", exc)
                    told = True
                self._stop.wait(60)


class WarningLog:
    """Logs a source's warning when it starts (or changes kind) and when it clears: the Slack log's freshness alarm."""

    def __init__(self, registry: Registry, settings: CoreSettings, clock=time.time):
        self.registry = registry
        self.settings = settings
        self.clock = clock
        self.warned: dict[int, str] = {}  # source id -> the kind of warning last logged

    def check(self) -> list[str]:
        """Log what changed; returns the current warnings."""
        now, current = self.clock(), []
        for s in self.registry.sources():
            warning = source_warning(s, self.settings, now)
            kind = warning[0] if warning else ""
            if kind and self.warned.get(s["id"]) != kind:
                log.warning("source warning: %s", warning[1])
            elif not kind and self.warned.get(s["id"]):
                log.info("source %s is fine again", s["name"] or s["url"])
            self.warned[s["id"]] = kind
            current += [warning[1]] if warning else []
        return current

    def start(self, every: float = 60.0) -> threading.Event:
        """Check every `every` seconds on a background thread (a process that does not follow); set the event to stop."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.is_set():
                try:
                    self.check()
                except Exception:  # the database may be briefly away; try again next time
                    log.exception("checking source warnings failed")
                stop.wait(every)

        threading.Thread(target=loop, name="newsbot-source-warnings", daemon=True).start()
        return stop


def make_harvester(settings: CoreSettings, engine) -> Harvester:
    """The fetcher and registry for the index's database."""
    return Harvester(Fetcher(settings), Registry(engine), settings)


def make_follower(settings: CoreSettings, index) -> Follower:
    """A follower writing into index."""
    return Follower(Indexer(index, settings), make_harvester(settings, index.engine), settings)
