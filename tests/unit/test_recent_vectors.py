"""Sentence vectors embedded lately are reused by the next answers, bounded, in the order asked."""

from __future__ import annotations

import numpy as np

from index.embedding import base
from index.embedding.base import Embedder


class Counting(Embedder):
    """An embedder whose vector of a text is its length, counting what it was asked to embed."""

    def __init__(self):
        super().__init__("counting", batch_size=8)
        self.asked: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.asked.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32).reshape(len(texts), 2)


def test_texts_embedded_lately_are_not_embedded_again():
    emb = Counting()
    first = emb.encode_recent(["a", "bb", "a"])
    again = emb.encode_recent(["ccc", "bb"])
    assert emb.asked == [["a", "bb"], ["ccc"]]  # each text once, repeats within a call included
    assert first[:, 0].tolist() == [1, 2, 1] and again[:, 0].tolist() == [3, 2]


def test_the_memory_is_bounded_and_drops_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(base, "RECENT", 2)
    emb = Counting()
    emb.encode_recent(["a", "bb"])
    emb.encode_recent(["a"])  # "a" used again: "bb" is now the oldest
    emb.encode_recent(["ccc"])
    emb.encode_recent(["a", "bb"])
    assert emb.asked == [["a", "bb"], ["ccc"], ["bb"]]


def test_nothing_asked_is_an_empty_matrix():
    emb = Counting()
    assert emb.encode_recent([]).shape == (0, 2)
