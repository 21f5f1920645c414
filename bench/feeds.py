"""`python -m bench.feeds`: a followed feed on a local site, its new items' time to answerable, and a poll's cost.

(a) seconds from an item added to a followed feed until a question about it is answered from it,
    against the poll interval; (b) requests made when polling an unchanged feed of 50 items.
The site (tests/fakes/newsroom.py, the tests' newsroom) serves 50 dev-set articles as pages.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.common import CORPUS, ROOT, emit

INTERVAL = 10.0  # seconds between polls of the followed feed
ITEMS = 50
NEW = [  # (title, text, question): facts no dev article holds, so only the new item can answer
    ("Lighthouse keeper retires", "The last lighthouse keeper of Skerrowan Point retired on Friday after 41 years. "
     "Her lamp will now be run automatically from the mainland.",
     "How many years did the last lighthouse keeper of Skerrowan Point serve?"),
    ("Glass bridge opens in Vellmar", "A glass footbridge across the Vellmar gorge opened on Sunday. It is 212 metres "
     "long and took four years to build.", "How long is the glass footbridge across the Vellmar gorge?"),
    ("Ferry strike ends", "Ferry crews on the Orlsund crossing ended their nine-day strike on Tuesday after a pay "
     "deal of 6 percent.", "How long did the Orlsund ferry strike last?"),
]


def _pages(site, article_page) -> list[dict]:
    """The first ITEMS dev articles, served as pages, as feed items."""
    from index.loaders import load_file

    items = []
    for n, path in enumerate(sorted((CORPUS / "articles").glob("*.json"))[:ITEMS]):
        art = load_file(path, path.parent).articles[0]
        site.route(f"/news/{n}", article_page(art.title, [p for p in art.text.split("\n") if p.strip()],
                                              date=art.published))
        items.append({"title": art.title, "link": site.url(f"/news/{n}")})
    return items


def _answerable(service, question: str, url: str) -> bool:
    """Is the question answered with a citation of url?"""
    answer = service.answer(question)
    return answer.answered and any(c.url == url for c in answer.citations)


def main() -> dict:
    """Follow the feed, measure, and print the figures (JSON last, for bench/run.py)."""
    sys.path.insert(0, str(ROOT / "tests"))  # the newsroom server the tests use
    from fakes.newsroom import Newsroom, article_page, rss

    from bot.answering.service import AnswerService
    from bot.settings import Settings
    from index.sources.follow import make_follower
    from index.store import open_index

    with tempfile.TemporaryDirectory(prefix="newsbot-bench-feeds-") as data, Newsroom() as site:
        settings = Settings(_env_file=None, NEWSBOT_DATA_DIR=Path(data), NEWSBOT_FETCH_ALLOW_PRIVATE=True, NEWSBOT_FETCH_DELAY=0)
        index = open_index(settings)
        index.warm_up()
        items = _pages(site, article_page)
        site.route("/feed.xml", rss("Bench Gazette", items), content_type="application/rss+xml")
        follower = make_follower(settings, index)
        source = follower.registry.add(site.url("/feed.xml"), "Bench Gazette", INTERVAL)
        t0 = time.perf_counter()
        assert follower.poll(source) == ""
        first_s, first_requests = time.perf_counter() - t0, len(site.seen())
        site.clear()
        assert follower.poll(follower.registry.find("Bench Gazette")) == ""
        unchanged = [r.path for r in site.seen()]
        service = AnswerService(settings, index)
        follower.registry.polled(source["id"], time.time())  # the thread's first poll is one interval away
        follower.start()
        pickups, poll_to_answer = [], []
        for n, (title, text, question) in enumerate(NEW):
            time.sleep(INTERVAL * (n + 1) / (len(NEW) + 1))  # items land at different points of the interval
            site.route(f"/news/new-{n}", article_page(title, [text]))
            items.insert(0, {"title": title, "link": site.url(f"/news/new-{n}")})
            site.route("/feed.xml", rss("Bench Gazette", items), content_type="application/rss+xml")
            added = time.time()
            while not _answerable(service, question, site.url(f"/news/new-{n}")):
                if time.time() - added > 10 * INTERVAL:
                    sys.exit(f"bench.feeds: {title!r} not answerable after {10 * INTERVAL:g}s")
                time.sleep(0.1)
            pickups.append(time.time() - added)
            poll_to_answer.append(time.time() - follower.registry.find("Bench Gazette")["last_new_at"])
        follower.stop()
    return {"phase": "feeds", "interval_s": INTERVAL, "items": ITEMS, "first_poll_s": round(first_s, 1),
            "first_poll_requests": first_requests, "unchanged_poll_requests": len(unchanged),
            "unchanged_poll_paths": unchanged, "pickup_s": [round(p, 2) for p in pickups],
            "pickup_max_s": round(max(pickups), 2), "poll_to_answerable_max_s": round(max(poll_to_answer), 2)}


if __name__ == "__main__":
    result = main()
    print(f"followed feed of {result['items']} items polled every {result['interval_s']:g}s: new items answerable "
          f"after {', '.join(f'{p:.1f}' for p in result['pickup_s'])}s (at most {result['pickup_max_s']:.1f}s; "
          f"{result['poll_to_answerable_max_s']:.1f}s from the poll); unchanged feed poll: "
          f"{result['unchanged_poll_requests']} request(s)", file=sys.stderr)
    emit(result)
