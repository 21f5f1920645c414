"""Block Kit on hand-built answers: article text is data (escaped), and Slack's limits hold."""

from __future__ import annotations

import json

from bot.answering.models import Answer, Citation, Related
from bot.slack import blocks as kit

HOSTILE = "Alert <!channel> <@U123> <http://evil.example|click> *bold* & more"


def answer(n_citations: int = 2, quote: str = "The bridge opened on Monday.") -> Answer:
    citations = [Citation(n=i, article_id=f"a{i}", title=HOSTILE, source="Wire", published="2025-03-01",
                          url=f"https://news.example/{i}", quote=quote) for i in range(1, n_citations + 1)]
    return Answer(question="q", answered=True, answer=f"{HOSTILE} [1]", citations=citations)


def test_controls_are_entities_and_formatting_is_inert():
    assert kit.escape_controls("<!here> & <@U1>") == "&lt;!here&gt; &amp; &lt;@U1&gt;"
    assert "*" not in kit.escape("*bold* _it_ ~s~ `c`") and "bold" in kit.escape("*bold*")


def test_links_only_for_http_urls():
    assert kit._link("https://news.example/a", "A *b*") == "<https://news.example/a|A ∗b∗>"
    assert kit._link("javascript:alert(1)", "x") == "x"
    assert kit._link("https://evil.example/|<!channel>", "x") == "x"


def test_no_mention_or_link_syntax_from_article_text():
    raw = json.dumps(kit.answer_blocks(answer(), "id1"), ensure_ascii=False)
    for bad in ("<!channel>", "<@U123>", "<http://evil.example"):
        assert bad not in raw
    assert "&lt;!channel&gt;" in raw


def test_limits_are_trimmed_never_exceeded():
    long = answer(n_citations=40, quote="word " * 2000)
    blocks = kit.answer_blocks(long, "id1")
    assert len(blocks) <= kit.BLOCK_LIMIT
    assert all(len(b["text"]["text"]) <= kit.SECTION_LIMIT for b in blocks if "text" in b)
    assert "more source(s) not shown" in json.dumps(blocks)
    assert blocks[-1]["type"] == "actions"


def test_refusal_lists_related_articles_as_links():
    refusal = Answer(question="q", answered=False, answer="The indexed articles do not cover this.",
                     related=[Related(article_id="a", title="Bridge <!here>", url="https://news.example/a")])
    blocks = kit.answer_blocks(refusal)
    links = blocks[-1]["elements"][0]["text"]
    assert links == "<https://news.example/a|Bridge &lt;!here&gt;>"


def test_what_was_searched_reads_as_a_sentence():
    from bot.answering.models import Searched

    assert Searched(articles=828).describe() == "Searched 828 articles"
    assert Searched(since="2025-06-01", until="2025-06-07", articles=43).describe() == \
        "Searched 43 articles from 1–7 June 2025"
    assert Searched(since="2024-01-01", sources=["Reuters"], articles=214).describe() == \
        "Searched 214 Reuters articles since 1 January 2024"
    assert Searched(since="2024-12-30", until="2025-01-02", articles=1).describe() == \
        "Searched 1 article from 30 December 2024 – 2 January 2025"


def test_a_long_quote_is_cut_after_its_short_answer_never_before():
    quote = "The talks went on " + "and on " * 120 + "until Sunday, when the envoy named Ann Lee as mediator."
    assert quote.index("Ann Lee") > kit.QUOTE_LIMIT
    text = kit.quote_text(quote, "Ann Lee")
    assert "*Ann Lee*" in text and len(text) < kit.SECTION_LIMIT
    assert kit.quote_text(quote, None).endswith("…”")  # no short answer: the usual limit


def test_one_source_per_article_shows_each_of_its_quotes():
    c = Citation(n=1, article_id="a", title="T", quote="First passage.", more_quotes=["Later passage."])
    answer = Answer(question="q", answered=True, answer="First passage. [1] Later passage. [1]", citations=[c])
    shown = json.dumps(kit.answer_blocks(answer, "id1"), ensure_ascii=False)
    assert "First passage. … Later passage." in shown
    from bot.terminal.render import render_answer

    printed = render_answer(answer, index="", width=100)
    assert printed.count("[1]") == 3 and "First passage. … Later passage." in printed
