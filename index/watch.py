"""Watch article folders and sync what changes, debounced, in this process or in the CLI."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from index.loaders import SUPPORTED

log = logging.getLogger("newsbot.watch")


class FolderWatcher:
    """Collects file events under some roots and syncs them after a quiet spell."""

    def __init__(self, indexer, roots: list[Path], debounce: float = 1.0, on_sync=None):
        self.indexer = indexer
        self.roots = [Path(r).resolve() for r in roots]
        self.debounce = debounce
        self.on_sync = on_sync
        self._changed: dict[Path, set[Path]] = {}
        self._deleted: dict[Path, set[Path]] = {}
        self._last_event = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._observer = None
        self._thread: threading.Thread | None = None

    def start(self) -> "FolderWatcher":
        """Begin watching (returns at once; work happens on background threads)."""
        from watchdog.observers import Observer

        self._observer = Observer()
        handler = _Handler(self)
        for root in self.roots:
            self._observer.schedule(handler, str(root), recursive=True)
        self._observer.start()
        self._thread = threading.Thread(target=self._loop, name="newsbot-watch", daemon=True)
        self._thread.start()
        log.info("watching %s", ", ".join(map(str, self.roots)))
        return self

    def stop(self) -> None:
        """Stop watching and wait for the threads."""
        self._stop.set()
        if self._observer:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread:
            self._thread.join(timeout=30)

    def note(self, path: str, deleted: bool) -> None:
        """Record one file event."""
        file = Path(path)
        if file.suffix.lower() not in SUPPORTED or any(p.startswith(".") for p in file.parts[-1:]):
            return
        try:
            resolved = file.resolve()
        except (OSError, RuntimeError):  # a symlink loop: the sync names it
            resolved = file.absolute()
        root = next((r for r in self.roots if resolved.is_relative_to(r)), None)
        if root is None:
            return
        with self._lock:
            target, other = (self._deleted, self._changed) if deleted else (self._changed, self._deleted)
            target.setdefault(root, set()).add(file)
            other.get(root, set()).discard(file)
            self._last_event = time.monotonic()

    def _loop(self) -> None:
        """Sync a batch once no event has arrived for `debounce` seconds."""
        while not self._stop.wait(0.2):
            with self._lock:
                quiet = time.monotonic() - self._last_event >= self.debounce
                if not quiet or not (self._changed or self._deleted):
                    continue
                changed, deleted = self._changed, self._deleted
                self._changed, self._deleted = {}, {}
            for root in set(changed) | set(deleted):
                self._sync(root, sorted(changed.get(root, ())), sorted(deleted.get(root, ())))

    def _sync(self, root: Path, changed: list[Path], deleted: list[Path]) -> None:
        """Apply one batch; errors are logged, never fatal to the watcher."""
        try:
            report = self.indexer.sync_changes(root, changed, deleted)
        except Exception:  # a bad batch must not stop the watcher; the next event retries
            log.exception("sync of %s failed", root)
            return
        for path in changed:
            log.info("changed: %s", path)
        for path in deleted:
            log.info("deleted: %s", path)
        for where, reason in report.skipped:
            log.warning("skipped %s: %s", where, reason)
        log.info("synced %s: %s", root, report.summary())
        if self.on_sync:
            self.on_sync(report)


class _Handler:
    """watchdog event handler feeding the watcher (created, modified, moved, deleted)."""

    def __init__(self, watcher: FolderWatcher):
        self.watcher = watcher

    def dispatch(self, event) -> None:
        if event.is_directory:
            return
        kind = event.event_type
        if kind in ("created", "modified", "closed"):
            self.watcher.note(event.src_path, deleted=False)
        elif kind == "deleted":
            self.watcher.note(event.src_path, deleted=True)
        elif kind == "moved":
            self.watcher.note(event.src_path, deleted=True)
            self.watcher.note(event.dest_path, deleted=False)


def watch_forever(indexer, roots: list[Path]) -> None:
    """The CLI's --watch: log to stderr and run until interrupted."""
    logging.getLogger("newsbot").setLevel(logging.INFO)
    watcher = FolderWatcher(indexer, roots).start()
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        watcher.stop()
