"""Embedded Chroma read through chromadb's Rust bindings alone, for commands that only read.

`import chromadb` costs about 0.9 s of a cold `newsbot ask` (its API, telemetry and embedding-function
modules); the bindings it drives import in 20 ms and answer the same queries. This client offers the
read calls DenseStore makes; anything else (writes) goes to a full chromadb client made on first need.
The bindings are chromadb's internals: if they are missing or differ, `open_reader` returns None and the
caller uses chromadb itself.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger("newsbot.vectors")
TENANT, DATABASE = "default_tenant", "default_database"  # chromadb's defaults, where its clients keep collections


class ReadCollection:
    """The read calls of a chromadb Collection (query, get, count) over the bindings."""

    def __init__(self, bindings, collection_id: str):
        self._bindings, self._id = bindings, collection_id

    def query(self, query_embeddings, n_results: int = 10, where: dict | None = None,
              include: list[str] | None = None) -> dict:
        """Nearest ids (and what `include` names) per query vector, as chromadb's query returns them."""
        include = include or ["distances"]
        got = self._bindings.query(self._id, None, [list(map(float, v)) for v in query_embeddings], n_results,
                                   json.dumps(where) if where else None, None, include, TENANT, DATABASE)
        return {"ids": got.ids, "distances": got.distances}

    def get(self, ids: list[str], include: list[str] | None = None) -> dict:
        """Stored vectors by id, as chromadb's get returns them."""
        got = self._bindings.get(self._id, list(ids), None, None, 0, None, include or ["embeddings"],
                                 TENANT, DATABASE)
        return {"ids": got.ids, "embeddings": got.embeddings}

    def count(self) -> int:
        """Number of stored vectors."""
        return self._bindings.count(self._id, TENANT, DATABASE)


class BindingsReader:
    """A read-only stand-in for chromadb.PersistentClient on one collection directory."""

    read_only = True  # DenseStore swaps in a full client before its first write

    def __init__(self, bindings):
        self._bindings = bindings

    def get_or_create_collection(self, name: str, **_ignored) -> ReadCollection:
        """The collection (a reader never creates one: absent is a LookupError and the caller uses chromadb)."""
        try:
            collection = self._bindings.get_collection(name, TENANT, DATABASE)
        except Exception as exc:  # noqa: BLE001 - the bindings raise their own error types
            raise LookupError(f"no collection {name!r} ({exc})") from None
        return ReadCollection(self._bindings, str(collection.id))

    def close(self) -> None:
        """Release the bindings (their files and threads)."""
        self._bindings = None


def open_reader(chroma_dir: Path, collection: str) -> BindingsReader | None:
    """A reader of the embedded store in chroma_dir holding `collection`, or None (no store yet, or bindings
    unlike the ones this was written against): the caller then opens chromadb as usual."""
    if not (chroma_dir / "chroma.sqlite3").is_file():
        return None
    try:
        import resource

        import chromadb_rust_bindings as rb

        config = rb.SqliteDBConfig(hash_type=rb.MigrationHash.MD5, migration_mode=rb.MigrationMode.Validate,
                                   url=str(chroma_dir / "chroma.sqlite3"))
        # chromadb sizes its HNSW cache by open files: each index holds 5 (as chromadb.api.rust does)
        cache = resource.getrlimit(resource.RLIMIT_NOFILE)[0] // 5
        reader = BindingsReader(rb.Bindings(allow_reset=False, sqlite_db_config=config,
                                            persist_path=str(chroma_dir), hnsw_cache_size=cache))
        reader.get_or_create_collection(collection)
        return reader
    except Exception as exc:  # noqa: BLE001 - any mismatch: chromadb itself reads the store
        log.debug("chromadb's bindings not used for reading (%s)", exc)
        return None
