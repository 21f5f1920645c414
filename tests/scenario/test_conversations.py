"""Conversations as people hold them, over articles from ../shared: follow-ups that lean on what came before."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
from helpers import SHARED, STARMER, index_folder

from bot.answering.models import TURNS_KEPT, Turn

BOEING = ("232c8c9459e73a70", "24dbac67a71f40f2", "5d8ca392e3ff1120")  # the 737 Max 9 grounding, January 2024
# a week's quiz articles of each year: moon landers and the Vulcan rocket, R. Kelly (2024); Isar's rocket, a film (2025)
LAUNCHES = {"realtimeqa-2024/20240216": ("32f3027ecdc789f8", "d2fafa85848fcf08", "f302cfa2ef5eacd7",
                                         "3326a7851f3561de", "405dc506189e9f70"),
            "realtimeqa-train/20250404": ("90156f7d9f5fbde7", "b1fdd61d2e6170c2")}


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


@pytest.fixture(scope="module")
def launches(tmp_path_factory, embedder):
    """Seven articles of two quiz weeks, indexed once for the module."""
    folder = tmp_path_factory.mktemp("launches") / "articles"
    folder.mkdir()
    for week, names in LAUNCHES.items():
        for name in names:
            shutil.copy(SHARED / "eval" / week / "articles" / f"{name}.json", folder)
    settings, index = index_folder(folder, embedder, added=7)
    from bot.app import build_service

    return build_service(settings, index=index)


def converse(service, *questions: str, asked_on=None):
    """Ask the questions in turn, each with the conversation so far, as the REPL and Slack threads do."""
    history, answers = [], []
    for q in questions:
        answer = service.answer(q, history=history[-TURNS_KEPT:], asked_on=asked_on)
        answers.append(answer)
        history.append(Turn.of(q, answer))
    return answers


def test_how_long_and_what_he_said_lean_on_the_grounding(newsroom):
    grounded, inspection, calhoun = converse(newsroom, "why were the 737 Max 9 planes grounded?",
                                             "how long does an inspection take?", "what did Calhoun say about it?")
    assert "grounded" in grounded.answer.split("[1]")[0]
    assert "four to eight hours" in inspection.answer.split("[1]")[0]  # the FAA's figure leads
    assert calhoun.answered and calhoun.answer.split("[1]")[0].count("Calhoun")  # the sentence he says it in


def test_tell_me_more_says_more_of_the_story_without_repeating_it(newsroom):
    backstop, more = converse(newsroom, "what does Starmer mean by backstop?", "tell me more")
    shown = [s.strip() for s in re.split(r"\[\d+\]", backstop.answer) if s.strip()]
    said = [s.strip() for s in re.split(r"\[\d+\]", more.answer) if s.strip()]
    assert more.answered and more.question == "tell me more" and said
    assert not set(shown) & set(said)  # nothing repeated
    assert {c.article_id for c in more.citations} == {c.article_id for c in backstop.citations}  # the same story


def test_a_thread_keeps_its_topic_through_turns_that_name_nothing(newsroom):
    *_, russia = converse(newsroom, "what does Starmer mean by backstop?", "tell me more", "go on", "why?",
                          "what did they say?", "and what did Russia say about it?")
    assert "starmer backstop" in russia.standalone_question  # the topic, five turns back
    assert russia.answered and "Russia again on Wednesday said" in russia.answer


def test_a_pronoun_is_not_the_answer(newsroom):
    _, meeting = converse(newsroom, "what does Starmer mean by backstop?", "who would he meet in Washington?")
    considered = (meeting.short_considered or ("", 0.0))[0]  # the likeliest short answer, bold or not
    assert "Starmer" not in considered and "Trump" in meeting.answer


def test_a_new_topic_mid_conversation_is_searched_on_its_own(newsroom):
    _, boeing = converse(newsroom, "what does Starmer mean by backstop?",
                         "Which airline's Boeing 737 Max 9 lost a door plug mid-air?")
    assert "Alaska Airlines" in boeing.answer.split("[1]")[0] and "starmer" not in boeing.standalone_question.lower()


def first_sentence(answer) -> str:
    """What a reader reads first: the answer up to its first citation."""
    return answer.answer.split("[1]")[0]


@pytest.mark.parametrize("opening, follow_up, expected, day", [
    ("What is the Odysseus lander?", "who built it?", "Intuitive Machines", date(2024, 2, 16)),
    ("Which rocket crashed after takeoff in Europe?", "who built it?", "Isar Aerospace", date(2025, 4, 4)),
    ("What happened to the Coyote vs. Acme movie?", "who bought it?", "Ketchup Entertainment", date(2025, 4, 4)),
])
def test_a_follow_up_naming_nothing_is_answered_about_the_threads_subject(launches, opening, follow_up, expected,
                                                                           day):
    _, answer = converse(launches, opening, follow_up, asked_on=day)
    assert answer.answered and expected in first_sentence(answer)


def test_a_follow_up_names_no_full_name_of_whom_it_asks_about(launches):
    _, answer = converse(launches, "What happened to R. Kelly?", "how long is his sentence?", asked_on=date(2024, 2, 16))
    considered = (answer.short_considered or ("", 0.0))[0]
    assert answer.answered and "Kelly" not in considered and "years" in first_sentence(answer)


@pytest.mark.parametrize("question", ["What happened to R. Kelly?", "Tell me about R. Kelly"])
def test_a_question_about_one_name_is_answered_with_its_news(launches, question):
    answer = launches.answer(question, asked_on=date(2024, 2, 16))
    assert answer.answered and not answer.tentative and "sentenced" in first_sentence(answer)


@pytest.fixture(scope="module")
def primaries(tmp_path_factory, embedder):
    """A week of 2024's quiz articles (its first 40, with the Super Tuesday live blog and two on the Oscars), indexed
    once for the module."""
    week = SHARED / "eval" / "realtimeqa-2024" / "20240315" / "articles"
    folder = tmp_path_factory.mktemp("primaries") / "articles"
    folder.mkdir()
    names = sorted(p.name for p in week.glob("*.json"))[:40]
    for name in dict.fromkeys([*names, "dd12e2f78327b8a5.json", "58cafa83181f4985.json", "fa9338e634a55c83.json"]):
        shutil.copy(week / name, folder)
    settings, index = index_folder(folder, embedder, added=len(list(folder.iterdir())))
    from bot.app import build_service

    return build_service(settings, index=index)


def test_a_follow_up_is_answered_from_the_article_the_thread_cited(primaries):
    ruling, doctors = converse(primaries, "What did the Alabama Supreme Court rule about embryos?",
                               "how did doctors react?", asked_on=date(2024, 3, 15))
    assert "frozen embryos" in first_sentence(ruling)
    # the gate alone refuses it; the cited live blog says it: "a frenzy among patients and doctors"
    assert doctors.answered and "patients and doctors" in first_sentence(doctors)
    assert doctors.citations[0].article_id == ruling.citations[0].article_id


def test_it_is_what_the_last_answer_named(primaries):
    actor, director = converse(primaries, "Who won the Oscar for best actor?", "who directed it?",
                               asked_on=date(2024, 3, 15))
    assert "Cillian Murphy" in first_sentence(actor)
    # "it" is the film the answer named ("Oppenheimer"), which the question never did
    assert "oppenheimer" in director.standalone_question and "Nolan" in first_sentence(director)
