"""The fault suite's marker and fixtures; the helpers for running children are in children.py."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items):
    """Every test under tests/fault carries the `fault` marker."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.fault)


@pytest.fixture(scope="session")
def exported(embedder):
    """The embedding model exported into the session's model cache, so children load it in seconds."""
    embedder.embed_query("warm up")
    return embedder
