"""Web sources, pure parts: canonical urls, the address policy, listings, durations and the freshness warnings."""

from __future__ import annotations

import ipaddress
import time

import pytest
from fakes.newsroom import atom, news_sitemap, rss, sitemap_index
from helpers import SHARED

from bot.settings import Settings
from index.errors import ArticleError, FetchError
from index.settings import format_duration, parse_duration
from index.sources.feeds import parse_feed
from index.sources.guard import is_internal
from index.sources.listing import feed_links, sniff, ungzip
from index.sources.pages import page_article
from index.sources.registry import source_warning
from index.sources.robots import RobotsCache
from index.sources.sitemaps import parse_sitemap
from index.sources.urls import canonical_url, check_web_url, is_web_url, page_identity

HTML = SHARED / "eval" / "news-html"


def test_tracking_parameters_and_fragments_do_not_change_identity():
    plain = canonical_url("https://news.example/2024/story?id=7")
    for variant in ("https://News.Example:443/2024/story?utm_source=rss&id=7&utm_medium=feed",
                    "https://news.example/2024/story?id=7&fbclid=abc#comments",
                    "https://news.example/2024/story?gclid=1&id=7"):
        assert canonical_url(variant) == plain
    assert canonical_url("https://news.example/2024/story?id=8") != plain  # a real parameter stays


def test_a_page_is_known_by_its_canonical_link_only_on_its_own_site():
    fetched = "https://www.news.example/amp/story-1?utm_source=x"
    assert page_identity(fetched, "https://news.example/story-1") == "https://news.example/story-1"
    assert page_identity(fetched, "https://other.example/story-1") == "https://www.news.example/amp/story-1"
    assert page_identity(fetched, "https://www.news.example/") == "https://www.news.example/amp/story-1"


def test_only_http_urls_are_fetched():
    assert is_web_url("https://a.example/x") and not is_web_url("articles/x.html")
    for bad in ("file:///etc/passwd", "ftp://a.example/x", "gopher://a.example/", "/just/a/path"):
        with pytest.raises(FetchError, match="only http and https"):
            check_web_url(bad)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::5",
                                     "::ffff:127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::"])
def test_internal_addresses_are_refused(address):
    assert is_internal(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.69", "2a04:4e42::81", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert not is_internal(ipaddress.ip_address(address))


def test_rss_items_with_links_titles_dates_and_authors():
    body = rss("Example News", [
        {"title": "First", "link": "/news/1?utm_source=rss", "date": "Mon, 20 Jan 2020 10:00:00 GMT",
         "author": "Ann Lee", "updated": "2020-01-20T11:00:00Z"},
        {"title": "No link", "link": ""},
    ]).encode()
    listing = parse_feed(body, "https://example.org/feed.xml")
    assert listing.kind == "feed" and listing.title == "Example News"
    [item] = listing.items
    assert item.url == "https://example.org/news/1"  # relative link resolved, tracker dropped
    assert (item.meta.title, item.meta.published, item.meta.author, item.meta.source) == (
        "First", "2020-01-20", "Ann Lee", "Example News")
    assert item.updated == "2020-01-20T11:00:00Z"
    assert listing.skipped == [("https://example.org/feed.xml entry 2", "no http(s) link")]


def test_atom_entries():
    body = atom("Atom Times", [{"title": "Moon", "link": "https://atom.example/moon", "updated": "2019-09-24T08:00:00Z",
                               "author": "Bo"}]).encode()
    [item] = parse_feed(body, "https://atom.example/atom.xml").items
    assert (item.url, item.meta.title, item.meta.published, item.meta.author) == (
        "https://atom.example/moon", "Moon", "2019-09-24", "Bo")


@pytest.mark.parametrize("body, reason", [
    (b"<rss version='2.0'><channel><title>Broken</title><item><title>x</ti", "malformed feed"),
    (b"<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>",
     "HTML where a feed was expected"),
    (b"just some words", "not an RSS or Atom feed"),
])
def test_feeds_that_cannot_be_read_say_why(body, reason):
    with pytest.raises(FetchError, match=reason):
        parse_feed(body, "https://example.org/feed.xml")


def test_news_sitemap_and_sitemap_index():
    body = news_sitemap("The Daily", [{"link": "https://daily.example/a?utm_campaign=x", "title": "A",
                                       "date": "2024-05-01T09:00:00+00:00"}]).encode()
    [item] = parse_sitemap(body, "https://daily.example/news.xml").items
    assert (item.url, item.meta.title, item.meta.source, item.meta.published) == (
        "https://daily.example/a", "A", "The Daily", "2024-05-01")
    index = parse_sitemap(sitemap_index([("https://daily.example/s1.xml", "2024-05-01")]).encode(), "https://x/")
    assert index.children == [("https://daily.example/s1.xml", "2024-05-01")] and not index.items


def test_sitemaps_refuse_entities_and_broken_xml():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&b;</loc></url></urlset>')
    assert parse_sitemap(bomb, "https://x.example/s.xml").items == []  # entities are not expanded
    with pytest.raises(FetchError, match="malformed sitemap"):
        parse_sitemap(b"<urlset><url><loc>https://x/a</loc></url>", "https://x.example/s.xml")
    with pytest.raises(FetchError, match="not a sitemap"):
        parse_sitemap(b"<catalog/>", "https://x.example/s.xml")


def test_sniffing_and_gzip():
    assert sniff(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- hi --><rss version="2.0">') == "feed"
    assert sniff(b"<?xml version='1.0'?><urlset>") == "sitemap"
    assert sniff(b"<!doctype html><html>") == "html"
    import gzip

    assert ungzip(gzip.compress(b"<urlset/>"), "u", 1000) == b"<urlset/>"
    with pytest.raises(FetchError, match="once unpacked"):
        ungzip(gzip.compress(b"x" * 5000), "u", 1000)


def test_an_html_page_names_its_feeds():
    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>'
    assert feed_links(page, "https://x.example/news/") == ["https://x.example/rss.xml"]


def test_a_real_page_through_the_html_loader_with_the_listing_filling_gaps():
    from index.models import ArticleMeta

    page = (HTML / "reuters.com.parasite.html").read_bytes()
    art = page_article(page, "http://127.0.0.1:9/parasite?utm_source=rss", listed=ArticleMeta(title="feed title"))
    assert art.title.startswith("'Parasite' scores historic upset") and art.published == "2020-01-20"
    assert art.key == art.url == "http://127.0.0.1:9/parasite"  # reuters.com's canonical is another host
    bare = b"<html><body><article><p>" + b"Plain words about a harbour bridge opening. " * 8 + b"</p></article></body></html>"
    art = page_article(bare, "http://127.0.0.1:9/bridge", listed=ArticleMeta(title="Bridge opens", published="2024-02-03",
                                                                              author="Kim Ode", source="Harbour News"))
    assert (art.title, art.published, art.author, art.source) == ("Bridge opens", "2024-02-03", "Kim Ode", "Harbour News")


def test_pages_that_are_not_articles():
    with pytest.raises(ArticleError, match="no article text"):
        page_article(b"<html><body><nav>Home</nav></body></html>", "http://h.example/x")
    with pytest.raises(ArticleError, match="not valid UTF-8"):
        page_article("<html><body><p>caf\u00e9 ".encode("latin-1") * 50 + b"</p></body></html>",
                     "http://h.example/x", charset="utf-8")
    art = page_article("<html><body><article><p>Le caf\u00e9 est ouvert. ".encode("cp1252") * 20 + b"</p></article>"
                       b"</body></html>", "http://h.example/cafe")  # undeclared: guessed as for files
    assert "café" in art.text


def test_durations():
    assert [parse_duration(v) for v in ("90", "90s", "10m", "2h", "1d", "1h30m", "1.5h")] == [
        90, 90, 600, 7200, 86400, 5400, 5400]
    for bad in ("", "soon", "10x", "-5m"):
        with pytest.raises(ValueError):
            parse_duration(bad)
    assert [format_duration(s) for s in (45, 600, 5400, 90000)] == ["45s", "10m", "1h30m", "1d1h"]
    assert Settings(_env_file=None, NEWSBOT_SOURCE_EVERY="10m").sources.every == 600


def _source(**kw) -> dict:
    base = {"id": 1, "url": "https://x.example/feed", "name": "X News", "title": "", "failures": 0, "last_error": "",
            "added_at": time.time() - 3600, "last_new_at": None}
    return {**base, **kw}


def test_freshness_warnings():
    s = Settings(_env_file=None, NEWSBOT_SOURCE_MAX_FAILURES=3, NEWSBOT_SOURCE_QUIET_HOURS=24)
    now = time.time()
    assert source_warning(_source(), s, now) is None
    kind, text = source_warning(_source(failures=3, last_error="HTTP 503 (after 3 attempts)"), s, now)
    assert kind == "failing" and "failed 3 polls in a row: HTTP 503" in text and "X News" in text
    kind, text = source_warning(_source(last_new_at=now - 2 * 86400), s, now)
    assert kind == "quiet" and text.endswith("has brought nothing new for 2d")
    kind, text = source_warning(_source(added_at=now - 30 * 3600), s, now)
    assert "since it was added 1d6h ago" in text
    assert source_warning(_source(last_new_at=now - 2 * 86400), Settings(_env_file=None, NEWSBOT_SOURCE_QUIET_HOURS=0), now) is None


def test_robots_rules_missing_unreachable_and_parsed():
    texts = {"https://a.example/robots.txt": (200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n"),
             "https://b.example/robots.txt": FetchError("https://b.example/robots.txt", "HTTP 404", status=404),
             "https://c.example/robots.txt": FetchError("https://c.example/robots.txt", "timed out", transient=True)}

    def fetch(url):
        got = texts[url]
        if isinstance(got, Exception):
            raise got
        return got

    cache = RobotsCache(fetch)
    a = cache.rules("https://a.example/x")
    assert a.allows("newsbot/0.1", "https://a.example/news/1") and not a.allows("newsbot/0.1", "https://a.example/private/1")
    assert a.crawl_delay("newsbot/0.1") == 3
    assert cache.rules("https://b.example/x").allows("newsbot", "https://b.example/anything")
    c = cache.rules("https://c.example/x")
    assert not c.allows("newsbot", "https://c.example/a") and "robots.txt unreachable" in c.reason


def test_a_known_page_is_fetched_again_only_when_its_listing_says_it_changed_or_its_recheck_is_due():
    from index.sources.harvest import Harvester, stamp_time
    from index.sources.listing import Item

    now = stamp_time("2024-05-02T12:00:00Z")
    assert stamp_time("Thu, 02 May 2024 12:00:00 GMT") == now and stamp_time("2024-05-02") < now
    assert stamp_time("yesterday-ish") is None
    harvester = Harvester(None, None, Settings(_env_file=None, NEWSBOT_FETCH_RECHECK_HOURS=24), clock=lambda: now)
    fetched = {"updated": "2024-05-01T08:00:00Z", "fetched_at": now - 3600}
    assert harvester._due(Item(url="u"), None)  # never fetched
    assert not harvester._due(Item(url="u", updated="2024-05-01T08:00:00Z"), fetched)  # same stamp
    assert not harvester._due(Item(url="u", updated="2024-04-30"), fetched)  # another listing's older stamp
    assert harvester._due(Item(url="u", updated="2024-05-02T11:30:00Z"), fetched)  # changed after our fetch
    assert harvester._due(Item(url="u", updated="rev 7"), fetched)  # an unreadable stamp that changed
    assert harvester._due(Item(url="u"), {**fetched, "fetched_at": now - 25 * 3600})  # recheck due
    never = Harvester(None, None, Settings(_env_file=None, NEWSBOT_FETCH_RECHECK_HOURS=0), clock=lambda: now)
    assert not never._due(Item(url="u"), {**fetched, "fetched_at": now - 1000 * 3600})
