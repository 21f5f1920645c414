"""Sentence splitting and chunking keep sentences whole and offsets exact."""

from __future__ import annotations

from helpers import STARMER

from index.chunking import chunk_article
from index.loaders import load_file
from index.text import split_sentences


def test_sentences_respect_abbreviations_and_quotes():
    text = 'Mr. Smith met U.S. officials at 3 p.m. on Jan. 5. He said: “We will act.” Prices rose 2.5%.\nNEW LINE here'
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["Mr. Smith met U.S. officials at 3 p.m. on Jan. 5.", "He said: “We will act.”",
                   "Prices rose 2.5%.", "NEW LINE here"]


def test_chunks_are_whole_sentences_with_exact_offsets():
    (art,) = load_file(STARMER, STARMER.parent).articles
    chunks = chunk_article(art, max_chars=400, overlap=1)
    starts = {s for s, _ in split_sentences(art.text)}
    ends = {e for _, e in split_sentences(art.text)}
    assert len(chunks) > 5
    for c in chunks:
        assert art.text[c.start:c.end] == c.text
        assert c.start in starts and c.end in ends
        assert len(c.text) <= 400
    # a little overlap: after a chunk of several sentences, the next repeats its last one
    multi = [(a, b) for a, b in zip(chunks, chunks[1:]) if len(split_sentences(a.text)) > 1]
    assert multi and all(b.start < a.end for a, b in multi)
    assert chunks[-1].end == len(art.text.rstrip())


def test_chunk_ids_are_deterministic():
    (art,) = load_file(STARMER, STARMER.parent).articles
    assert [c.chunk_id for c in chunk_article(art)] == [c.chunk_id for c in chunk_article(art)]
    assert chunk_article(art)[0].chunk_id.startswith(art.article_id + "-0000-")


def test_overlong_sentence_is_cut_at_words():
    from index.models import Article

    art = Article(text="word " * 400)
    chunks = chunk_article(art, max_chars=300, overlap=0)
    assert all(len(c.text) <= 300 and not c.text.endswith("wor") for c in chunks)
    assert sum(len(c.text.split()) for c in chunks) == 400
