"""Embedded Chroma read through chromadb's Rust bindings (index.chroma_bindings): the same answers as chromadb's
own client, and a write first swaps in the full client."""

from __future__ import annotations

import numpy as np
import pytest

from index.chroma_bindings import BindingsReader, open_reader
from index.vectors import DenseStore, make_chroma_client

EMBEDDED = pytest.mark.parametrize("backend", ["embedded"], indirect=True)  # a Chroma server has no files to read


def _query_vector(embedder) -> list[float]:
    return embedder.embed_query("what does Starmer mean by backstop?")


@EMBEDDED
def test_the_bindings_read_what_chromadb_reads(settings, indexed, embedder):
    index, _ = indexed
    vector = _query_vector(embedder)
    full = index.dense.collection.query(query_embeddings=[vector], n_results=5, include=["distances"])
    ids, count = full["ids"][0], index.dense.count()
    index.close()  # as a reader's command finds it: the writer gone
    reader = open_reader(settings.index.chroma_dir, settings.index.collection)
    assert isinstance(reader, BindingsReader)
    store = DenseStore(reader, settings.index.collection)
    assert store.count() == count > 0
    got = store.search(vector, 5)
    assert [i for i, _ in got] == ids
    assert np.allclose([s for _, s in got], [1.0 - d for d in full["distances"][0]], atol=1e-5)
    stored = store.vectors(ids[:2])
    assert set(stored) == set(ids[:2]) and len(stored[ids[0]]) == len(vector)
    where = {"article_id": "no-such-article"}
    assert store.search(vector, 5, where) == []


@EMBEDDED
def test_a_write_swaps_in_chromadb(settings, indexed, embedder):
    index, _ = indexed
    before = index.dense.count()
    index.close()
    reader = open_reader(settings.index.chroma_dir, settings.index.collection)
    store = DenseStore(reader, settings.index.collection, writer=lambda: make_chroma_client(settings))
    store.upsert(["extra-0001"], [_query_vector(embedder)], [{"article_id": "extra"}], ["extra text"])
    assert not isinstance(store.client, BindingsReader) and reader._bindings is None
    assert store.count() == before + 1
    assert store.search(_query_vector(embedder), 1)[0][0] == "extra-0001"


def test_no_store_no_reader(tmp_path):
    assert open_reader(tmp_path / "chroma", "newsbot") is None  # nothing indexed: chromadb makes the store
