"""Articles arriving by themselves: feeds, sitemaps and pages from a local newsroom site, indexed and followed."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime

import pytest
from fakes.newsroom import article_page, atom, news_sitemap, rss, sitemap_index
from helpers import SHARED, consistency

from bot.answering.service import AnswerService
from bot.cli import main
from bot.settings import Settings
from index.loaders import load_file
from index.sources.follow import make_follower
from index.sources.registry import Registry

HTML = SHARED / "eval" / "news-html"
BRIDGE = [f"The harbour bridge of Port Alden opened on Monday after {n} years of planning and building work."
          for n in (3, 4, 5)] + ["The mayor said the bridge would carry twelve thousand cars a day."]


def stamp(offset: float = 0.0) -> str:
    """An ISO change stamp offset seconds from now (a correction's <updated> is about now)."""
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat(timespec="seconds")


def real(site, name: str, path: str | None = None) -> str:
    """Serve one of the real news pages and return its url."""
    path = path or f"/news/{name}"
    site.route(path, (HTML / f"{name}.html").read_bytes())
    return site.url(path)


def expected(name: str):
    """The article the HTML loader reads from the same page on disk (what the web path must match)."""
    return load_file(HTML / f"{name}.html", HTML).articles[0]


@pytest.fixture
def web_settings(backend, web_env) -> Settings:
    return Settings()


@pytest.fixture
def newsroom_feeds(newsroom):
    """An RSS feed, an Atom feed and a news sitemap over real pages (one linked twice, once with trackers)."""
    site = newsroom
    parasite, telescope, academics = (real(site, n) for n in (
        "reuters.com.parasite", "nature.com.telescope", "theguardian.com.academics"))
    site.route("/news/bridge", article_page("Port Alden bridge opens", BRIDGE))  # no date, no author
    site.route("/private/memo", article_page("Memo", BRIDGE))
    site.route("/rss.xml", rss("Alden Gazette", [
        {"title": "Feed title, not the page's", "link": parasite + "?utm_source=rss&utm_medium=feed",
         "date": "Tue, 21 Jan 2020 08:00:00 GMT"},
        {"title": "Telescope", "link": telescope, "date": "Tue, 24 Sep 2019 10:00:00 GMT"},
        {"title": "Academics", "link": academics, "date": "Mon, 20 Jan 2020 09:00:00 GMT"},
        {"title": "Port Alden bridge opens", "link": site.url("/news/bridge"), "author": "Kim Ode",
         "date": "Mon, 03 Feb 2024 07:00:00 GMT"},
        {"title": "Internal memo", "link": site.url("/private/memo"), "date": "Mon, 03 Feb 2024 07:00:00 GMT"},
    ]), content_type="application/rss+xml")
    phys, vice = real(site, "phys.org.tool"), real(site, "vice.com.amazon")
    site.route("/atom.xml", atom("Science Desk", [{"title": "Flint", "link": phys, "updated": "2019-10-22T10:00:00Z"},
                                                  {"title": "Amazon", "link": vice, "updated": "2019-08-21T10:00:00Z"}]),
               content_type="application/atom+xml")
    colonial = real(site, "dw.com.colonial")
    site.route("/news-sitemap.xml", news_sitemap("Alden Gazette", [
        {"link": parasite, "title": "Parasite", "date": "2020-01-20T06:00:00+00:00"},  # the same story, no trackers
        {"link": colonial, "title": "Colonial past", "date": "2020-01-19T06:00:00+00:00"}]),
        content_type="application/xml")
    site.route("/sitemap-index.xml", sitemap_index([(site.url("/news-sitemap.xml"), "2020-01-20")]),
               content_type="application/xml")
    return site


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_feeds_and_sitemap_with_right_titles_dates_and_one_article_per_story(
        capsys, web_settings, newsroom_feeds, make_index):
    site = newsroom_feeds
    code, out, err = run(capsys, "index", site.url("/rss.xml"), site.url("/atom.xml"), site.url("/sitemap-index.xml"))
    assert code == 1  # the robots-disallowed memo was skipped
    assert f"skipped {site.url('/private/memo')}: disallowed by robots.txt" in err
    assert site.seen("/private/memo") == []
    assert "added 7" in out and "skipped 1" in out
    records = make_index().records()
    index = make_index()
    rows = {r.url: r for r in index.passages([c for r in records.values() for c in json.loads(r["chunk_ids"])[:1]])
            .values()}
    parasite = rows[site.url("/news/reuters.com.parasite")]  # the tracking-parameter link collapsed into this one
    assert parasite.title == "'Parasite' scores historic upset at SAG awards, boosting Oscar chances"
    assert parasite.published == "2020-01-20" and parasite.author == "Jill Serjeant"
    assert parasite.published_day == date(2020, 1, 20)
    assert len(site.seen("/news/reuters.com.parasite")) == 1  # the sitemap's copy of the link was not fetched
    for name in ("nature.com.telescope", "theguardian.com.academics", "phys.org.tool", "vice.com.amazon",
                 "dw.com.colonial"):
        want, got = expected(name), rows[site.url(f"/news/{name}")]
        assert (got.title, got.published, got.author) == (want.title, want.published, want.author), name
    bridge = rows[site.url("/news/bridge")]  # the page has no date or author: the feed's are used
    assert (bridge.title, bridge.published, bridge.author, bridge.source) == (
        "Port Alden bridge opens", "2024-02-03", "Kim Ode", "Alden Gazette")
    assert consistency(index)["articles"] == 7


def test_second_poll_is_conditional_and_fetches_only_the_new_item(web_settings, newsroom_feeds, make_index):
    site = newsroom_feeds
    follower = make_follower(web_settings, make_index())
    source = Registry(follower.registry.engine).add(site.url("/atom.xml"), "Science", 600)
    assert follower.poll(source) == ""
    site.clear()
    assert follower.poll(follower.registry.find(str(source["id"]))) == ""
    [request] = site.seen()  # unchanged feed: one request, answered 304
    assert request.path == "/atom.xml" and request.headers["if-none-match"]
    fresh = real(site, "wikimediafoundation.org.turkey")
    site.route("/atom.xml", atom("Science Desk", [
        {"title": "Turkey", "link": fresh, "updated": "2020-01-15T10:00:00Z"},
        {"title": "Flint", "link": site.url("/news/phys.org.tool"), "updated": "2019-10-22T10:00:00Z"},
        {"title": "Amazon", "link": site.url("/news/vice.com.amazon"), "updated": "2019-08-21T10:00:00Z"}]),
        content_type="application/atom+xml")
    site.clear()
    assert follower.poll(follower.registry.find("Science")) == ""
    assert [r.path for r in site.seen()] == ["/atom.xml", "/news/wikimediafoundation.org.turkey"]
    assert site.seen("/atom.xml")[0].headers["if-none-match"]  # asked conditionally; it had changed
    answer = AnswerService(web_settings, follower.indexer.index).answer("When was access to Wikipedia restored in Turkey?")
    assert answer.answered and answer.citations[0].url == fresh
    [row] = follower.registry.sources()
    assert row["articles"] == 3 and row["last_new_title"].startswith("Access to Wikipedia restored in Turkey")


def test_a_corrected_page_is_reindexed_and_its_old_text_no_longer_cited(web_settings, newsroom, make_index):
    site = newsroom
    page = (HTML / "nature.com.telescope.html").read_bytes()
    url = site.url("/news/telescope")
    site.route("/news/telescope", page)
    item = {"title": "FAST", "link": url, "updated": "2019-09-24T10:00:00Z"}
    site.route("/atom.xml", atom("Science Desk", [item]), content_type="application/atom+xml")
    follower = make_follower(web_settings, make_index())
    source = follower.registry.add(site.url("/atom.xml"), "", 600)
    follower.poll(source)
    service = AnswerService(web_settings, follower.indexer.index)
    question = "Who is the chief scientist of FAST?"
    assert "Di Li" in " ".join(c.quote for c in service.answer(question).citations)
    site.route("/news/telescope", page.replace(b"Di Li", b"Wen Hao"))  # the correction
    site.route("/atom.xml", atom("Science Desk", [{**item, "updated": stamp()}]),
               content_type="application/atom+xml")
    follower.poll(follower.registry.find(str(source["id"])))
    quotes = " ".join(c.quote for c in service.answer(question).citations)
    assert "Wen Hao" in quotes and "Di Li" not in quotes
    assert not follower.indexer.index.any_text_matches("Di Li", __import__("re").compile("Di Li"))
    assert consistency(follower.indexer.index)["articles"] == 1


def test_broken_input_is_skipped_with_its_reason_and_loses_nothing(capsys, web_settings, newsroom, make_index):
    site = newsroom
    good = real(site, "threatpost.com.android")
    site.route("/news/loop", status=302, headers={"Location": "/news/loop2"})
    site.route("/news/loop2", status=302, headers={"Location": "/news/loop"})
    site.route("/news/huge", article_page("Huge", ["word " * 500_000]))
    site.route("/news/slow", article_page("Slow", BRIDGE), trickle=0.05)
    site.route("/news/empty", "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>")
    site.route("/news/latin", article_page("Caf\u00e9", ["Le caf\u00e9 a rouvert ses portes. " * 30]).encode("latin-1"),
               content_type="text/html; charset=utf-8")
    site.route("/news/pdf", b"%PDF-1.4", content_type="application/pdf")
    links = ["loop", "huge", "slow", "empty", "latin", "pdf"]
    site.route("/broken.xml", rss("Broken", [{"title": n, "link": site.url(f"/news/{n}")} for n in links]
                                  + [{"title": "Good", "link": good}]), content_type="application/rss+xml")
    site.route("/malformed.xml", "<rss version='2.0'><channel><item><title>x</ti", content_type="application/rss+xml")
    assert run(capsys, "index", real(site, "salon.com.emissions"))[0] == 0
    code, out, err = run(capsys, "index", site.url("/broken.xml"), site.url("/malformed.xml"))
    assert code == 1 and "added 1" in out and "skipped 7" in out
    for where, reason in [("loop", "redirect loop"), ("huge", "larger than 2000000 bytes"),
                          ("slow", "too slow: not complete after 2s"), ("empty", "no article text found"),
                          ("latin", "not valid UTF-8 (declared utf-8"), ("pdf", "unexpected Content-Type application/pdf")]:
        assert f"skipped {site.url('/news/' + where)}: {reason}" in err, where
    assert f"skipped {site.url('/malformed.xml')}: malformed feed" in err
    index = make_index()
    assert consistency(index)["articles"] == 2  # the earlier article and the good one
    assert {site.url("/news/salon.com.emissions"), good} == set(index.records())


def test_failure_streak_shows_in_status_and_check_fails(capsys, web_settings, newsroom):
    site = newsroom
    site.route("/down.xml", "oops", status=503)
    site.route("/home", "<!DOCTYPE html><html><head><link rel='alternate' type='application/rss+xml' "
                        "href='/rss.xml'></head><body><p>Welcome</p></body></html>")
    run(capsys, "sources", "add", site.url("/down.xml"), "--every", "1m", "--name", "Down Daily")
    run(capsys, "sources", "add", site.url("/home"), "--name", "Homepage")
    for _ in range(3):
        code, _, err = run(capsys, "follow", "--once")
        assert code == 1
    assert "HTML where a feed or sitemap was expected (the page names a feed: " + site.url("/rss.xml") in err
    code, out, err = run(capsys, "status")
    assert code == 0 and "failures in a row 3" in out and "last error HTTP 503 (after 2 attempts)" in out
    assert "warning: Down Daily (" + site.url("/down.xml") + ") has failed 3 polls in a row: HTTP 503" in err
    assert "warning: Homepage" in err
    assert run(capsys, "status", "--check")[0] == 1
    code, out, _ = run(capsys, "status", "--json")
    assert len(json.loads(out)["warnings"]) == 2
    site.route("/down.xml", rss("Down Daily", []), content_type="application/rss+xml")
    run(capsys, "sources", "remove", "Homepage")
    code, out, err = run(capsys, "follow", "--once")
    assert code == 0, err
    code, out, err = run(capsys, "status", "--check")
    assert code == 0, err


@pytest.mark.parametrize("remove_gone", [False, True])
def test_a_page_that_is_gone_is_kept_unless_the_setting_says_remove(monkeypatch, web_env, newsroom, make_index,
                                                                    remove_gone):
    monkeypatch.setenv("NEWSBOT_FETCH_REMOVE_GONE", str(remove_gone).lower())
    settings = Settings()
    url = real(newsroom, "kulu-media.com.meta-outage")
    item = {"title": "Outage", "link": url, "updated": "2024-06-12T10:00:00Z"}
    newsroom.route("/atom.xml", atom("Desk", [item]), content_type="application/atom+xml")
    follower = make_follower(settings, make_index(settings))
    source = follower.registry.add(newsroom.url("/atom.xml"), "", 600)
    follower.poll(source)
    newsroom.route("/news/kulu-media.com.meta-outage", "gone", status=410)
    newsroom.route("/atom.xml", atom("Desk", [{**item, "updated": stamp()}]),
                   content_type="application/atom+xml")
    follower.poll(follower.registry.find(str(source["id"])))
    assert (url in follower.indexer.index.records()) is not remove_gone
    assert consistency(follower.indexer.index)["articles"] == (0 if remove_gone else 1)


def test_slack_process_follows_in_process_and_logs_warnings(caplog, web_settings, newsroom, make_index):
    from helpers import wait_for

    from bot.slack.serve import start_follower

    site = newsroom
    site.route("/rss.xml", rss("Gazette", []), content_type="application/rss+xml")
    site.route("/down.xml", "oops", status=500)
    index = make_index()
    registry = Registry(index.engine)
    registry.add(site.url("/rss.xml"), "Gazette", 1)
    registry.add(site.url("/down.xml"), "Down", 1)
    follower = start_follower(web_settings, index)
    try:
        site.route("/news/bridge", article_page("Port Alden bridge opens", BRIDGE))
        site.route("/rss.xml", rss("Gazette", [{"title": "Bridge", "link": site.url("/news/bridge")}]),
                   content_type="application/rss+xml")
        service = AnswerService(web_settings, index)
        assert wait_for(lambda: service.answer("How many cars will the Port Alden bridge carry?").answered, 30)
        assert wait_for(lambda: "source warning: Down" in caplog.text, 30)
    finally:
        follower.stop()
    assert "has failed 3 polls in a row: HTTP 500" in caplog.text


def test_a_slack_process_that_does_not_follow_still_logs_the_warnings(caplog, web_settings, make_index):
    from helpers import wait_for

    from bot.slack.serve import start_warning_log

    index = make_index()
    registry = Registry(index.engine)
    source = registry.add("https://quiet.example/rss.xml", "Quiet Times", 600, now=time.time() - 3 * 86400)
    registry.polled(source["id"], time.time())
    stop = start_warning_log(web_settings, index.engine, every=0.1)
    try:
        assert wait_for(lambda: "source warning: Quiet Times" in caplog.text, 10)
    finally:
        stop.set()
    assert "has brought nothing new since it was added 3d ago" in caplog.text


def test_a_private_address_is_refused_when_not_allowed(capsys, monkeypatch, web_env, newsroom, make_index):
    monkeypatch.setenv("NEWSBOT_FETCH_ALLOW_PRIVATE", "false")
    url = real(newsroom, "salon.com.emissions")
    code, out, err = run(capsys, "index", url, f"http://localhost:{newsroom.port}/news/salon.com.emissions")
    assert code == 1 and "added 0" in out and "skipped 2" in out
    assert f"skipped {url}: 127.0.0.1 is a private or local address (set NEWSBOT_FETCH_ALLOW_PRIVATE=true" in err
    assert "refused: localhost resolves to" in err
    assert newsroom.seen() == [] and make_index().records() == {}
