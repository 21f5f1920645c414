"""From urls to articles: read a feed, sitemap or page, fetch the listed pages that are new or changed.

Nothing here writes the index: a Harvest says what to index and what to remember once it is written,
so a crash between the two only means fetching those pages again.
"""

from __future__ import annotations

import email.utils
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from index.errors import ArticleError, FetchError
from index.models import Article
from index.settings import CoreSettings
from index.sources.feeds import parse_feed
from index.sources.fetch import LISTING_TYPES, PAGE_TYPES, Fetched, Fetcher
from index.sources.listing import Item, Listing, feed_links, sniff, ungzip
from index.sources.pages import page_article
from index.sources.registry import Registry
from index.sources.sitemaps import parse_sitemap
from index.sources.urls import canonical_url

log = logging.getLogger("newsbot.sources")
MAX_SITEMAP_DEPTH = 2  # an index of indexes of sitemaps, no deeper
CLOCK_SKEW = 300.0  # seconds a site's clock may run ahead of ours


@dataclass
class Harvest:
    """What reading some urls gave: articles to index, keys to drop, skips, and fetch rows to save after writing."""

    articles: list[Article] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # keys of articles whose page now answers 404/410
    skipped: list[tuple[str, str]] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    listing_rows: list[dict] = field(default_factory=list)  # saved only when nothing failed for a passing reason
    unchanged: int = 0  # listed pages not fetched again (known, unchanged) or answering 304
    not_modified: bool = False  # the url read answered 304
    transient: bool = False  # something failed that may work next time (network, 5xx, timeouts)
    kind: str = ""
    title: str = ""
    listed: list[str] = field(default_factory=list)  # canonical urls of every item the listing named

    def rows_to_save(self) -> list[dict]:
        """Page rows, and the listings' validators unless an item must be retried by reading the listing again."""
        return self.rows + ([] if self.transient else self.listing_rows)

    def skip(self, where: str, reason: str, transient: bool = False) -> None:
        """Note a url that gave nothing, with the reason."""
        log.debug("skipped %s: %s", where, reason)  # named once: by `newsbot index`'s report, or the follower's log
        self.skipped.append((where, reason))
        self.transient |= transient


class Harvester:
    """Reads listings and pages through the fetcher, consulting and filling the registry's fetch record."""

    def __init__(self, fetcher: Fetcher, registry: Registry, settings: CoreSettings, clock=time.time):
        self.fetcher = fetcher
        self.registry = registry
        self.settings = settings
        self.clock = clock

    def read(self, url: str, expect_listing: bool = False, conditional: bool = True) -> Harvest:
        """A feed or sitemap url (its new and changed items fetched), or, unless a listing is expected, a page."""
        out = Harvest()
        key = canonical_url(url)
        row = self.registry.pages([key]).get(key, {}) if conditional else {}
        try:
            got = self.fetcher.get(url, LISTING_TYPES, row.get("etag", ""), row.get("last_modified", ""))
            if got.not_modified:
                out.not_modified = True
                return out
            data = ungzip(got.content, url, self.settings.fetch.max_bytes)
            kind = sniff(data, got.content_type)
            if kind == "html" and not expect_listing:
                self._page_from(out, Item(url=key), row, got)
                return out
            listing = self._listing(url, got, data, kind, out)
        except ArticleError as exc:
            if expect_listing:
                raise
            if isinstance(exc, FetchError) and row.get("article_key"):  # a known page: maybe gone (404/410)
                self._failed(out, Item(url=key), row, exc)
            else:
                out.skip(exc.where, exc.reason, getattr(exc, "transient", False))
            return out
        out.kind, out.title = listing.kind, listing.title
        out.listing_rows.append(self._row(key, "listing", got))
        for where, reason in listing.skipped:
            out.skip(where, reason)
        self.harvest(listing.items, out)
        return out

    def _listing(self, url: str, got: Fetched, data: bytes, kind: str, out: Harvest, depth: int = 0) -> Listing:
        """Parse a feed or sitemap; a sitemap index's sitemaps are read too (unchanged ones not even fetched)."""
        if kind == "feed":
            return parse_feed(data, got.url, got.content_type)
        if kind == "sitemap":
            listing = parse_sitemap(data, got.url)
            self._children(listing, out, depth)
            return listing
        if kind == "html":
            found = feed_links(data, got.url)
            raise FetchError(url, "HTML where a feed or sitemap was expected"
                                  + (f" (the page names a feed: {found[0]})" if found else ""))
        raise FetchError(url, f"neither a feed, a sitemap nor an HTML page (Content-Type {got.content_type or 'none'})")

    def _children(self, listing: Listing, out: Harvest, depth: int) -> None:
        """Add the items of a sitemap index's sitemaps whose lastmod changed (or that were never read)."""
        keys = [canonical_url(u) for u, _ in listing.children]
        rows = self.registry.pages(keys)
        for (child, lastmod), key in zip(listing.children, keys):
            row = rows.get(key, {})
            if depth >= MAX_SITEMAP_DEPTH or (lastmod and lastmod == row.get("updated")):
                continue
            try:
                got = self.fetcher.get(child, LISTING_TYPES, row.get("etag", ""), row.get("last_modified", ""))
                if got.not_modified:
                    continue
                data = ungzip(got.content, child, self.settings.fetch.max_bytes)
                sub = self._listing(child, got, data, sniff(data, got.content_type), out, depth + 1)
            except FetchError as exc:
                out.skip(exc.where, exc.reason, exc.transient)
                continue
            listing.items += sub.items
            listing.skipped += sub.skipped
            out.listing_rows.append({**self._row(key, "listing", got), "updated": lastmod})

    def harvest(self, items: list[Item], out: Harvest) -> None:
        """Fetch the items that are new, changed by their listing's stamp, or due a recheck; several hosts at once."""
        items = list({i.url: i for i in reversed(items)}.values())[::-1]  # one per canonical url, first kept
        out.listed += [i.url for i in items]
        rows = self.registry.pages([i.url for i in items])
        due = [i for i in items if self._due(i, rows.get(i.url))]
        out.unchanged += len(items) - len(due)
        due.sort(key=lambda i: i.meta.published, reverse=True)  # newest first when there are too many
        if len(due) > self.settings.fetch.max_items:
            log.info("%d pages due, fetching the newest %d (NEWSBOT_FETCH_MAX_ITEMS)", len(due),
                     self.settings.fetch.max_items)
            due = due[:self.settings.fetch.max_items]
        with ThreadPoolExecutor(self.settings.fetch.workers, thread_name_prefix="newsbot-fetch") as pool:
            results = list(pool.map(lambda i: self._fetch(i, rows.get(i.url, {})), due))
        for item, (got, error) in zip(due, results):
            row = rows.get(item.url, {})
            if error is not None:
                self._failed(out, item, row, error)
            elif got.not_modified:
                out.unchanged += 1
                out.rows.append({**row, "updated": item.updated, "fetched_at": self.clock()})
            else:
                self._page_from(out, item, row, got)

    def _due(self, item: Item, row: dict | None) -> bool:
        """Never fetched, changed since we fetched it by its listing's stamp, or due its recheck.

        A stamp counts only when it is new and later than our fetch (less some clock skew): a feed and
        a sitemap giving the same page different stamps do not make it fetched on every poll.
        """
        if row is None:
            return True
        if item.updated and item.updated != row["updated"]:
            when = stamp_time(item.updated)
            if when is None or when > row["fetched_at"] - CLOCK_SKEW:
                return True
        recheck = self.settings.fetch.recheck_hours * 3600
        return bool(recheck) and self.clock() - row["fetched_at"] > recheck

    def _fetch(self, item: Item, row: dict) -> tuple[Fetched | None, FetchError | None]:
        """GET one page conditionally; errors are returned, not raised (they belong to that page only)."""
        try:
            return self.fetcher.get(item.url, PAGE_TYPES, row.get("etag", ""), row.get("last_modified", "")), None
        except FetchError as exc:
            return None, exc

    def _page_from(self, out: Harvest, item: Item, row: dict, got: Fetched) -> None:
        """Extract a fetched page; its row remembers the article it gave, or why it gave none."""
        try:
            article = page_article(got.content, got.url, got.charset, got.content_type, item.meta)
        except ArticleError as exc:
            out.skip(exc.where, exc.reason)
            out.rows.append({**self._row(item.url, "skipped", got), "reason": exc.reason, "updated": item.updated})
            return
        out.articles.append(article)
        out.rows.append({**self._row(item.url, "indexed", got), "article_key": article.key, "updated": item.updated})

    def _failed(self, out: Harvest, item: Item, row: dict, error: FetchError) -> None:
        """A page that could not be fetched: retried next time, remembered as skipped, or gone (404/410)."""
        out.skip(error.where, error.reason, error.transient)
        if error.transient:
            return
        now = self.clock()
        if error.status in (404, 410) and row.get("article_key"):
            if self.settings.fetch.remove_gone:
                out.gone.append(row["article_key"])
            else:
                log.info("%s answers %d; its article stays (NEWSBOT_FETCH_REMOVE_GONE=false)", item.url, error.status)
            out.rows.append({**row, "status": "gone", "reason": error.reason, "fetched_at": now,
                             "article_key": "" if self.settings.fetch.remove_gone else row["article_key"]})
            return
        out.rows.append({**row, "url": item.url, "status": "skipped", "reason": error.reason,
                         "updated": item.updated, "fetched_at": now})

    def _row(self, url: str, status: str, got: Fetched) -> dict:
        """A fetch-record row with the response's validators."""
        return {"url": url, "status": status, "etag": got.etag, "last_modified": got.last_modified,
                "fetched_at": self.clock()}


def stamp_time(text: str) -> float | None:
    """A listing's change stamp (RFC 822 as in RSS, or ISO 8601 as in Atom and sitemaps) as a Unix time."""
    text = text.strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
