"""The unit layer: pure logic on hand-built data. A unit test that loads a model or opens Chroma fails."""

from __future__ import annotations

import sys

import pytest

HEAVY = ("torch", "sentence_transformers", "onnxruntime", "chromadb")


@pytest.fixture(autouse=True)
def no_model_or_chroma():
    """Fail a unit test that imports the embedding runtimes or Chroma (they make the layer slow)."""
    before = {m for m in HEAVY if m in sys.modules}
    yield
    loaded = {m for m in HEAVY if m in sys.modules} - before
    assert not loaded, f"a unit test loaded {', '.join(sorted(loaded))}: move it to tests/integration"
