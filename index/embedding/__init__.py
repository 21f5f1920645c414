"""Embedding models: sentence-transformers through PyTorch or ONNX Runtime, loaded on first use."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from index.settings import CoreSettings

# ONNX Runtime (1.2x+ on Linux) records telemetry events in ~/.cache/Microsoft/DeveloperTools and tries to send
# them to Microsoft, with a thread of its own: nothing of newsbot's leaves the machine. Read by onnxruntime when
# it loads (imported after this).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


@lru_cache(maxsize=4)
def _shared(model_name: str, batch_size: int, backend: str, cache: Path):
    """One embedder per model per process, so the REPL, Slack and the watcher share weights."""
    if backend == "torch":
        from index.embedding.torch_model import SentenceEmbedder  # torch only when asked for

        return SentenceEmbedder(model_name, batch_size)
    from index.embedding.onnx_model import OnnxEmbedder  # onnxruntime only when asked for

    return OnnxEmbedder(model_name, cache, quantize=backend == "onnx-int8", batch_size=batch_size)


def make_embedder(settings: CoreSettings):
    """The embedder named by the settings (not loaded until used)."""
    idx = settings.index
    return _shared(idx.resolved_embedding_model, idx.embed_batch_size, idx.embedding_backend, idx.model_cache_dir)
