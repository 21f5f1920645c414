"""Cited answers, refusals and the retriever over a real index of the Starmer article."""

from __future__ import annotations

import json

import pytest
from helpers import SHARED

from bot.answering.models import Turn
from index.errors import QuestionError
from index.query import Filters


def test_backstop_answer_quotes_the_article_exactly(service, indexed):
    index, _ = indexed
    answer = service.answer("what does Starmer mean by backstop?")
    assert answer.answered and answer.citations
    text = index.article_text(answer.citations[0].article_id)
    for c in answer.citations:
        assert c.quote in text
        assert f"[{c.n}]" in answer.answer
        assert (c.title, c.source, c.author) == (c.title, "Reuters", "Elizabeth Piper") and c.title
    quotes = " ".join(c.quote for c in answer.citations).lower()
    assert "backstop" in quotes
    assert "deter" in quotes or "security guarantees" in quotes or "peacekeepers" in quotes


@pytest.mark.parametrize("line", (SHARED / "eval" / "starmer-questions.jsonl").read_text().splitlines())
def test_starmer_questions(service, line):
    q = json.loads(line)
    answer = service.answer(q["q"])
    assert answer.answered == q["answerable"]
    if q["answerable"]:
        blob = (answer.answer + " " + " ".join(c.quote for c in answer.citations)).lower()
        assert any(e.lower() in blob for e in q["expect_any"])
    else:
        assert answer.citations == []
        assert "do not cover" in answer.answer


def test_refusal_lists_related_articles(service):
    answer = service.answer("Who won the 1998 football World Cup final in Paris?")
    assert not answer.answered
    assert answer.citations == []
    assert len(answer.related) <= 3


def test_bad_questions(service, settings):
    with pytest.raises(QuestionError, match="empty"):
        service.answer("   ")
    with pytest.raises(QuestionError, match="limit"):
        service.answer("x" * (settings.answer.max_question_chars + 1))


def test_follow_up_uses_the_thread(service):
    first = service.answer("what does Starmer mean by backstop?")
    follow = service.answer("and what did Russia say?", history=[Turn(question=first.question, answer=first.answer)])
    assert follow.answered and follow.answer.startswith("Russia again on Wednesday said")
    assert follow.standalone_question == "and what did Russia say? starmer backstop"  # its own words first


def test_retriever_is_a_langchain_retriever_with_filters(service):
    docs = service.retriever.invoke("security guarantees for peacekeepers")
    assert docs and docs[0].metadata["source"] == "Reuters" and docs[0].id
    assert service.hybrid.search("backstop", Filters(source="Reuters")).passages
    assert service.hybrid.search("backstop", Filters(source="AP")).passages == []


def test_the_answer_is_a_langchain_runnable(service):
    from datetime import date

    from langchain_core.runnables import Runnable

    from bot.answering.stages import Question

    direct = service.answer("what does Starmer mean by backstop?")
    via_chain = service.chain.invoke(Question(text=direct.question, asked_on=date.today()))
    assert isinstance(service.chain, Runnable) and via_chain.answered
    assert via_chain.answer == direct.answer and via_chain.citations == direct.citations


def test_warm_up_loads_what_a_first_answer_needs(service, monkeypatch):
    from bot.answering.ranking import gazetteer

    dense = service.index.dense
    queried = []
    search = dense.search
    monkeypatch.setattr(dense, "search", lambda *a, **k: queried.append(a[1]) or search(*a, **k))
    for cached in (gazetteer.cities, gazetteer.regions, gazetteer.places):
        cached.cache_clear()
    service.warm_up()
    assert queried == [1]  # one nearest chunk: Chroma reads its vector index on a collection's first query
    assert gazetteer.cities.cache_info().currsize == 1  # the place names, 0.3 s, before the first question
    assert service.answer("what does Starmer mean by backstop?").answered


def test_a_shipped_answer_looks_no_phrase_up_in_the_whole_index(service, monkeypatch):
    # the phrase lookups cost more as the index grows, and no shipped gate weighs what they find
    looked = []
    monkeypatch.setattr(service.index, "unknown_phrases", lambda *a, **k: looked.append(a) or [])
    answer = service.answer("what does Starmer mean by backstop?")
    assert answer.answered and looked == []


def test_recency_prefers_the_article_nearest_the_day_asked(settings, make_index, tmp_path):
    from datetime import date

    from helpers import write_json

    from bot.answering.service import AnswerService
    from index.sync import Indexer

    folder = tmp_path / "harbour"
    folder.mkdir()
    write_json(folder / "a.json", title="Harbour board", url="https://news.example/2023/03/01/harbour",
               text="The Skerrowan harbour board said the lighthouse lamp will be run from the mainland.")
    write_json(folder / "b.json", title="Harbour board", url="https://news.example/2024/06/01/harbour",
               text="Skerrowan's harbour board said on Friday that the lighthouse lamp would be run remotely.")
    index = make_index()
    assert Indexer(index, settings).sync([folder]).added == 2
    service = AnswerService(settings, index)
    question = "What did the Skerrowan harbour board say about the lighthouse lamp?"
    for day, url in ((date(2023, 3, 2), "2023/03/01"), (date(2024, 6, 3), "2024/06/01")):
        answer = service.answer(question, asked_on=day)
        assert answer.answered and url in answer.citations[0].url, (day, answer.citations[0].url)


def test_recency_gives_no_bonus_to_articles_after_the_day_asked():
    from datetime import date

    from bot.answering.ranking.extractive import recency

    bonus = recency({"2024-01-01", "2024-01-10", "2024-01-11", "2024-02-10", ""}, date(2024, 1, 10), 0.3, 30.0)
    assert bonus["2024-01-10"] == pytest.approx(0.3) and bonus["2024-01-11"] == pytest.approx(0.3)  # time zones
    assert 0.0 < bonus["2024-01-01"] < 0.3
    assert bonus["2024-02-10"] == 0.0 and bonus[""] == 0.0  # hindsight, undated
