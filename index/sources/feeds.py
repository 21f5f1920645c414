"""RSS and Atom feeds (feedparser): each entry an article url with its title, date and author."""

from __future__ import annotations

import time

from index.errors import FetchError
from index.models import ArticleMeta
from index.sources.listing import Item, Listing, sniff
from index.sources.urls import SCHEMES, canonical_url


def parse_feed(data: bytes, url: str, content_type: str = "") -> Listing:
    """A feed's entries as items; FetchError when the body is no feed or too broken to read."""
    import feedparser  # only when a feed is read

    headers = {"content-location": url, **({"content-type": content_type} if content_type else {})}
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.version and not parsed.entries:
        if sniff(data) == "html":
            raise FetchError(url, "HTML where a feed was expected")
        problem = f": {parsed.bozo_exception}" if parsed.bozo else ""
        raise FetchError(url, f"not an RSS or Atom feed{problem}")
    title = (parsed.feed.get("title") or "").strip()
    listing = Listing(kind="feed", title=title)
    for n, entry in enumerate(parsed.entries, 1):
        link = _link(entry)
        if not link:
            listing.skipped.append((f"{url} entry {n}", "no http(s) link"))
            continue
        meta = ArticleMeta(title=(entry.get("title") or "").strip(), author=(entry.get("author") or "").strip(),
                           source=title, published=_day(entry.get("published_parsed") or entry.get("updated_parsed")),
                           url=link)
        listing.items.append(Item(url=canonical_url(link), meta=meta,
                                  updated=(entry.get("updated") or entry.get("published") or "").strip()))
    # feedparser also flags harmless things (a missing Content-Type, an encoding override): only broken XML counts
    harmless = isinstance(parsed.get("bozo_exception"), feedparser.exceptions.ThingsNobodyCaresAboutButMe)
    if parsed.bozo and not harmless and not listing.items:
        raise FetchError(url, f"malformed feed ({parsed.bozo_exception})")
    return listing


def _link(entry) -> str:
    """The entry's article link: its alternate link, else an http(s) id (Atom ids are often the url)."""
    candidates = [entry.get("link") or ""]
    candidates += [lnk.get("href", "") for lnk in entry.get("links", []) if lnk.get("rel", "alternate") == "alternate"]
    candidates.append(entry.get("id") or "")
    return next((c.strip() for c in candidates if c.strip().split("://", 1)[0].lower() in SCHEMES), "")


def _day(parsed: time.struct_time | None) -> str:
    """A feed date (feedparser gives UTC struct_time) as YYYY-MM-DD, the form pages' dates take."""
    return time.strftime("%Y-%m-%d", parsed) if parsed else ""
