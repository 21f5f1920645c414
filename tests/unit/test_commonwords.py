"""The shipped everyday-English table agrees with wordfreq, which it replaces at run time."""

from __future__ import annotations

import pytest

from bot.answering.ranking import answerability, commonwords

WORDS = ["the", "think", "alone", "begin", "runs", "bakery", "invasion", "ceasefire", "starmer", "backstop",
         "42", "2024", "100,000", "long-term", "covid-19", "u.s", "don't", "no.1", "1.3", "Trump", "news"]


def test_everyday_words_are_listed_and_rarer_ones_are_not():
    assert commonwords.zipf("the") > 7 and commonwords.zipf("The") == commonwords.zipf("the")
    assert commonwords.zipf("bakery") == 0.0 and commonwords.zipf("ceasefire") == 0.0
    assert commonwords.zipf("42") >= commonwords.FLOOR > commonwords.zipf("2024")
    assert min(commonwords.table().values()) >= commonwords.FLOOR


def test_a_word_of_parts_is_as_common_as_its_parts_combined():
    long, term = commonwords.zipf("long"), commonwords.zipf("term")
    assert 0 < commonwords.zipf("long-term") < min(long, term)
    assert commonwords.zipf("covid-19") == 0.0  # one rare part makes the whole rare


@pytest.mark.parametrize("word", WORDS)
def test_the_table_agrees_with_wordfreq_about_what_is_everyday(word):
    wordfreq = pytest.importorskip("wordfreq")  # a dev dependency: it rebuilds the table
    assert (wordfreq.zipf_frequency(word, "en") < commonwords.FLOOR) == (commonwords.zipf(word) < commonwords.FLOOR)


def test_distinctive_keeps_the_rarer_words_of_a_question():
    assert answerability.distinctive(["think", "bakery", "invasion"]) == ["bakery", "invasion"]
    assert answerability.distinctive(["think", "bakery"]) == ["think", "bakery"]  # fewer than two rare: all
