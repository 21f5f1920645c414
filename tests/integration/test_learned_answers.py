"""The learned answer step on real articles: detail questions answered with a short answer, news the
archive lacks refused."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import SHARED

from bot.answering.models import Turn
from bot.answering.service import AnswerService
from bot.evaluation.questions import load_questions
from bot.evaluation.runner import gold_in_corpus
from bot.evaluation.scoring import contains
from index.sync import Indexer

TRAIN = SHARED / "eval" / "realtimeqa-train"


def test_the_dinner_question_is_answered_with_its_short_answer(starmer_index, settings):
    answer = AnswerService(settings, starmer_index).answer("How long was the dinner at Trump Tower?")
    assert answer.answered and not answer.tentative
    assert "two-hour dinner" in answer.citations[0].quote
    if answer.short_answer is not None:  # shown only when the model is sure; then it is the right span of quote 1
        assert "two-hour" in answer.short_answer and answer.short_answer in answer.citations[0].quote


def test_every_answerable_seed_detail_question_is_answered(starmer_index, settings):
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "questions" / "seed-details.jsonl"
    service = AnswerService(settings, starmer_index)
    questions = [q for q in load_questions(path) if q.answerable]
    missed = []
    for q in questions:
        answer = service.answer(q.question)
        assert answer.answered, q.question
        if not contains(answer.answer + " ".join(c.quote for c in answer.citations), q.gold):
            missed.append(q.question)
        for c in answer.citations:  # verbatim, always, every passage quoted
            assert all(quote in starmer_index.article_text(c.article_id) for quote in [c.quote, *c.more_quotes])
    # BENCHMARKS.md reports 17/18 (the aggressor question's quote is missed); one more miss is a regression
    assert len(missed) <= 1, missed


@pytest.fixture
def small_week(settings, make_index, remembering_embedder, tmp_path):
    """Twenty articles of the first quiz week, indexed (their vectors computed once for both backends)."""
    folder = tmp_path / "week"
    folder.mkdir()
    for path in sorted((TRAIN / "20250103" / "articles").glob("*.json"))[:20]:
        shutil.copy(path, folder / path.name)
    index = make_index()
    index.embedder = remembering_embedder
    Indexer(index, settings).sync([folder])
    return index


def test_a_question_from_another_season_is_refused_on_a_small_corpus(settings, small_week):
    service = AnswerService(settings, small_week)
    june = [q for q in load_questions(TRAIN / "20250620" / "questions.jsonl")
            if q.gold and not gold_in_corpus(small_week, q.gold)]
    assert len(june) >= 5
    refused = [q.question for q in june if not service.answer(q.question, asked_on=q.asked_on).answered]
    assert len(refused) >= 0.8 * len(june), json.dumps([q.question for q in june])


DEFINING = ("provide a security “backstop”", "what he calls a “backstop”")  # the sentences that say what it is


@pytest.mark.parametrize("others", [0, 60, pytest.param(800, marks=pytest.mark.slow)])
def test_the_headline_question_is_answered_unhedged_with_a_defining_sentence_first(
        settings, make_index, remembering_embedder, tmp_path, others):
    from helpers import STARMER

    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(STARMER, folder)
    for path in sorted((SHARED / "eval" / "realtimeqa-dev" / "articles").glob("*.json"))[:others]:
        shutil.copy(path, folder)
    index = make_index()
    index.embedder = remembering_embedder  # the 61 articles embedded once, not per backend
    report = Indexer(index, settings).sync([folder])
    assert report.added + report.duplicates == others + 1  # the dev slice holds a few articles twice
    answer = AnswerService(settings, index).answer("what does Starmer mean by backstop?")
    first = answer.answer.split("[1]")[0]
    assert answer.answered and not answer.tentative, answer.confidence
    assert any(phrase in first for phrase in DEFINING) and not first.startswith("WASHINGTON")
    assert answer.short_answer is None or "backstop" not in answer.short_answer.lower()
    # the follow-up about it: what Russia said, from the article the answer cited, leads
    cited = [c.article_id for c in answer.citations]
    russia = AnswerService(settings, index).answer("and what did Russia say about it?", history=[
        Turn(question=answer.question, answer=answer.answer, cited=cited)])
    assert russia.answered and "Russia again on Wednesday said" in russia.answer.split("[1]")[0], russia.answer
    # a longer thread, as a newsroom asks it: every turn stays on the story, and Russia still speaks first
    service, history = AnswerService(settings, index), []
    for question in ("what does Starmer mean by backstop?", "what did Macron get?",
                     "who would he meet in Washington?", "and what did Russia say about it?"):
        answer = service.answer(question, history=history)
        assert answer.answered and {c.article_id for c in answer.citations} == set(cited), (question, answer.answer)
        history.append(Turn(question=question, answer=answer.answer, cited=[c.article_id for c in answer.citations]))
    assert "Russia again on Wednesday said" in answer.answer.split("[1]")[0], answer.answer
    assert "did not get a firm nod on the backstop" in service.answer("what did Macron get?", history=history[:1]).answer
