"""The exported model's cache: two processes preparing it at once, and a cache newsbot cannot write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from children import newsbot

from bot.settings import Settings

EXPORT = ("import sys; from pathlib import Path; from index.embedding.onnx_export import export; "
          "print(export(Path(sys.argv[1]), Path(sys.argv[2]), quantize=True))")


def test_two_processes_preparing_the_model_at_once_both_get_one_whole_file(tmp_path):
    model_dir, cache = Settings().index.resolved_embedding_model, tmp_path / "cache"
    children = [subprocess.Popen([sys.executable, "-c", EXPORT, model_dir, str(cache)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [child.communicate(timeout=600) for child in children]
    assert [child.returncode for child in children] == [0, 0], [err for _, err in outs]
    paths = {out.strip() for out, _ in outs}
    assert len(paths) == 1 and Path(paths.pop()).stat().st_size > 10_000_000
    assert [p.name for p in cache.rglob("*.onnx")] == ["model-int8.onnx"]
    assert not list(cache.rglob(".export-*"))  # the exporter's private folder is gone


# the model cache is the same whichever backend holds the index: one backend (its export takes ~20 s)
@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_a_read_only_cache_falls_back_to_a_temporary_one_with_a_warning(indexed, tmp_path):
    cache, scratch = tmp_path / "ro-cache", tmp_path / "tmp"
    cache.mkdir()
    scratch.mkdir()
    os.chmod(cache, 0o555)
    try:
        ask = newsbot("ask", "--json", "what does Starmer mean by backstop?", drop=True,
                      NEWSBOT_CACHE_DIR=str(cache), TMPDIR=str(scratch))
    finally:
        os.chmod(cache, 0o755)
    assert ask.returncode == 0, ask.stderr
    assert '"answered": true' in ask.stdout
    assert f"the model cache {cache / 'models'} is not writable; using {scratch}" in ask.stderr
    assert not list(cache.rglob("*"))  # nothing written into the read-only cache
    assert [p.name for p in scratch.rglob("*.onnx")] == ["model-int8.onnx"]
