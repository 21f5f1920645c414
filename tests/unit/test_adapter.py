"""The query adapter's rebuild script on hand-built sentences and vectors (no model)."""

from __future__ import annotations

import json

import numpy as np

from bench.adapter import NEGATIVES, Adapter, dense_ranks, week_pairs, weights_text
from bot.evaluation.questions import Question
from index.text import query_terms


def question(text: str, gold: str) -> Question:
    return Question("1", text, [gold])


def test_the_answering_sentence_holds_the_gold_as_whole_words_and_shares_most_words():
    sentences = ["The Democrats won the vote in Ohio.", "Rats were seen near the Ohio vote count.",
                 "Ohio voters chose Rats, a local band, as the vote's theme song."] + \
                [f"The Ohio vote was close in county {i}." for i in range(NEGATIVES + 2)]
    found = week_pairs(question("Which band did Ohio voters pick for the vote?", "Rats"), sentences,
                       [set(query_terms(s)) for s in sentences])
    assert found[0] == "Ohio voters chose Rats, a local band, as the vote's theme song."
    assert len(found[1]) == NEGATIVES and "Rats were seen near the Ohio vote count." not in found[1]
    assert "The Democrats won the vote in Ohio." in found[1]  # 'Rats' inside 'Democrats' is no gold


def test_no_pair_when_the_gold_is_absent_or_in_the_question():
    sentences = ["A sentence about Paris."] * 12
    words = [set(query_terms(s)) for s in sentences]
    assert week_pairs(question("Where is the summit?", "Rome"), sentences, words) is None
    assert week_pairs(question("Is the summit in Paris?", "Paris"), sentences, words) is None


def test_the_adapter_moves_and_normalises_the_query_and_zero_weights_are_the_identity():
    q = np.array([[0.6, 0.8, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    off = Adapter(np.zeros((3, 1)), np.zeros((3, 1)))
    assert np.allclose(off.apply(q), q)
    moved = Adapter(np.array([[0.0], [0.0], [1.0]]), np.array([[1.0], [0.0], [0.0]])).apply(q)  # adds q[0] to q[2]
    assert np.allclose(np.linalg.norm(moved, axis=1), 1.0)
    assert np.allclose(moved[0], np.array([0.6, 0.8, 0.6]) / np.linalg.norm([0.6, 0.8, 0.6]))
    assert np.allclose(moved[1], q[1])


def test_dense_ranks_find_the_first_chunk_holding_the_gold():
    chunks = np.eye(3, dtype=np.float32)
    ranks = dense_ranks([question("a", "Rome"), question("b", "Oslo")], np.array([[0.9, 0.5, 0.1], [1, 0, 0]]),
                        ["Paris news", "Rome news", "Oslo news"], chunks)
    assert ranks == [2, 3]


def test_the_weights_file_is_json_that_names_what_it_is():
    text = weights_text(Adapter(np.ones((2, 1)), np.zeros((2, 1))), {"what": "query adapter", "rank": 1})
    obj = json.loads(text)
    assert obj["what"] == "query adapter" and obj["u"] == [[1.0], [1.0]] and obj["v"] == [[0.0], [0.0]]


def test_chunk_pairs_take_the_gold_chunk_sharing_most_words_and_the_nearest_chunks_without_it():
    from bench.adapter_chunks import corpus_rows, top5

    texts = ["Rats won the Ohio band vote.", "Rats, a local band, won.", "The Democrats won in Ohio."] + \
            [f"Ohio county {i} counted votes." for i in range(NEGATIVES + 2)]
    cv = np.eye(len(texts), dtype=np.float32)
    qv = np.array([cv[2] * 0.9 + cv[1] * 0.1, cv[0]], dtype=np.float32)  # nearest: the Democrats chunk
    rows = corpus_rows([question("Which band won the Ohio vote?", "Rats"), question("Who won?", "Nobody")],
                       texts, cv, qv)
    assert len(rows) == 1 and rows[0]["qi"] == 0 and rows[0]["gold"] == [0, 1]
    assert rows[0]["pos"] == 0  # shares Ohio, band, vote
    assert rows[0]["neg"][0] == 2 and len(rows[0]["neg"]) == NEGATIVES and not {0, 1} & set(rows[0]["neg"])
    corpus = {"cv": cv, "qv": qv[[0]], "rows": rows}
    assert top5([corpus], None, k=1) == (0, 1) and top5([corpus], None, k=2) == (1, 1)
