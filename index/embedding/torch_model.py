"""Sentence-transformers embeddings through PyTorch, behind LangChain's Embeddings interface."""

from __future__ import annotations

import numpy as np

from index.embedding.base import Embedder
from index.errors import EmbeddingModelError


class SentenceEmbedder(Embedder):
    """Normalised sentence-transformers embeddings through PyTorch."""

    def __init__(self, model_name: str, batch_size: int = 64, device: str = "cpu"):
        super().__init__(model_name, batch_size)
        self.device = device

    def _load(self):
        """The SentenceTransformer, from a local path or the local cache, never the network."""
        return _load(self.model_name, self.device)

    @property
    def model(self):
        """The loaded SentenceTransformer (loading it if this is the first use)."""
        return self._ready()

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
            # the lock is taken per batch, so a long index run still lets a question through
            with self._encode_lock:
                out[idx] = model.encode([texts[i] for i in idx], batch_size=self.batch_size,
                                        normalize_embeddings=True, convert_to_numpy=True,
                                        show_progress_bar=False)
        return out


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
        raise EmbeddingModelError(
            f"cannot load embedding model '{model_name}' (NEWSBOT_EMBEDDING_MODEL): {exc}"
        ) from exc
