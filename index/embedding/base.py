"""What both embedders share: LangChain's Embeddings interface over `encode`, and loading once."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

import numpy as np

LOADS: list[float] = []  # seconds each model load took in this process (NEWSBOT_TIMING reports them)
RECENT = 20_000  # sentence vectors kept for answers (~30 MB): each question embeds its articles' sentences again


class Embedder:
    """Normalised sentence embeddings; the model loads on the first call, once, whichever thread asks.

    LangChain's Embeddings by its methods, and registered as one by `as_langchain` for LangChain's vector
    stores (importing langchain_core here cost 0.3 s of every command's start).
    """

    def __init__(self, model_name: str, batch_size: int):
        self.model_name = model_name
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        # One forward pass at a time: the runtime already uses every core, so concurrent passes
        # (Slack workers, the watcher) would oversubscribe them.
        self._encode_lock = threading.Lock()
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()

    def _load(self):
        """Load the model (called once, under the lock) and return it."""
        raise NotImplementedError

    def _ready(self):
        """The loaded model, loading it on first use."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    t0 = time.perf_counter()
                    self._model = self._load()
                    LOADS.append(time.perf_counter() - t0)
        return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded (unchanged re-indexing never loads it)."""
        return self._model is not None

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts as a normalised float32 matrix, one row per text."""
        raise NotImplementedError

    def encode_each(self, texts: list[str]) -> np.ndarray:
        """encode(), each vector depending on its own text alone (so it can be kept and reused)."""
        return self.encode(texts)

    def encode_recent(self, texts: list[str]) -> np.ndarray:
        """encode(), but texts embedded lately come from memory (least recently used dropped past RECENT)."""
        if not texts:
            return self.encode([])
        wanted = list(dict.fromkeys(texts))
        with self._recent_lock:
            vectors = {t: self._recent[t] for t in wanted if t in self._recent}
            for t in vectors:
                self._recent.move_to_end(t)
        if missing := [t for t in wanted if t not in vectors]:
            fresh = dict(zip(missing, self.encode_each(missing)))
            vectors.update(fresh)
            with self._recent_lock:
                self._recent.update(fresh)
                while len(self._recent) > RECENT:
                    self._recent.popitem(last=False)
        return np.stack([vectors[t] for t in texts])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages for storage."""
        return self.encode(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed one question."""
        return self.encode([text])[0].tolist()

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        """embed_documents off the event loop."""
        import asyncio

        return await asyncio.to_thread(self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        """embed_query off the event loop."""
        import asyncio

        return await asyncio.to_thread(self.embed_query, text)


def as_langchain(embedder: Embedder):
    """The embedder as a LangChain `Embeddings` (registered as a virtual subclass: the same object)."""
    from langchain_core.embeddings import Embeddings

    Embeddings.register(Embedder)
    return embedder
