"""Exporting a sentence-transformers model to ONNX once per machine, into the user cache dir.

The export (30-50 s) runs in a child process so torch never stays in the caller. Its file is keyed
by the model's content, onnxruntime's version and EXPORT_VERSION, written under a temporary name
and moved into place with os.replace, while a lock file keeps a second process from exporting the
same model at once (it waits, then finds the file). A cache newsbot cannot write falls back to a
folder in the system's temporary dir, with a warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from index.errors import EmbeddingModelError

log = logging.getLogger("newsbot.embedder")

EXPORT_VERSION = "fused-2"  # part of the cache key: a changed export recipe makes new files
SAMPLE = 1 << 20  # bytes hashed from each end of a weights file: tells fine-tuned copies apart cheaply


def model_key(model_dir: Path, runtime_version: str) -> str:
    """A short key for the model's content (not its path: every venv's copy shares one export)."""
    digest = hashlib.sha1(f"{runtime_version}:{EXPORT_VERSION}".encode())
    for path in sorted(model_dir.glob("*")):
        if path.suffix in (".json", ".txt") and path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
        elif path.suffix in (".safetensors", ".bin", ".onnx") and path.is_file():
            size = path.stat().st_size
            with path.open("rb") as f:
                head = f.read(SAMPLE)
                f.seek(max(0, size - SAMPLE))
                digest.update(f"{path.name}:{size}".encode() + head + f.read(SAMPLE))
    return f"{model_dir.name}-{digest.hexdigest()[:12]}"


def export(model_dir: Path, cache: Path, quantize: bool) -> Path:
    """The exported model's file in cache (or a temporary fallback), exported first if it is not there."""
    import onnxruntime

    name = "model-int8.onnx" if quantize else "model.onnx"
    key = model_key(model_dir, onnxruntime.__version__)
    target = cache / key / name
    if target.exists():
        return target
    if not _writable(cache):
        fallback = Path(tempfile.gettempdir()) / f"newsbot-cache-{_user()}"
        log.warning("the model cache %s is not writable; using %s instead (NEWSBOT_CACHE_DIR moves it)",
                    cache, fallback)
        target = fallback / key / name
        if target.exists():
            return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent / f"{name}.lock"):
        if not target.exists():  # another process may have made it while this one waited
            _run_child(model_dir, target)
    return target


def _user() -> str:
    """A per-user suffix for the shared temporary folder."""
    return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")


def _writable(cache: Path) -> bool:
    """Whether newsbot can make folders and files in the cache dir (creating it if missing)."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache, prefix=".probe-"):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def _locked(path: Path):
    """Hold an exclusive lock on path while preparing a model (no-op where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # Windows: the atomic rename alone still keeps the file whole
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run_child(model_dir: Path, target: Path) -> None:
    """Export in a child process into a private folder, then move the file into place."""
    log.info("exporting %s to ONNX (once per machine, into %s)", model_dir, target.parent)
    work = Path(tempfile.mkdtemp(prefix=f".export-{os.getpid()}-", dir=target.parent))
    t0 = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "index.embedding.onnx_build", str(model_dir),
                               str(work / target.name)], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        if done.returncode or not (work / target.name).exists():
            tail = " ".join(done.stderr.strip().splitlines()[-3:])
            raise EmbeddingModelError(f"exporting the embedding model {model_dir} to ONNX failed: {tail}")
        os.replace(work / target.name, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("exported %s in %.1f s", target, time.perf_counter() - t0)
