"""XML sitemaps, sitemap indexes and Google News sitemaps: article urls with their dates and titles."""

from __future__ import annotations

from index.errors import FetchError
from index.models import ArticleMeta
from index.sources.listing import Item, Listing, sniff
from index.sources.urls import SCHEMES, canonical_url, resolve


def parse_sitemap(data: bytes, url: str) -> Listing:
    """A urlset's urls as items, or a sitemap index's sitemaps as children; FetchError when unreadable."""
    from lxml import etree  # installed with trafilatura

    # no entity expansion, no network: a sitemap is untrusted input
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if sniff(data) == "html":
            raise FetchError(url, "HTML where a sitemap was expected") from None
        raise FetchError(url, f"malformed sitemap ({exc})") from None
    kind = _local(root)
    if kind not in ("urlset", "sitemapindex"):
        raise FetchError(url, f"not a sitemap (its root element is <{kind}>)")
    listing = Listing(kind="sitemap")
    for n, entry in enumerate(root, 1):
        fields = _fields(entry)
        loc = resolve(url, fields["loc"]) if fields.get("loc") else ""
        if loc.split("://", 1)[0].lower() not in SCHEMES:
            listing.skipped.append((f"{url} entry {n}", "no http(s) <loc>"))
        elif kind == "sitemapindex":
            listing.children.append((loc, fields.get("lastmod", "")))
        else:
            listing.items.append(_item(loc, fields))
    return listing


def _item(loc: str, fields: dict[str, str]) -> Item:
    """One <url>: news:title, news:publication_date and news:name where a news sitemap gives them."""
    published = fields.get("publication_date") or fields.get("lastmod", "")
    meta = ArticleMeta(title=fields.get("title", ""), source=fields.get("name", ""), published=published[:10], url=loc)
    return Item(url=canonical_url(loc), meta=meta, updated=fields.get("lastmod") or fields.get("publication_date", ""))


def _fields(entry) -> dict[str, str]:
    """Text of an entry's descendants by local name (loc, lastmod, title, name, publication_date)."""
    out: dict[str, str] = {}
    for el in entry.iter():
        if el is not entry and isinstance(el.tag, str) and (el.text or "").strip():
            out.setdefault(_local(el), el.text.strip())
    return out


def _local(el) -> str:
    """An element's tag without its namespace."""
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]
