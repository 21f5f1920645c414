"""The dense store: a Chroma collection, embeddings always passed in (Chroma never embeds: its default model
would be downloaded)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from index.errors import ServerUnavailable
from index.servers import CHROMA, Backoff, chroma_transport_error, reason
from index.settings import CoreSettings

log = logging.getLogger("newsbot.vectors")
WRITE_BATCH = 2000  # Chroma caps a single upsert; stay well below its max batch size
SPACE = {"hnsw": {"space": "cosine"}}  # distances are 1 - cosine; as langchain-chroma made the collection


def make_chroma_client(settings: CoreSettings):
    """An HTTP client when CHROMA_HOST is set, else a PersistentClient under the data dir."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.servers.chroma_host:
        headers = dict(settings.servers.chroma_headers) or None
        return chromadb.HttpClient(
            host=settings.servers.chroma_host, port=settings.servers.chroma_port, headers=headers,
            settings=chroma_settings,
        )
    settings.index.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.index.chroma_dir), settings=chroma_settings)


class DenseStore:
    """Chunk vectors with filterable metadata, searched by a query vector."""

    def __init__(self, client, collection: str, reconnect=None, address: str = "", writer=None):
        self.name = collection
        self.reconnect, self.address = reconnect, address  # a Chroma server: a new client after a failure
        self.writer = writer  # a read-only client (index.chroma_bindings): the full client to write with
        self.backoff = Backoff()
        self.broken = False
        self._attach(client)

    def _attach(self, client) -> None:
        """Use this client and its collection (made when absent; no embedding function: vectors come in)."""
        self.client = client
        self.collection = client.get_or_create_collection(self.name, configuration=SPACE, embedding_function=None)

    def close(self) -> None:
        """Release the client (an embedded store's files and threads: Chroma shares one system per path)."""
        close = getattr(self.client, "close", None)
        if close is not None:
            close()

    def _writable(self) -> None:
        """Before a write: a read-only client gives way to the full one."""
        if getattr(self.client, "read_only", False):
            self.client.close()
            self._attach(self.writer())

    def _call(self, op):
        """op() against the server; a transport failure re-creates the client and tries once more, then
        is ServerUnavailable (and fails fast during the backoff)."""
        if self.reconnect is None:
            return op()
        self.backoff.check()
        for attempt in (0, 1):
            try:
                if self.broken:
                    self._attach(self.reconnect())
                    self.broken = False
                result = op()
                self.backoff.succeeded()
                return result
            except Exception as exc:  # noqa: BLE001 - sorted below: only an unreachable server is ours
                if not chroma_transport_error(exc):
                    raise
                self.broken = True
                if attempt:
                    outage = ServerUnavailable(CHROMA[0], self.address, CHROMA[1], reason(exc))
                    self.backoff.failed(outage)
                    raise outage from None
                time.sleep(0.2)  # a restarting server: give it a moment before the second try

    def heartbeat(self) -> None:
        """Raise ServerUnavailable when the Chroma server cannot be reached (health checks)."""
        self._call(lambda: self.client.heartbeat())

    def upsert(self, ids: Sequence[str], vectors, metadatas: Sequence[dict], documents: Sequence[str]) -> None:
        """Store vectors under deterministic ids (re-writing an id is harmless)."""
        self._writable()
        for i in range(0, len(ids), WRITE_BATCH):
            sl = slice(i, i + WRITE_BATCH)
            self._call(lambda: self.collection.upsert(
                ids=list(ids[sl]),
                embeddings=[list(map(float, v)) for v in vectors[sl]],
                metadatas=list(metadatas[sl]),
                documents=list(documents[sl]),
            ))

    def delete(self, ids: Sequence[str]) -> None:
        """Remove vectors (ids that are absent are ignored)."""
        self._writable()
        for i in range(0, len(ids), WRITE_BATCH):
            self._call(lambda: self.collection.delete(ids=list(ids[i:i + WRITE_BATCH])))

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors by id, for reusing embeddings of unchanged chunk text."""
        if not ids:
            return {}
        try:
            got = self._call(lambda: self.collection.get(ids=list(ids), include=["embeddings"]))
        except ServerUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - see below
            # Embedded Chroma in a reader process can lag another process's writes ("Error finding
            # id"); callers treat missing vectors as unknown and recompute or skip them.
            log.debug("vector lookup failed (%s); treating %d ids as missing", exc, len(ids))
            return {}
        return {i: list(v) for i, v in zip(got["ids"], got["embeddings"])}

    def count(self) -> int:
        """Number of stored vectors."""
        return self._call(lambda: self.collection.count())

    def search(self, vector: list[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk_id, cosine similarity) for a query vector, within `where` (ids and distances only:
        documents are read from SQL, and fetching them here is slow at large k)."""
        try:
            got = self._call(lambda: self.collection.query(query_embeddings=[list(vector)], n_results=k,
                                                           where=where or None, include=["distances"]))
        except ServerUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - a lagging reader answers from lexical results
            log.warning("dense search failed (%s); answering from lexical results", exc)
            return []
        return [(i, 1.0 - d) for i, d in zip(got["ids"][0], got["distances"][0])]
