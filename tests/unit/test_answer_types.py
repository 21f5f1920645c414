"""What a question asks for, and candidates of that type in a sentence (hand-built sentences)."""

from __future__ import annotations

import pytest

from bot.answering.ranking.answer_types import Kind, classify
from bot.answering.ranking.candidates import find


@pytest.mark.parametrize("question, kind", [
    ("Who won the Golden Globe for best actress?", Kind.PERSON),
    ("Which Hollywood star won her first acting award?", Kind.PERSON),
    ("Which large company recently sued the Trump administration over tariffs?", Kind.ORG),
    ("England beat which nation on Sunday to win the Euros?", Kind.COUNTRY),
    ("Which US state announced plans to build a nuclear power plant?", Kind.STATE),
    ("What resort town in the Canadian Rockies hosted the G7 summit?", Kind.CITY),
    ("Where did President Trump declare a national emergency?", Kind.PLACE),
    ("When did the strike begin?", Kind.DATE),
    ("In which year did the bridge open?", Kind.DATE),
    ("How many people were hurt in the blast?", Kind.NUMBER),
    ("How much did the stadium cost?", Kind.MONEY),
    ("What percentage of voters backed the plan?", Kind.PERCENT),
    ("How long was the dinner at Trump Tower?", Kind.DURATION),
    ("Which film has dethroned Inside Out 2 as the top animated movie?", Kind.WORK),
    ("Which sea animal has been seen bringing gifts to humans?", Kind.ENTITY),
    ("Which alliance's members has Trump asked to spend more on defence?", Kind.ORG),
    ("Why did Gavin Newsom file a lawsuit?", Kind.EXPLAIN),
    ("How did the markets react?", Kind.EXPLAIN),
    ("What did Starmer say about Putin?", Kind.EXPLAIN),
    ("What did the Alabama Supreme Court rule about embryos?", Kind.EXPLAIN),  # a clause, not a thing
    ("What did the study find?", Kind.EXPLAIN),
    ("What did Apple buy?", Kind.ENTITY),
])
def test_question_kinds(question, kind):
    assert classify(question) is kind


SENTENCE = ("Costco sued the Trump administration on Friday in New York, seeking refunds of $1.5 billion, "
            "about 40% of its tariff bill, after a two-hour meeting in Kananaskis with Keir Starmer.")


@pytest.mark.parametrize("kind, expected", [
    (Kind.MONEY, ["$1.5 billion"]),
    (Kind.PERCENT, ["40%"]),
    (Kind.DURATION, ["two-hour"]),
    (Kind.DATE, ["Friday"]),
    (Kind.STATE, ["New York"]),
    (Kind.COUNTRY, []),
])
def test_candidates_of_each_kind(kind, expected):
    assert [c.text for c in find(kind, SENTENCE, "What happened?")] == expected


def test_candidates_are_spans_of_the_sentence_and_not_in_the_question():
    found = find(Kind.PERSON, SENTENCE, "Which company did Costco sue?")
    assert "Keir Starmer" in [c.text for c in found]
    assert "Costco" not in [c.text for c in found]  # the question names it: no answer to it
    for c in found:
        assert SENTENCE[c.start:c.end] == c.text


def test_a_span_of_the_question_is_never_a_candidate_even_inflected():
    sentence = "The Golden Globes nominated Emilia Perez ten times, the awards' organisers said."
    question = "Which film got the most Golden Globe nominations?"
    for kind in (Kind.EVENT, Kind.ENTITY, Kind.WORK, Kind.ORG):
        assert all("Golden" not in c.text and "Globes" not in c.text for c in find(kind, sentence, question))
    assert "Emilia Perez" in [c.text for c in find(Kind.ENTITY, sentence, question)]


def test_a_span_of_the_question_is_never_a_candidate_dotted_or_inside_a_compound():
    sentence = "Mexico overtook China as the top exporter to the U.S., and Biden marked the Super Bowl on TikTok."
    exporter = [c.text for c in find(Kind.COUNTRY, sentence, "Which country is the top exporter of goods to the US?")]
    assert "U.S." not in exporter and "Mexico" in exporter
    platform = [c.text for c in find(Kind.ENTITY, sentence, "Biden posted a Super Bowl-themed Q&A on which platform?")]
    assert "Super Bowl" not in platform and "TikTok" in platform


def test_places_come_from_the_gazetteers():
    text = "The summit moved from Ottawa to Texas, and France sent its foreign minister."
    assert [c.text for c in find(Kind.COUNTRY, text, "Which country sent a minister?")] == ["France"]
    assert "Texas" in [c.text for c in find(Kind.STATE, text, "Which state?")]
    assert "Ottawa" in [c.text for c in find(Kind.CITY, text, "Which city?")]


def test_quoted_titles_are_works():
    text = 'The Chinese film “Ne Zha 2” overtook Pixar\'s "Inside Out 2" at the box office.'
    assert "Ne Zha 2" in [c.text for c in find(Kind.WORK, text, "Which film dethroned Inside Out 2?")]
    assert "Inside Out 2" not in [c.text for c in find(Kind.WORK, text, "Which film dethroned Inside Out 2?")]


def test_adjectives_of_nationality_are_not_people():
    text = "British officials said Starmer was offered a second helping by the Russian envoy."
    found = [c.text for c in find(Kind.PERSON, text, "Who was offered a second helping?")]
    assert "Starmer" in found
    assert "British" not in found and "Russian" not in found


def test_the_full_name_of_whom_a_follow_up_asks_about_is_no_candidate():
    sentence = "British Prime Minister Keir Starmer will meet Donald Trump in Washington on Thursday."
    asked = [c.text for c in find(Kind.PERSON, sentence, "who would he meet in Washington?", subject="starmer backstop")]
    assert "British Prime Minister Keir Starmer" not in asked and "Keir Starmer" not in asked
    assert any("Trump" in a for a in asked)
    alone = [c.text for c in find(Kind.PERSON, sentence, "who would he meet in Washington?")]
    assert any("Starmer" in a for a in alone)  # no subject given: nothing says who "he" is


@pytest.mark.parametrize("question, sentence, wrong, right", [
    ("Who did the Libertarian Party choose as its presidential nominee?",
     "Delegates at the Libertarian National Convention chose Chase Oliver on Sunday.",
     "Libertarian National Convention", "Chase Oliver"),
    ("Who is the new operator of the restaurant?", "Robert Lhulier, who runs Buckley's Tavern, will take over.",
     "Buckley's Tavern", "Robert Lhulier"),
    ("Kamala Harris gave her concession speech at which university?",
     "Vice President Kamala Harris spoke at Howard University on Wednesday.",
     "Vice President Kamala Harris", "Howard University"),
    ("Which soccer team won the final?", "Argentina won the Copa America 2024 final against Colombia.",
     "Copa America 2024", "Argentina"),
    ("Which California university deployed police?", "Palestinian supporters gathered at UCLA on Tuesday.",
     "Palestinian", "UCLA"),
    ("In which month will the first debate be held?", "The debate will be held on Wednesday, and a second in June.",
     "Wednesday", "June"),
])
def test_a_short_answer_is_held_to_its_kind_and_the_rankers_spans_are_not(question, sentence, wrong, right):
    kind = classify(question)
    strict = [c.text for c in find(kind, sentence, question, strict=True)]
    assert wrong not in strict and right in strict
    assert wrong in [c.text for c in find(kind, sentence, question)]  # the ranker's type features were fit on these
