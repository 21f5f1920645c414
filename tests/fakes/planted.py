"""Articles for the Slack scenarios: a plain one and one planted with Slack markup, and the check that none leaks."""

from __future__ import annotations

import json

STARMER_Q = "what does Starmer mean by backstop?"
LIGHTHOUSE = {"title": "Lighthouse keeper retires", "url": "https://news.example/lighthouse", "author": "Ann Reed",
              "source": "Coast Gazette", "published": "2024-02-09",
              "text": "The last lighthouse keeper of Skerrowan Point retired on Friday after 41 years. "
                      "Her lamp will now be run automatically from the mainland, the harbour board said."}
HOSTILE = "Alert <!channel> *bold* <https://evil.example|click> zeppelin"
BAD = ("<!channel>", "<!here>", "<@U123>", "<https://evil", "<http://evil")
PLANTED = {"title": f"{HOSTILE} festival cancelled", "url": "https://news.example/planted", "source": "<@U123> Wire",
           "published": "2025-05-01", "author": "<!here>",
           "text": "Mayor Ostrava said the zeppelin festival <!channel> <!here> <https://evil.example|click here> "
                   "*shouting* is cancelled this year."}


def no_markup(fake) -> str:
    """Every argument of every Web API call as one JSON string; asserts no Slack markup from articles is in it."""
    raw = json.dumps([args for _, args in fake.calls], ensure_ascii=False)
    for bad in BAD:
        assert bad not in raw, bad
    return raw
