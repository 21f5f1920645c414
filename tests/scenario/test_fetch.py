"""The fetcher against a real HTTP server on 127.0.0.1: limits, retries, conditional requests, robots, the guard."""

from __future__ import annotations

import threading

import pytest
from fakes.newsroom import Newsroom

from bot.settings import Settings
from index.errors import FetchError
from index.sources.fetch import PAGE_TYPES, Fetcher

PAGE = "<html><body><article><p>" + "A harbour bridge opened on Monday. " * 20 + "</p></article></body></html>"


def fetch_settings(**kw) -> Settings:
    """Quick limits for tests; private addresses allowed (the server is on 127.0.0.1) unless said otherwise."""
    base = dict(allow_private=True, delay=0, backoff=0.01, timeout=1.0, deadline=2.0, retries=1, max_bytes=50_000)
    return Settings(_env_file=None, fetch={**base, **kw})


@pytest.fixture
def site(newsroom):
    return newsroom


@pytest.fixture
def fetcher():
    f = Fetcher(fetch_settings())
    yield f
    f.close()


def test_conditional_request_answers_304_and_costs_no_body(site, fetcher):
    site.route("/a", PAGE)
    first = fetcher.get(site.url("/a"), PAGE_TYPES)
    assert first.status == 200 and b"harbour bridge" in first.content and first.etag
    again = fetcher.get(site.url("/a"), PAGE_TYPES, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.content == b""
    sent = site.seen("/a")[-1].headers
    assert sent["if-none-match"] == first.etag and sent["if-modified-since"] == first.last_modified


def test_gzip_user_agent_and_robots_once_per_host(site, fetcher):
    site.route("/a", PAGE)
    site.route("/b", PAGE)
    fetcher.get(site.url("/a"), PAGE_TYPES)
    fetcher.get(site.url("/b"), PAGE_TYPES)
    got = site.seen("/a")[0].headers
    assert "gzip" in got["accept-encoding"] and got["user-agent"] == "newsbot/0.1 (news question-answering bot)"
    assert len(site.seen("/robots.txt")) == 1


def test_robots_disallow_is_honoured(site, fetcher):
    site.route("/private/x", PAGE)
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        fetcher.get(site.url("/private/x"), PAGE_TYPES)
    assert site.seen("/private/x") == []


@pytest.mark.parametrize("route, reason", [
    (dict(body="x" * 60_000), "larger than 50000 bytes"),  # declared too big: refused before reading
    (dict(body="<p>" + "y" * 60_000 + "</p>", content_type="text/html"), "larger than 50000 bytes"),  # gzip: small on the wire
    (dict(body=PAGE, trickle=0.05), "too slow: not complete after 2s"),
    (dict(body=PAGE, delay=3), "timed out"),
    (dict(body=b"\x89PNG\r\n", content_type="image/png"), "unexpected Content-Type image/png"),
    (dict(body="gone", status=410), "HTTP 410"),
])
def test_bad_responses_are_refused_with_their_reason(site, fetcher, route, reason):
    site.route("/bad", **route)
    with pytest.raises(FetchError, match=reason) as caught:
        fetcher.get(site.url("/bad"), PAGE_TYPES)
    assert caught.value.where == site.url("/bad")


def test_redirects_are_followed_and_loops_caught(site, fetcher):
    site.route("/old", status=301, headers={"Location": "/new"})
    site.route("/new", PAGE)
    assert fetcher.get(site.url("/old"), PAGE_TYPES).url == site.url("/new")
    site.route("/ping", status=302, headers={"Location": "/pong"})
    site.route("/pong", status=302, headers={"Location": "/ping"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.get(site.url("/ping"), PAGE_TYPES)
    site.route("/to-file", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="only http and https"):
        fetcher.get(site.url("/to-file"), PAGE_TYPES)


def test_5xx_is_retried_with_backoff_then_given_up(site, fetcher):
    site.route("/flaky", PAGE, fail_first=1)
    assert fetcher.get(site.url("/flaky"), PAGE_TYPES).status == 200
    assert len(site.seen("/flaky")) == 2
    site.route("/down", "oops", status=500)
    with pytest.raises(FetchError, match=r"HTTP 500 \(after 2 attempts\)") as caught:
        fetcher.get(site.url("/down"), PAGE_TYPES)
    assert caught.value.transient and len(site.seen("/down")) == 2


def test_one_request_at_a_time_per_host_with_a_delay(site):
    site.route("/slow", PAGE, delay=0.2)
    fetcher = Fetcher(fetch_settings(delay=0.3))
    fetcher.get(site.url("/robots.txt"), None)  # robots read first, so only /slow requests race below
    threads = [threading.Thread(target=fetcher.get, args=(site.url("/slow"), PAGE_TYPES)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fetcher.close()
    starts = [r.at for r in site.seen("/slow")]
    assert len(starts) == 3 and site.max_in_flight == 1
    assert all(b - a >= 0.29 for a, b in zip(starts, starts[1:]))


def test_private_addresses_are_refused_unless_allowed(site):
    site.route("/a", PAGE)
    guarded = Fetcher(fetch_settings(allow_private=False))
    with pytest.raises(FetchError, match="127.0.0.1 is a private or local address"):
        guarded.get(site.url("/a"), PAGE_TYPES)
    # a host name is checked after DNS resolution: localhost resolves to a loopback address
    with pytest.raises(FetchError, match=r"^[^(]*: refused: localhost resolves to .* a private or local address"):
        guarded.get(f"http://localhost:{site.port}/a", PAGE_TYPES)
    guarded.close()
    assert site.seen() == []  # not even robots.txt was asked for


def test_a_redirect_to_a_refused_address_is_refused_at_connect_time(site):
    with Newsroom(host="127.0.0.2") as inner:  # an "internal" service on another loopback address
        inner.route("/secret", PAGE)
        site.route("/jump", status=302, headers={"Location": inner.url("/secret")})
        # policy for this test: 127.0.0.1 counts as public, everything else as internal
        fetcher = Fetcher(fetch_settings(allow_private=False), blocked=lambda ip: str(ip) != "127.0.0.1")
        with pytest.raises(FetchError, match="127.0.0.2 is a private or local address"):
            fetcher.get(site.url("/jump"), PAGE_TYPES)
        fetcher.close()
        assert inner.seen() == [] and len(site.seen("/jump")) == 1
