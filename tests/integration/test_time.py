"""Time in questions, timelines and digests over a small dated corpus, with the real model and Chroma."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import COMET, HARBOUR, index_folder, news_corpus

from bot.answering.briefs.digest import DigestBuilder
from bot.answering.service import AnswerService
from index.sync import Indexer

ASKED = date(2025, 6, 5)  # a Thursday


@pytest.fixture(scope="module")
def news(tmp_path_factory, embedder):
    """The dated corpus indexed once per module (embedded backend); tests only read it."""
    return index_folder(news_corpus(tmp_path_factory.mktemp("news") / "articles"), embedder, added=9)


@pytest.fixture(scope="module")
def service(news):
    return AnswerService(*news)


def test_a_time_worded_answer_says_the_window_it_searched(service):
    answer = service.answer("What pay deal did the Velmora dockworkers agree this week?", asked_on=ASKED)
    out = answer.to_json_dict()
    assert out["searched"] == {"from": "2025-05-30", "to": "2025-06-05", "sources": [], "articles": 4}
    assert answer.answered and {c.published for c in answer.citations} <= {"2025-06-03", "2025-06-02", "2025-06-04"}
    assert "six percent" in answer.answer + " ".join(c.quote for c in answer.citations)
    assert answer.searched.describe().startswith("Searched 4 articles from 30 May – 5 June 2025 (“this week”")


def test_a_window_holding_nothing_is_widened_with_a_note(service):
    answer = service.answer("What happened at Velmora harbour in 2019?", asked_on=ASKED)
    assert (answer.searched.since, answer.searched.until, answer.searched.articles) == (None, "2025-06-06", 9)
    assert answer.searched.note == "nothing was published from 1 January to 31 December 2019"


def test_recent_days_with_nothing_indexed_since_are_refused_with_older_related_articles(service):
    # the strike's pay deal was news on 3 June; asked three months on, nothing indexed is from that week
    answer = service.answer("What pay deal did the Velmora dockworkers agree this week?", asked_on=date(2025, 9, 4))
    assert not answer.answered and not answer.citations
    assert answer.answer.startswith("The indexed articles cannot answer this: nothing was published from 29 August")
    assert any("Velmora" in r.title for r in answer.related) and "Older, possibly related:" in answer.answer
    assert answer.searched.note == "nothing was published from 29 August to 4 September 2025"
    # last Sunday's, with nothing published since: the same
    sunday = service.answer("What pay deal did the Velmora dockworkers agree on Sunday?", asked_on=date(2025, 9, 4))
    assert not sunday.answered and sunday.answer.startswith("The indexed articles cannot answer this: nothing was")
    # a past year with nothing indexed is still searched beyond: the archive may tell what happened then
    assert service.answer("What happened at Velmora harbour in 2019?", asked_on=ASKED).searched.articles == 9


def test_a_window_with_nothing_on_the_question_is_widened(service):
    # May holds only the strike: the comet is not in it, so the answer comes from June, saying so
    answer = service.answer("When did Comet Astra grow a dust tail in May?", asked_on=ASKED)
    assert answer.searched.describe() == "Searched 9 articles until 6 June 2025 (nothing on this from 1 to 31 May 2025)"
    assert answer.answered and any("Astra" in c.quote for c in answer.citations)


def test_a_window_where_nothing_answers_is_widened_and_asked_again(service):
    # 6-12 May holds the strike's start, on the harbour but not on the dredging that answers
    answer = service.answer("Which larger ships will be able to dock after the dredging work approved this week?",
                            asked_on=date(2025, 5, 12))
    shown = answer.answer + " ".join(c.quote for c in answer.citations)  # the answer and the quotes it shows
    assert answer.answered and "larger cargo ships" in shown
    assert answer.citations[0].title == "Velmora harbour to be dredged"  # the older article, found by widening, leads
    assert answer.searched.describe() == "Searched 4 articles until 13 May 2025 (nothing from 6 to 12 May 2025 answers it)"


def test_given_filters_and_the_window_are_merged(service):
    from index.query import Filters

    answer = service.answer("What happened at Velmora harbour in May?", asked_on=ASKED,
                            filters=Filters(source="Harbour Wire"))
    assert answer.to_json_dict()["searched"] == {"from": "2025-05-01", "to": "2025-05-31",
                                                 "sources": ["Harbour Wire"], "articles": 1}


def test_the_latest_comes_freshest_first_each_with_its_date(service):
    answer = service.answer("What's the latest on the Velmora harbour strike?", asked_on=ASKED)
    assert answer.answered and "freshest first" in answer.searched.note
    days = [date.fromisoformat(c.published) for c in answer.citations]
    assert days == sorted(days, reverse=True) and days[0] == date(2025, 6, 3)
    lines = answer.answer.splitlines()
    assert lines[0].startswith("3 June 2025: ") and len(lines) == len(answer.citations)


def test_switched_off_time_words_search_every_date(news):
    s, index = news
    off = AnswerService(s.override(NEWSBOT_TIME_WORDS=False), index)
    answer = off.answer("What pay deal did the Velmora dockworkers agree this week?", asked_on=ASKED)
    assert (answer.searched.since, answer.searched.until, answer.searched.articles) == (None, None, 9)


def test_a_timeline_is_dated_ordered_cited_and_merges_one_event_told_twice(service, news):
    answer = service.answer("timeline of the Velmora harbour strike", asked_on=ASKED)
    assert answer.answered and answer.citations
    days = [c.published for c in answer.citations]
    assert days == sorted(days)
    assert days[0] == "2025-05-02" and days[-1] == "2025-06-03"
    assert days.count("2025-05-10") == 1  # two outlets, one event: merged
    index = news[1]
    for n, (line, c) in enumerate(zip(answer.answer.splitlines(), answer.citations), 1):
        text = index.article_text(c.article_id)
        assert text[c.start:c.end] == c.quote  # verbatim
        assert line == f"{date.fromisoformat(c.published).day} {date.fromisoformat(c.published):%B %Y}: {c.quote} [{n}]"
    assert not any("Astra" in c.quote for c in answer.citations)


def test_a_timeline_keeps_to_the_dates_its_topic_names(service):
    timeline = service.timelines.build("the Velmora harbour strike in May", asked_on=ASKED)
    assert [e.day.isoformat() for e in timeline.entries] == ["2025-05-02", "2025-05-10", "2025-05-20"]
    assert timeline.to_json()["entries"][0] == {
        "date": "2025-05-02", "title": "Velmora dockworkers vote to strike", "source": "Coast Gazette",
        "url": "https://news.example/2025-05-02/0", "quote": "Dockworkers at Velmora harbour voted on Friday to strike over pay."}


def test_a_digest_groups_two_clear_stories_biggest_first(news):
    s, index = news
    digest = DigestBuilder(index, s).build("", date(2025, 5, 1), date(2025, 6, 5))
    assert len(digest.stories) == 2
    strike, comet = digest.stories
    assert {p.title for p in strike.articles} == {t for _, _, t, _ in HARBOUR}
    assert {p.title for p in comet.articles} == {t for _, _, t, _ in COMET}
    assert len(strike.more) == 4 and len(comet.more) == 2
    for story in digest.stories:
        assert index.article_text(story.lead.passage.article_id)[story.lead.start:story.lead.end] == story.lead.text
    assert digest.searched.articles == 8  # the 2024 article is outside the period


def test_a_digest_on_a_topic_keeps_to_it(news):
    s, index = news
    digest = DigestBuilder(index, s).build("Comet Astra", date(2025, 6, 1), date(2025, 6, 5))
    assert [len(st.articles) for st in digest.stories] == [3]
    assert "Astra" in digest.stories[0].lead.text


def test_dense_search_keeps_to_a_date_window_exactly_or_among_the_nearest(settings, make_index, tmp_path,
                                                                          monkeypatch):
    import index.store as store
    from index.query import Filters

    index = make_index()
    Indexer(index, settings).sync([news_corpus(tmp_path / "news")])
    vector = index.embed_query("dockworkers strike at the harbour").tolist()
    may = Filters(since=20250501, until=20250531)
    in_may = {cid for cid, r in index.passages([c for c, _ in index.dense_search(vector, 20)]).items()
              if r.published_day and (r.published_day.year, r.published_day.month) == (2025, 5)}
    exact = index.dense_search(vector, 20, may)  # 4 chunks: searched exactly
    assert {cid for cid, _ in exact} == in_may and len(exact) == 4
    assert [s for _, s in exact] == sorted((s for _, s in exact), reverse=True)
    monkeypatch.setattr(store, "EXACT_WINDOW", 2)  # a wide window: the nearest overall, kept when inside
    wide = index.dense_search(vector, 20, may)
    assert [c for c, _ in wide] == [c for c, _ in exact] and [s for _, s in wide] == pytest.approx([s for _, s in exact])
    wire = index.dense_search(vector, 2, Filters(source="Harbour Wire", since=20250501))
    assert [c for c, _ in wire] == [c for c, _ in exact if index.passages([c])[c].source == "Harbour Wire"]


def test_what_happened_on_an_undated_topic_is_recent_news_else_the_archive_answers(service):
    fresh = service.answer("What happened with Comet Astra?", asked_on=ASKED)
    assert fresh.answer.startswith("News digest on Comet Astra from 4 to 5 June 2025")
    week = service.answer("What happened with Comet Astra?", asked_on=date(2025, 6, 9))
    assert week.answer.startswith("News digest on Comet Astra from 2 to 9 June 2025")  # nothing since yesterday
    later = service.answer("What happened with Comet Astra?", asked_on=date(2025, 7, 15))
    assert "News digest" not in later.answer and "No dated articles" not in later.answer  # not a dead end
    assert later.answered and later.citations and all("Astra" in c.title for c in later.citations)
