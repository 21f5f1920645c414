"""Answerability on hand-built sentences and a hand-built index: names, word pairs, the relevance sum."""

from __future__ import annotations

from fakes.reader import FakeReader, row

from bot.answering import extractive, relevance
from bot.answering.models import Passage


def sentence(text: str, cosine: float) -> extractive.Sentence:
    p = Passage(**row("a-1", "a", text))
    return extractive.Sentence(p, 0, 0, 0, len(text), text, cosine=cosine)


def test_named_phrases_are_runs_of_capitalised_words():
    phrases = relevance.named_phrases("What did Keir Starmer tell the White House on Monday?")
    assert phrases == [["keir", "starmer"], ["white", "house"]]
    assert relevance.named_phrases("Who won? (Ann Lee, Bo Chan)") == []  # options are not the question


def test_unknown_share_counts_names_the_index_never_saw():
    reader = FakeReader([], [], [], known_words={"starmer", "keir"})
    assert relevance.unknown_share(reader, "Did Keir Starmer meet Lagos officials?") == 0.5
    assert relevance.unknown_share(reader, "what happened?") == 0.0


def test_word_coverage_splits_unknown_words_and_pairs():
    reader = FakeReader([], [], [], known_words={"quantum", "dots", "prize"})
    words, pairs = relevance.word_coverage(reader, "quantum dots prize sumo")
    assert words == 0.25  # 'sumo' is in no chunk
    # pairs with an unknown word prove nothing; the rest are all known to this reader
    assert pairs == 0.0


def test_relevance_adds_similarity_and_subtracts_what_is_missing():
    best = sentence("The bank held rates at 4 percent.", cosine=0.6)
    passages = [Passage(**row("a-1", "a", "x"), dense_score=0.5)]
    assert abs(relevance.relevance("Did the bank hold rates?", best, passages, 0.0, 0.0, 0.0) - 1.35) < 1e-9
    lower = relevance.relevance("Did the bank hold rates?", best, passages, 0.5, 0.5, 0.5)
    assert abs(lower - (1.35 - 0.25 - 0.5 - 0.5)) < 1e-9


def test_a_credit_line_fully_answers_who_wrote_it():
    best = sentence("(Reporting by Ann Lee; Editing by Bo Chan)", cosine=0.1)
    assert relevance.relevance("Who wrote the story?", best, [], 0.0, 0.0, 0.0) == 2.0
