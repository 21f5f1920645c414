"""Whether the data dir can be written (writable, read-only, full), and how readers manage when it cannot.

Readers of a data dir they cannot write open SQLite read-only and read Chroma (which must write to
open its store) from a temporary copy; writers fail with one line naming the data dir and the reason.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

from index.errors import DataDirError, NewsbotError

MIN_FREE = 1 << 20  # below 1 MiB free a write would fail part-way: SQLite's WAL index alone needs 32 KiB

WRITE_ERRNOS = {errno.ENOSPC: "full", errno.EDQUOT: "over its disk quota", errno.EROFS: "read-only",
                errno.EACCES: "not writable (permission denied)", errno.EPERM: "not writable (permission denied)"}
# what SQLite and Chroma say when they meet the same conditions without an errno
WRITE_MESSAGES = [
    (re.compile(r"disk is full|no space left|os error 28\b", re.I), "full"),
    (re.compile(r"readonly database|read-only file system|os error 30\b", re.I), "read-only"),
    (re.compile(r"permission denied|os error 13\b", re.I), "not writable (permission denied)"),
    (re.compile(r"disk I/O error", re.I), "failing to write (disk I/O error: full or read-only?)"),
]


def problem(folder: Path, files: tuple[str, ...] = ()) -> str:
    """'' when newsbot can write in folder (and the named files in it); else 'read-only' or 'full (…)'."""
    folder = Path(folder)
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None:
        return ""
    try:
        st = os.statvfs(existing)
    except OSError:
        return ""
    targets = [existing] + [folder / f for f in files if (folder / f).exists()]
    if st.f_flag & os.ST_RDONLY or not all(os.access(t, os.W_OK) for t in targets):
        return "read-only"
    free = st.f_bavail * st.f_frsize
    return f"full ({free:,} bytes free)" if free < MIN_FREE else ""


def unwritable(settings) -> str:
    """Why the data dir cannot take writes ('' when it can), when something of the index lives in it."""
    local_sql = not settings.servers.database_url or settings.servers.database_url.startswith("sqlite")
    if settings.servers.chroma_host and not local_sql:
        return ""
    return problem(settings.index.data_dir, ("newsbot.sqlite3", "chroma", "chroma/chroma.sqlite3"))


def never_indexed(settings) -> bool:
    """True when an index all in the data dir has no database file yet (looked at without creating the data dir).

    With a Chroma server configured, the index is opened as usual: a server that cannot be reached is the error.
    """
    db_file = settings.local_database
    return db_file is not None and not settings.servers.chroma_host and not db_file.exists()


def check_writable(settings) -> None:
    """Raise the one-line error for a data dir that cannot be indexed into (before anything is opened)."""
    if why := unwritable(settings):
        raise refuse_writes(settings.index.data_dir, why)


def write_failure(exc: BaseException) -> str:
    """Why a write failed, when the reason is the data dir's (full, read-only, …); '' for anything else."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
            return WRITE_ERRNOS[exc.errno]
        for pattern, why in WRITE_MESSAGES:
            if pattern.search(str(exc)):
                return why
        exc = exc.__cause__ or exc.__context__
    return ""


@contextlib.contextmanager
def writing(data_dir: Path, settle=None):
    """Turn a write the data dir refuses into one DataDirError line (after settle(), when given).

    Nothing is undone here: embedded Chroma can hang on a write to a full disk after a failed one.
    The batch being written stays uncommitted (readers see only what SQL committed) and journaled,
    and the next run's recover() removes it before anything else.
    """
    try:
        yield
    except NewsbotError:
        raise
    except Exception as exc:
        # Chroma may only say "Error in compaction": the data dir's state then tells why
        why = write_failure(exc) or problem(data_dir)
        if not why:
            raise
        if settle is not None:
            with contextlib.suppress(Exception):
                settle()
        raise DataDirError(
            f"the data dir {data_dir} is {why}: indexing stopped, the batch being written was not committed "
            "(the next run clears it) and the articles indexed before it are kept; make room (or make it "
            "writable) and run `newsbot index` again"
        ) from exc


def refuse_writes(data_dir: Path, why: str) -> DataDirError:
    """The error for a write attempted where the data dir was found unwritable at start."""
    return DataDirError(f"the data dir {data_dir} is {why}: nothing can be indexed into it, nothing was changed")


def snapshot(paths: list[Path], label: str) -> Path:
    """A temporary copy of files and folders (removed at exit), for readers of a data dir they cannot write."""
    tmp = Path(tempfile.mkdtemp(prefix=f"newsbot-{label}-"))
    atexit.register(shutil.rmtree, tmp, True)
    try:
        for path in paths:
            if path.is_dir():
                shutil.copytree(path, tmp / path.name)
            elif path.exists():
                shutil.copy2(path, tmp / path.name)
        for folder, _, files in os.walk(tmp):  # the copies of read-only files must take Chroma's writes
            os.chmod(folder, 0o700)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o600)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DataDirError(f"the data dir {paths[0].parent} cannot be written, and a temporary copy of its "
                           f"{label} for reading could not be made in {tmp.parent} ({exc.strerror})") from None
    return tmp
