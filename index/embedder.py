"""Sentence-transformers embeddings behind LangChain's Embeddings interface, loaded on first use."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from langchain_core.embeddings import Embeddings

from index.settings import Settings


class SentenceEmbedder(Embeddings):
    """Normalised sentence-transformers embeddings; the model loads on the first call, once."""

    def __init__(self, model_name: str, batch_size: int = 64, device: str = "cpu"):
        self.model_name = model_name
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @property
    def model(self):
        """The loaded SentenceTransformer (loading it if this is the first use)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load(self.model_name, self.device)
        return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded (unchanged re-indexing never loads it)."""
        return self._model is not None

    @property
    def dimension(self) -> int:
        """Length of the vectors this model produces."""
        model = self.model
        # sentence-transformers 6 renamed the method; older releases only have the old name
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return getter()

    def encode(self, texts: list[str]):
        """Embed texts as a normalised float32 matrix, longest-first batches to cut padding."""
        model = self.model
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            idx = order[start:start + self.batch_size]
            # One forward pass at a time, lock taken per batch: torch already uses every core, so
            # concurrent passes (Slack workers, the watcher) would oversubscribe them, and a long
            # index run still lets a question through between two batches.
            with self._encode_lock:
                out[idx] = model.encode([texts[i] for i in idx], batch_size=self.batch_size,
                                        normalize_embeddings=True, convert_to_numpy=True,
                                        show_progress_bar=False)
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages for storage."""
        return self.encode(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed one question."""
        return self.encode([text])[0].tolist()


def _load(model_name: str, device: str):
    """Load a sentence-transformers model from a local path or the local cache, never the network."""
    import os

    # The hub cannot be reached here; offline mode makes a missing model fail fast, not hang.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars are noise in a CLI and in logs
    hf_logging.set_verbosity_error()

    try:
        return SentenceTransformer(model_name, device=device)
    except Exception as exc:  # the library raises many types; name the setting in one message
        raise RuntimeError(
            f"cannot load embedding model '{model_name}' (NEWSBOT_EMBEDDING_MODEL): {exc}"
        ) from exc


@lru_cache(maxsize=4)
def _shared(model_name: str, batch_size: int, backend: str, cache: Path):
    """One embedder per model per process, so the REPL, Slack and the watcher share weights."""
    if backend == "torch":
        return SentenceEmbedder(model_name, batch_size)
    from index.onnx_embedder import OnnxEmbedder  # onnxruntime only when asked for

    return OnnxEmbedder(model_name, cache, quantize=backend == "onnx-int8", batch_size=batch_size)


def make_embedder(settings: Settings):
    """The embedder named by the settings (not loaded until used)."""
    return _shared(settings.resolved_embedding_model, settings.embed_batch_size, settings.embedding_backend,
                   settings.model_cache_dir)
