"""What feeds and sitemaps list: items (article urls with the listing's metadata), and what a body looks like."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from index.errors import FetchError
from index.models import ArticleMeta
from index.sources.urls import resolve

GZIP_MAGIC = b"\x1f\x8b"
# the first element after the XML declaration, comments, doctype and processing instructions
FIRST_TAG = re.compile(rb"<\s*([A-Za-z][\w:.-]*)")
PREAMBLE = re.compile(rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)
FEED_ROOTS = {b"rss", b"feed", b"rdf:rdf", b"rdf"}
SITEMAP_ROOTS = {b"urlset", b"sitemapindex"}


@dataclass
class Item:
    """One article a listing names: its canonical url, and the listing's metadata for it."""

    url: str
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    updated: str = ""  # the listing's change stamp (feed <updated>, sitemap <lastmod>): a new one means refetch


@dataclass
class Listing:
    """A parsed feed or sitemap: its title, its items, and (a sitemap index) the sitemaps it names."""

    kind: str  # "feed" or "sitemap"
    title: str = ""
    items: list[Item] = field(default_factory=list)
    children: list[tuple[str, str]] = field(default_factory=list)  # (sitemap url, lastmod)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, reason) of unusable entries


def ungzip(data: bytes, where: str, max_bytes: int) -> bytes:
    """A gzipped body (a sitemap.xml.gz) unpacked, refusing more than max_bytes."""
    if not data.startswith(GZIP_MAGIC):
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise FetchError(where, f"broken gzip data ({exc})") from None
    if len(out) > max_bytes:
        raise FetchError(where, f"larger than {max_bytes} bytes once unpacked (NEWSBOT_FETCH_MAX_BYTES)")
    return out


def sniff(data: bytes, content_type: str = "") -> str:
    """'feed', 'sitemap', 'html' or '' (unknown) from a body's first element (and its Content-Type)."""
    head = PREAMBLE.sub(b"", data[:4096].lstrip(b"\xef\xbb\xbf"), count=1)
    match = FIRST_TAG.match(head.lstrip())
    root = match.group(1).lower() if match else b""
    if root in FEED_ROOTS:
        return "feed"
    if root in SITEMAP_ROOTS:
        return "sitemap"
    if root in (b"html", b"head", b"body") or re.match(rb"\s*<!doctype\s+html", data[:512], re.IGNORECASE):
        return "html"
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    return ""


FEED_LINK = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)


def feed_links(html: bytes, base: str) -> list[str]:
    """Feeds an HTML page names in <link rel="alternate" type="application/rss+xml|atom+xml" href=…>."""
    out = []
    for tag in FEED_LINK.findall(html[:200_000]):
        attrs = {k.lower(): v for k, v in re.findall(rb"""([\w-]+)\s*=\s*["']([^"']*)["']""", tag)}
        kind = attrs.get(b"type", b"").lower()
        if b"alternate" in attrs.get(b"rel", b"").lower() and kind in (b"application/rss+xml", b"application/atom+xml"):
            out.append(resolve(base, attrs.get(b"href", b"").decode("utf-8", "replace")))
    return [u for u in out if u]
