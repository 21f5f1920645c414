"""What both embedders share: LangChain's Embeddings interface over `encode`, and loading once."""

from __future__ import annotations

import threading
import time

import numpy as np
from langchain_core.embeddings import Embeddings

LOADS: list[float] = []  # seconds each model load took in this process (NEWSBOT_TIMING reports them)


class Embedder(Embeddings):
    """Normalised sentence embeddings; the model loads on the first call, once, whichever thread asks."""

    def __init__(self, model_name: str, batch_size: int):
        self.model_name = model_name
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        # One forward pass at a time: the runtime already uses every core, so concurrent passes
        # (Slack workers, the watcher) would oversubscribe them.
        self._encode_lock = threading.Lock()

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

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages for storage."""
        return self.encode(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed one question."""
        return self.encode([text])[0].tolist()
