"""One writer at a time per data dir: an advisory file lock held for the whole index run."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path


class WriterBusy(RuntimeError):
    """Another process is writing to the same index."""


@contextlib.contextmanager
def writer_lock(data_dir: Path, wait: float = 0.0, on_wait=None):
    """Hold the index's writer lock; wait up to `wait` seconds (forever if negative) for it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "index.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait, on_wait)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        # The kernel drops the lock if we are killed, so a crashed writer never blocks the next.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _acquire(fd: int, path: Path, wait: float, on_wait) -> None:
    """Take the lock, polling until the deadline."""
    deadline = None if wait < 0 else time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = _holder(path)
            if deadline is not None and time.monotonic() >= deadline:
                raise WriterBusy(
                    f"another newsbot indexer{holder} is writing to {path.parent}; "
                    "try again when it finishes (or pass --wait)"
                ) from None
            if on_wait and not told:
                on_wait(f"another newsbot indexer{holder} is writing to {path.parent}; waiting…")
                told = True
            time.sleep(0.2)


def _holder(path: Path) -> str:
    """' (pid N)' for the process holding the lock, when it wrote its pid."""
    try:
        pid = path.read_text().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
