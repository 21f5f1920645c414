"""Followed sources and what every fetched url last gave, in the index's database (SQLite or PostgreSQL)."""

from __future__ import annotations

import time

from sqlalchemy import Engine, delete, func, insert, select, update

from index import db, migrate
from index.errors import BadInput
from index.schema import web_pages as pages
from index.schema import web_source_items as source_items
from index.schema import web_sources as sources
from index.settings import CoreSettings, format_duration
from index.sources.urls import canonical_url, check_web_url


class Registry:
    """Sources to follow, their poll state, and the fetch record of every url."""

    def __init__(self, engine: Engine):
        self.engine = engine
        migrate.ensure(engine)

    # ---- sources -----------------------------------------------------------------------------

    def add(self, url: str, name: str, every: float, now: float | None = None) -> dict:
        """Follow a feed or sitemap; BadInput when the url is not http(s) or is followed already."""
        url = check_web_url(url)
        if self.find(url):
            raise BadInput(f"already following {url}")
        with self.engine.begin() as conn:
            conn.execute(insert(sources).values(url=url, name=name, every=every, added_at=now or time.time(),
                                                kind="", title="", failures=0, last_error="",
                                                last_new_title="", last_new_published=""))
        return self.find(url)

    def find(self, ref: str) -> dict | None:
        """A source by id, url (tracking parameters aside) or name."""
        for row in self.sources():
            if ref == str(row["id"]) or ref == row["url"] or canonical_url(ref) == canonical_url(row["url"]) \
                    or (row["name"] and ref == row["name"]):
                return row
        return None

    def remove(self, ref: str) -> dict:
        """Stop following a source (its articles stay indexed); BadInput when there is no such source."""
        row = self.find(ref)
        if row is None:
            raise BadInput(f"no followed source {ref!r} (see `newsbot sources list`)")
        with self.engine.begin() as conn:
            conn.execute(delete(source_items).where(source_items.c.source_id == row["id"]))
            conn.execute(delete(sources).where(sources.c.id == row["id"]))
        return row

    def sources(self) -> list[dict]:
        """Every followed source with its poll state and the number of indexed articles it listed."""
        counts = (select(source_items.c.source_id, func.count().label("n"))
                  .join(pages, pages.c.url == source_items.c.url)
                  .where(pages.c.article_key != "").group_by(source_items.c.source_id).subquery())
        query = (select(sources, func.coalesce(counts.c.n, 0).label("articles"))
                 .outerjoin(counts, counts.c.source_id == sources.c.id).order_by(sources.c.id))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def due(self, now: float) -> list[dict]:
        """Sources whose next poll time has come (never polled ones first)."""
        return [s for s in self.sources() if next_poll(s) <= now]

    def polled(self, source_id: int, now: float, error: str = "", kind: str = "", title: str = "") -> None:
        """Record a poll: a success resets the failure streak, a failure lengthens it."""
        values: dict = {"last_poll_at": now}
        if error:
            values.update(failures=sources.c.failures + 1, last_error=error)
        else:
            values.update(failures=0, last_error="", last_success_at=now)
            values.update({k: v for k, v in (("kind", kind), ("title", title)) if v})
        with self.engine.begin() as conn:
            conn.execute(update(sources).where(sources.c.id == source_id).values(**values))

    def brought_new(self, source_id: int, now: float, title: str, published: str) -> None:
        """The source listed an article it had not listed before."""
        with self.engine.begin() as conn:
            conn.execute(update(sources).where(sources.c.id == source_id).values(
                last_new_at=now, last_new_title=title, last_new_published=published))

    def link(self, source_id: int, urls: list[str], now: float) -> set[str]:
        """Note that a source lists these urls; returns the ones it had not listed before."""
        with self.engine.begin() as conn:
            known = set(conn.execute(select(source_items.c.url).where(source_items.c.source_id == source_id))
                        .scalars())
            fresh = [u for u in dict.fromkeys(urls) if u not in known]
            if fresh:
                conn.execute(insert(source_items), [{"source_id": source_id, "url": u, "first_seen": now}
                                                    for u in fresh])
        return set(fresh)

    def newest_article(self, keys: list[str]) -> dict | None:
        """Title and date of the most recently published indexed article among these keys."""
        a = db.articles.c
        with self.engine.connect() as conn:
            rows = [r._asdict() for i in range(0, len(keys), 500)
                    for r in conn.execute(select(a.title, a.published, a.published_day).where(a.key.in_(keys[i:i + 500])))]
        return max(rows, key=lambda r: (r["published_day"] or 0, r["published"]), default=None)

    # ---- fetched urls ------------------------------------------------------------------------

    def pages(self, urls: list[str]) -> dict[str, dict]:
        """What each of these urls gave when last fetched, by url (unknown urls are left out)."""
        out: dict[str, dict] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(urls), 500):
                query = select(pages).where(pages.c.url.in_(urls[i:i + 500]))
                out.update({r.url: dict(r._mapping) for r in conn.execute(query)})
        return out

    def save_pages(self, rows: list[dict]) -> None:
        """Remember what urls gave (replacing what they gave before)."""
        if not rows:
            return
        rows = list({r["url"]: r for r in rows}.values())
        with self.engine.begin() as conn:
            for i in range(0, len(rows), 500):
                conn.execute(delete(pages).where(pages.c.url.in_([r["url"] for r in rows[i:i + 500]])))
            conn.execute(insert(pages), [{"article_key": "", "reason": "", "updated": "", "etag": "",
                                          "last_modified": "", **r} for r in rows])


def next_poll(source: dict) -> float:
    """When a source is due: now if never polled, else its last poll plus its interval."""
    last = source["last_poll_at"]
    return 0.0 if last is None else last + source["every"]


def source_warning(s: dict, settings: CoreSettings, now: float) -> tuple[str, str] | None:
    """('failing' | 'quiet', a line saying so) when a source failed too often in a row or brought nothing new too long."""
    label = f"{s['name'] or s['title'] or s['url']} ({s['url']})" if (s["name"] or s["title"]) else s["url"]
    if s["failures"] >= settings.sources.max_failures:
        return "failing", f"{label} has failed {s['failures']} polls in a row: {s['last_error']}"
    quiet = settings.sources.quiet_hours * 3600
    since = s["last_new_at"] or s["added_at"]
    if quiet and now - since > quiet:
        age = format_duration(now - since)
        when = f"for {age}" if s["last_new_at"] else f"since it was added {age} ago"
        return "quiet", f"{label} has brought nothing new {when}"
    return None


def source_warnings(rows: list[dict], settings: CoreSettings, now: float) -> list[str]:
    """A line per source that failed too often in a row or brought nothing new for too long."""
    return [w[1] for s in rows if (w := source_warning(s, settings, now))]


def warnings(engine: Engine, settings: CoreSettings, now: float | None = None) -> list[str]:
    """The current source warnings (for `newsbot status`, the Slack Home tab and its log)."""
    return source_warnings(Registry(engine).sources(), settings, now or time.time())
