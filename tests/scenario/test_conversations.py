"""Conversations as people hold them, over articles from ../shared: follow-ups that lean on what came before."""

from __future__ import annotations

import shutil

import pytest
from helpers import SHARED, STARMER, index_folder

from bot.answering.models import Turn

BOEING = ("232c8c9459e73a70", "24dbac67a71f40f2", "5d8ca392e3ff1120")  # the 737 Max 9 grounding, January 2024


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory, embedder):
    """The seed article and three articles on the 737 Max 9 grounding, indexed once for the module."""
    dev = SHARED / "eval" / "realtimeqa-dev" / "articles"
    folder = tmp_path_factory.mktemp("conversations") / "articles"
    folder.mkdir()
    shutil.copy(STARMER, folder)
    for name in BOEING:
        shutil.copy(dev / f"{name}.json", folder)
    settings, index = index_folder(folder, embedder, added=4)
    from bot.app import build_service

    return build_service(settings, index=index)


def converse(service, *questions: str):
    """Ask the questions in turn, each with the conversation so far, as the REPL and Slack threads do."""
    history, answers = [], []
    for q in questions:
        answer = service.answer(q, history=history[-4:])
        answers.append(answer)
        cited = [c.article_id for c in answer.citations] if answer.answered else []
        history.append(Turn(question=q, answer=answer.answer, cited=cited))
    return answers


def test_how_long_and_what_he_said_lean_on_the_grounding(newsroom):
    grounded, inspection, calhoun = converse(newsroom, "why were the 737 Max 9 planes grounded?",
                                             "how long does an inspection take?", "what did Calhoun say about it?")
    assert "grounded" in grounded.answer.split("[1]")[0]
    assert "four to eight hours" in inspection.answer.split("[1]")[0]  # the FAA's figure leads
    assert calhoun.answered and calhoun.answer.split("[1]")[0].count("Calhoun")  # the sentence he says it in


def test_a_pronoun_is_not_the_answer(newsroom):
    _, meeting = converse(newsroom, "what does Starmer mean by backstop?", "who would he meet in Washington?")
    considered = (meeting.short_considered or ("", 0.0))[0]  # the likeliest short answer, bold or not
    assert "Starmer" not in considered and "Trump" in meeting.answer


def test_a_new_topic_mid_conversation_is_searched_on_its_own(newsroom):
    _, boeing = converse(newsroom, "what does Starmer mean by backstop?",
                         "Which airline's Boeing 737 Max 9 lost a door plug mid-air?")
    assert "Alaska Airlines" in boeing.answer.split("[1]")[0] and "starmer" not in boeing.standalone_question.lower()
