"""Answerability on hand-built sentences and a hand-built index: names, word pairs, the relevance sum."""

from __future__ import annotations

from fakes.reader import FakeReader, row

from bot.answering.models import Passage
from bot.answering.ranking import relevance
from bot.answering.stages import Candidate


def sentence(text: str) -> Candidate:
    p = Passage.of(row("a-1", "a", text))
    return Candidate(p, 0, 0, 0, len(text), text)


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
    best = sentence("The bank held rates at 4 percent.")
    passages = [Passage.of(row("a-1", "a", "x"), dense_score=0.5)]
    assert abs(relevance.relevance("Did the bank hold rates?", best, 0.6, passages, 0.0, 0.0, 0.0) - 1.35) < 1e-9
    lower = relevance.relevance("Did the bank hold rates?", best, 0.6, passages, 0.5, 0.5, 0.5)
    assert abs(lower - (1.35 - 0.25 - 0.5 - 0.5)) < 1e-9


def test_a_credit_line_fully_answers_who_wrote_it():
    best = sentence("(Reporting by Ann Lee; Editing by Bo Chan)")
    assert relevance.relevance("Who wrote the story?", best, 0.1, [], 0.0, 0.0, 0.0) == 2.0


def _coverage(question: str, known: set[str]) -> dict:
    from bot.answering.ranking.answerability import distinctive_terms

    terms = distinctive_terms(question)
    return {"idf": {t: 1.0 for t in terms}, "known": [t for t in terms if t in known]}


def test_held_together_needs_every_distinctive_word_in_one_sentence():
    from bot.answering.ranking.answerability import held_together

    sents = [sentence("Starmer said he wanted the so-called special relationship to go from strength to strength."),
             sentence("Starmer ate dinner.")]
    q = "What does Starmer want the special relationship to do?"  # one rare word: all of them must stand together
    assert held_together(_coverage(q, {"starmer", "want", "special", "relationship"}), sents)
    bakery = "Who runs the Starmer family bakery?"  # the index lacks 'bakery', a rare word: not held
    assert not held_together(_coverage(bakery, {"starmer", "runs", "family"}), sents)


def test_everyday_words_the_index_lacks_do_not_break_a_why_question_held_in_one_passage():
    from bot.answering.ranking.answerability import held_together

    q = "Why does Starmer think a ceasefire alone is not enough?"
    text = "Starmer spoke in Washington. A ceasefire without a backstop would let Putin come again, he said."
    p = Passage.of(row("a-1", "a", text))
    sents = [Candidate(p, 0, 0, 0, 28, text[:28]), Candidate(p, 1, 0, 29, len(text), text[29:])]
    coverage = _coverage(q, {"starmer", "ceasefire", "think"})  # 'alone', 'enough': everyday English
    assert held_together(coverage, sents, explain=True)
    assert not held_together(coverage, sents, explain=False)  # the two words are in different sentences


def test_one_name_asked_about_alone_is_held_when_a_best_sentence_names_it():
    from bot.answering.ranking.answerability import one_name_held

    sents = [sentence("Disgraced R&B singer R. Kelly was sentenced to 30 years in prison on Wednesday.")]
    about = {"idf": {"kelly": 1.0}, "known": ["kelly"], "named": ["r", "kelly"]}
    assert one_name_held(about, sents, top=2)
    assert not one_name_held(about | {"known": []}, sents, top=2)  # the index has never seen the name
    assert not one_name_held(about | {"named": []}, sents, top=2)  # 'kelly' written as an everyday word
    two = {"idf": {"kelly": 1.0, "appeal": 1.0}, "known": ["kelly", "appeal"], "named": ["kelly"]}
    assert not one_name_held(two, sents, top=2)  # more than the name asked: held_together's to judge
