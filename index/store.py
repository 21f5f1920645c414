"""The index: SQL record + lexical index + Chroma vectors, written so a crash never leaves them apart.

SQL is the commit point. Chunk ids carry a content hash, so a chunk id is never rewritten with other
text. A write first journals which vectors it adds and removes, upserts the vectors, then commits the
SQL rows (record, chunks, FTS) in one transaction, then drops the replaced vectors. Readers only see
chunks present in SQL; `recover()` finishes or rolls back whatever a killed writer left journaled.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import time
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, func, insert, select, update

from index import datadir, db, migrate
from index.dates import day_date, day_number
from index.errors import ConfigError, EmbeddingModelError, ServerUnavailable
from index.lexical import make_lexical
from index.models import Article, Chunk, short_hash
from index.query import Filters
from index.rows import ArticleRow, ChunkRow, article_row, chunk_row
from index.servers import CHROMA, chroma_address, chroma_transport_error, reason
from index.settings import CoreSettings
from index.vectors import DenseStore, make_chroma_client

OPENED: list = []  # every index opened in this process, so an entry point can close what its command opened
EXACT_WINDOW = 800  # a date window of at most this many chunks is searched exactly (their vectors fetched)
WINDOW_POOL = 2000  # a wider one among at most this many nearest chunks of the whole collection


def embed_text(chunk: Chunk, with_title: bool = True) -> str:
    """What is embedded for a chunk: its article's title (unless switched off), then its text."""
    title = chunk.article.title.strip() if with_title else ""
    return f"{title}\n{chunk.text}" if title else chunk.text


@dataclass
class Pending:
    """One article's prepared write: its chunks and their vectors (None for a removal)."""

    article: Article | None
    article_id: str
    chunks: list[Chunk]
    vectors: list | None
    root: str = ""


class NewsIndex:
    """Both indexes and the record, for writers; readers see it as an `index.reader.IndexReader`."""

    def __init__(self, settings: CoreSettings, embedder, chroma_client=None, engine=None, fast_reads: bool = False):
        self.settings = settings
        self.fast_reads = fast_reads  # a reader's command: embedded Chroma read without importing chromadb
        if embedder is not None:
            self.embedder = embedder  # else made on first use (below)
        self.read_only = datadir.unwritable(settings)  # '' or why the data dir cannot be written: then only read
        if not self.read_only:
            settings.index.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine = engine or db.reachable(lambda: db.make_engine(settings.sqlalchemy_url), settings)
        self.read_only = self.read_only or ("read-only" if db.read_only(self.engine) else "")
        self.lexical = make_lexical(self.engine, settings.retrieval.lexical_max_postings)
        db.reachable(lambda: migrate.ensure(self.engine), settings)
        self._given_chroma = chroma_client
        if settings.servers.chroma_host:
            self.dense  # noqa: B018 - a Chroma server is reached at open: one that is down is named before any work
        OPENED.append(self)

    @functools.cached_property
    def embedder(self):
        """The settings' embedder, made on first use: reads of the record never import the model's packages."""
        from index.embedding import make_embedder

        return make_embedder(self.settings)

    @functools.cached_property
    def dense(self) -> DenseStore:
        """The vector store; embedded Chroma is opened on first use, so `status` and other reads of the record never
        import chromadb (about a second of a cold start)."""
        return self._dense_store(self._given_chroma)

    def close(self) -> None:
        """Release the database connections and the vector store (a long-lived process never needs to)."""
        if self in OPENED:
            OPENED.remove(self)
        if "dense" in self.__dict__:  # opened
            self.dense.close()
        self.engine.dispose()

    def _dense_store(self, chroma_client=None) -> DenseStore:
        """The dense store; on a Chroma server it re-creates its client after a failure."""
        settings = self.settings
        if not settings.servers.chroma_host:
            if chroma_client is None and (reader := self._bindings_reader()):
                return DenseStore(reader, settings.index.collection, writer=self._chroma_client)
            return DenseStore(chroma_client or self._chroma_client(), settings.index.collection)
        try:
            return DenseStore(chroma_client or make_chroma_client(settings), settings.index.collection,
                              reconnect=lambda: make_chroma_client(settings), address=chroma_address(settings))
        except Exception as exc:  # chromadb says ValueError, or its HTTP client's own errors
            if chroma_transport_error(exc):
                raise ServerUnavailable(CHROMA[0], chroma_address(settings), CHROMA[1], reason(exc)) from None
            raise ConfigError(f"cannot use the Chroma server at CHROMA_HOST={settings.servers.chroma_host} "
                              f"CHROMA_PORT={settings.servers.chroma_port} ({db.first_line(exc)})") from None

    def _bindings_reader(self):
        """For a reader's command, embedded Chroma through its Rust bindings (index.chroma_bindings), unless
        chromadb is imported already (then nothing is saved, and one client keeps reads in step with writes)."""
        if not self.fast_reads or self.read_only or "chromadb" in sys.modules:
            return None
        from index.chroma_bindings import open_reader

        return open_reader(self.settings.index.chroma_dir, self.settings.index.collection)

    def _chroma_client(self):
        """Embedded Chroma; in a data dir that cannot be written it is read from a copy."""
        settings = self.settings
        if self.read_only:  # Chroma writes to open its store: give it a copy to write to
            copy = datadir.snapshot([settings.index.chroma_dir], "chroma")
            return make_chroma_client(settings.override(NEWSBOT_DATA_DIR=copy))
        return make_chroma_client(settings)

    def embed_text(self, chunk: Chunk) -> str:
        """The text embedded for a chunk under this index's settings."""
        return embed_text(chunk, self.settings.index.embed_title)

    # ---- reads -------------------------------------------------------------------------------

    def get_meta(self, name: str, default: str = "") -> str:
        """A value from the meta table."""
        with self.engine.connect() as conn:
            value = conn.execute(select(db.meta.c.value).where(db.meta.c.name == name)).scalar()
        return default if value is None else value

    def records(self) -> dict[str, dict]:
        """The record of indexed articles by key: id, hash, text hash, root, path, chunk ids."""
        cols = db.articles.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(cols.key, cols.article_id, cols.content_hash, cols.text_hash, cols.root, cols.path, cols.chunk_ids)
            ).all()
        return {r.key: r._asdict() for r in rows}

    def reusable_vectors(self, embed_hashes: list[str]) -> dict[str, list[float]]:
        """Stored vectors of chunks with these embed hashes (any article), by embed hash."""
        if not embed_hashes:
            return {}
        c = db.chunks.c
        by_chunk: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(embed_hashes), 500):
                query = select(c.chunk_id, c.embed_hash).where(c.embed_hash.in_(embed_hashes[i:i + 500]))
                by_chunk.update({r.chunk_id: r.embed_hash for r in conn.execute(query)})
        vectors = self.dense.vectors(list(by_chunk))
        return {by_chunk[cid]: vec for cid, vec in vectors.items()}

    def file_cache(self) -> dict[tuple[str, str], dict]:
        """What the last complete sync saw of each file, by (root, path)."""
        with self.engine.connect() as conn:
            return {(r.root, r.path): r._asdict() for r in conn.execute(select(db.files))}

    def save_files(self, rows: list[dict], gone: list[tuple[str, str]]) -> None:
        """Remember files as seen (after their articles are committed) and forget vanished ones."""
        f = db.files.c
        with self.engine.begin() as conn:
            for root, path in gone:
                conn.execute(delete(db.files).where((f.root == root) & (f.path == path)))
            for row in rows:
                conn.execute(delete(db.files).where((f.root == row["root"]) & (f.path == row["path"])))
            if rows:
                conn.execute(insert(db.files), rows)

    def passages(self, chunk_ids: list[str]) -> dict[str, ChunkRow]:
        """Committed chunks with their article's metadata, by chunk id (unknown ids are dropped)."""
        if not chunk_ids:
            return {}
        c, a = db.chunks.c, db.articles.c
        query = (
            select(c.chunk_id, c.article_id, c.start, c.end, c.text, a.title, a.author, a.source,
                   a.published, a.url, a.path, a.published_day)
            .join_from(db.chunks, db.articles, c.article_id == a.article_id)
            .where(c.chunk_id.in_(chunk_ids))
        )
        with self.engine.connect() as conn:
            return {r.chunk_id: chunk_row(r._mapping) for r in conn.execute(query)}

    def chunks_in(self, filters: Filters, limit: int) -> list[ChunkRow]:
        """Committed chunks of the articles within the filters, newest first (then in reading order), at most limit."""
        c, a = db.chunks.c, db.articles.c
        query = (
            select(c.chunk_id, c.article_id, c.start, c.end, c.text, a.title, a.author, a.source, a.published,
                   a.url, a.path, a.published_day)
            .join_from(db.chunks, db.articles, c.article_id == a.article_id).where(*filters.clauses())
            .order_by(a.published_day.is_(None), a.published_day.desc(), a.article_id, c.n).limit(limit)
        )
        with self.engine.connect() as conn:
            return [chunk_row(r._mapping) for r in conn.execute(query)]

    def article_text(self, article_id: str) -> str:
        """The stored text of an article (what citation offsets point into)."""
        with self.engine.connect() as conn:
            value = conn.execute(select(db.articles.c.text).where(db.articles.c.article_id == article_id)).scalar()
        return value or ""

    def any_text_matches(self, needle: str, pattern: re.Pattern) -> bool:
        """Does an indexed article text match pattern (needle as a regex)? SQL narrows the texts first.

        SQLite's lower() folds ASCII only, so the narrowing uses the needle's longest ASCII run
        ('ürümqi' → 'mqi'); the pattern decides.
        """
        col = db.articles.c.text
        query = select(col)
        if runs := re.findall(r"[ -~]+", needle):
            query = query.where(func.lower(col).contains(max(runs, key=len).lower(), autoescape=True))
        with self.engine.connect() as conn:
            return any(pattern.search(text) for text in conn.execute(query).scalars())

    def embed_query(self, text: str):
        """The question's vector (normalised float32)."""
        return np.asarray(self.embedder.embed_query(text), dtype=np.float32)

    def embed(self, texts: list[str]):
        """Vectors of texts, one row each (sentences embedded lately come from the embedder's memory)."""
        return self.embedder.encode_recent(list(texts))

    def vectors(self, chunk_ids: list[str]) -> dict[str, list[float]]:
        """Stored vectors of chunks, by chunk id."""
        return self.dense.vectors(chunk_ids)

    def unknown_phrases(self, phrases: list[list[str]], near: bool = True) -> list[list[str]]:
        """The phrases whose words never occur together in one chunk (near each other, or anywhere)."""
        return self.lexical.unknown_phrases(phrases, near)

    def word_counts(self, words: list[str]) -> tuple[dict[str, int], int]:
        """How many chunks hold each word (counted up to the lexical budget), and how many chunks there are."""
        with self.engine.connect() as conn:
            return self.lexical.counts(conn, list(dict.fromkeys(words))), self.lexical.total(conn)

    def warm_up(self) -> None:
        """Load the embedding model and open the vector store now rather than on the first question."""
        vector = self.embedder.embed_query("warm up")
        self.dense  # noqa: B018 - embedded Chroma opens on first use: a bot pays its imports here, not in an answer
        try:  # Chroma reads a collection's vector index on its first query, not on opening: 0.3-0.6 s of a first answer
            self.dense.search(vector, 1)
        except ServerUnavailable:
            pass  # a Chroma server away now: the first question meets the outage and says so

    def lexical_search(self, question: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """BM25 hits as (chunk_id, score)."""
        return self.lexical.search(question, k, filters)

    def dense_search(self, vector: list[float], k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk_id, cosine similarity).

        Chroma's own date filter costs 200-600 ms on a year of news (72k chunks), so a date window is
        searched here: exactly over its chunks' vectors when it holds few, else among the nearest
        chunks of the whole collection, keeping those inside it (a window's chunks near the question
        are near it among all chunks too).
        """
        if not (filters and (filters.since or filters.until)):
            return self.dense.search(vector, k, chroma_where(filters))
        ids = self._chunk_ids(filters, EXACT_WINDOW + 1)
        if len(ids) <= EXACT_WINDOW:
            return _nearest(np.asarray(vector, dtype=np.float32), self.dense.vectors(ids), k)
        pool = max(10 * k, 100)
        while True:  # a window holding most chunks is found in a small pool; a narrow one needs a wide pool
            hits = self.dense.search(vector, pool)
            inside = self._chunk_ids(filters, len(hits), [cid for cid, _ in hits])
            if len(inside) >= k or pool >= WINDOW_POOL or len(hits) < pool:
                return [(cid, score) for cid, score in hits if cid in inside][:k]
            pool = min(WINDOW_POOL, pool * 5)

    def _chunk_ids(self, filters: Filters, limit: int, among: list[str] | None = None) -> set[str]:
        """Committed chunk ids within the filters (among some ids, when given), at most limit."""
        c, a = db.chunks.c, db.articles.c
        query = (select(c.chunk_id).join_from(db.chunks, db.articles, c.article_id == a.article_id)
                 .where(*filters.clauses()).limit(limit))
        if among is not None:
            query = query.where(c.chunk_id.in_(among))
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def article_count(self, filters: Filters | None = None) -> int:
        """Number of indexed articles (within the filters, when given)."""
        query = select(func.count()).select_from(db.articles).where(*(filters or Filters()).clauses())
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def newest_articles(self, limit: int, filters: Filters | None = None) -> list[ArticleRow]:
        """The most recently published articles (newest indexed first on a tie)."""
        a = db.articles.c
        query = (select(*article_columns()).where(*(filters or Filters()).clauses())
                 .order_by(a.published_day.is_(None), a.published_day.desc(), a.indexed_at.desc()).limit(limit))
        with self.engine.connect() as conn:
            return [article_row(r._mapping) for r in conn.execute(query)]

    def article(self, article_id: str) -> ArticleRow | None:
        """The indexed article with this id, or None."""
        a = db.articles.c
        query = select(a.article_id, a.title, a.author, a.source, a.published, a.url, a.published_day)
        with self.engine.connect() as conn:
            row = conn.execute(query.where(a.article_id == article_id)).first()
        return article_row(row._mapping) if row else None

    def article_by_url(self, url: str) -> ArticleRow | None:
        """The indexed article at this url (scheme, trailing slash and fragment aside), or None."""
        variants = url_variants(url)
        if not variants:
            return None
        query = (select(*article_columns()).where(db.articles.c.url.in_(variants))
                 .order_by(db.articles.c.indexed_at.desc()).limit(1))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return article_row(row._mapping) if row else None

    def last_indexed(self) -> str:
        """When the index was last written ('' when never)."""
        return self.get_meta("last_indexed")

    def stats(self, dense: bool = True) -> dict:
        """Counts, times and whether the data dir can be written, for `newsbot status` (dense: count the vectors
        too, which opens the vector store)."""
        with self.engine.connect() as conn:
            n_articles = conn.execute(select(func.count()).select_from(db.articles)).scalar_one()
            n_chunks = conn.execute(select(func.count()).select_from(db.chunks)).scalar_one()
            n_lexical = self.lexical.count(conn)
            pending = conn.execute(select(func.count()).select_from(db.journal)).scalar_one()
        return {
            "articles": n_articles,
            "chunks": n_chunks,
            "lexical_chunks": n_lexical,
            **({"dense_chunks": self.dense.count()} if dense else {}),
            "pending_writes": pending,
            "last_indexed": self.get_meta("last_indexed"),
            "embedding_model": self.get_meta("embedding_model"),
            "data_dir_state": self.read_only or "writable",
        }

    # ---- writes ------------------------------------------------------------------------------

    def check_model(self, model_name: str) -> None:
        """Refuse to mix vectors from two embedding models in one collection."""
        stored = self.get_meta("embedding_model")
        if stored and stored != model_name:
            raise EmbeddingModelError(
                f"index in {self.settings.index.data_dir} was built with embedding model '{stored}', "
                f"not '{model_name}' (NEWSBOT_EMBEDDING_MODEL); use another NEWSBOT_DATA_DIR or re-index from scratch"
            )

    def set_meta(self, **values: str) -> None:
        """Upsert values in the meta table."""
        with self.engine.begin() as conn:
            for name, value in values.items():
                conn.execute(delete(db.meta).where(db.meta.c.name == name))
                conn.execute(insert(db.meta).values(name=name, value=str(value)))

    def apply(self, batch: list[Pending]) -> None:
        """Write a batch of article additions, replacements and removals, journaled."""
        if not batch:
            return
        old = self._old_chunk_ids([p.article_id for p in batch])
        plans = []
        for p in batch:
            new_ids = [c.chunk_id for c in p.chunks]
            added = [i for i in new_ids if i not in old.get(p.article_id, set())]
            removed = sorted(old.get(p.article_id, set()) - set(new_ids))
            plans.append((p, added, removed))
        self._journal(plans)
        self._upsert_vectors([p for p in batch if p.article is not None])
        self._commit_sql(plans)
        self.dense.delete([i for _, _, removed in plans for i in removed])
        self._clear_journal([p.article_id for p in batch])

    def _old_chunk_ids(self, article_ids: list[str]) -> dict[str, set[str]]:
        """Currently committed chunk ids of these articles."""
        c = db.chunks.c
        out: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(select(c.article_id, c.chunk_id).where(c.article_id.in_(article_ids))):
                out.setdefault(row.article_id, set()).add(row.chunk_id)
        return out

    def _journal(self, plans) -> None:
        """Record the intent before touching Chroma."""
        now = time.time()
        with self.engine.begin() as conn:
            conn.execute(delete(db.journal).where(db.journal.c.article_id.in_([p.article_id for p, _, _ in plans])))
            conn.execute(insert(db.journal), [
                {"article_id": p.article_id, "added": json.dumps(a), "removed": json.dumps(r),
                 "committed": 0, "created_at": now}
                for p, a, r in plans
            ])

    def _upsert_vectors(self, batch: list[Pending]) -> None:
        """Write every chunk's vector with its filterable metadata."""
        ids, vectors, metas, docs = [], [], [], []
        for p in batch:
            art = p.article
            for chunk, vector in zip(p.chunks, p.vectors):
                ids.append(chunk.chunk_id)
                vectors.append(vector)
                metas.append(chunk_metadata(art, chunk))
                docs.append(chunk.text)
        if ids:
            self.dense.upsert(ids, vectors, metas, docs)

    def _commit_sql(self, plans) -> None:
        """Replace record, chunks and FTS rows of every article in one transaction."""
        ids = [p.article_id for p, _, _ in plans]
        with self.engine.begin() as conn:
            old_rowids = conn.execute(select(db.chunks.c.rowid).where(db.chunks.c.article_id.in_(ids))).scalars().all()
            self.lexical.remove(conn, list(old_rowids))
            conn.execute(delete(db.chunks).where(db.chunks.c.article_id.in_(ids)))
            conn.execute(delete(db.articles).where(db.articles.c.article_id.in_(ids)))
            self._insert_articles(conn, [p for p, _, _ in plans if p.article is not None])
            conn.execute(update(db.journal).where(db.journal.c.article_id.in_(ids)).values(committed=1))

    def _insert_articles(self, conn, batch: list[Pending]) -> None:
        """Insert the batch's records, chunks and FTS rows: a few statements per batch, not per article
        (on PostgreSQL each statement is a round trip; per article, growth ran at ~180 chunks/s)."""
        if not batch:
            return
        now = time.time()
        conn.execute(insert(db.articles), [self._article_row(p, now) for p in batch])
        rows = [{"chunk_id": c.chunk_id, "article_id": p.article_id, "n": c.n, "start": c.start, "end": c.end,
                 "text": c.text, "embed_hash": short_hash(self.embed_text(c), 32)} for p in batch for c in p.chunks]
        if not rows:
            return
        conn.execute(insert(db.chunks), rows)
        titles = {p.article_id: p.article.title for p in batch}
        c = db.chunks.c
        got = conn.execute(select(c.rowid, c.article_id, c.text).where(c.article_id.in_(list(titles)))).all()
        self.lexical.add(conn, [{"rowid": r.rowid, "title": titles[r.article_id], "body": r.text} for r in got])

    @staticmethod
    def _article_row(p: Pending, now: float) -> dict:
        """One article's record row."""
        art = p.article
        return dict(
            article_id=p.article_id, key=art.key, root=p.root, path=art.path,
            content_hash=art.content_hash, text_hash=short_hash(art.text, 40), title=art.title,
            author=art.author, source=art.source, published=art.published,
            published_day=day_number(art.published), published_date=day_date(art.published), url=art.url,
            place=art.place, text=art.text, chunk_ids=json.dumps([c.chunk_id for c in p.chunks]), indexed_at=now,
        )

    def _clear_journal(self, article_ids: list[str]) -> None:
        """The write is complete on both sides."""
        with self.engine.begin() as conn:
            conn.execute(delete(db.journal).where(db.journal.c.article_id.in_(article_ids)))

    def recover(self) -> int:
        """Finish or roll back writes a killed writer left in the journal; returns how many."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(db.journal)).all()
        for row in rows:
            if row.committed:
                self.dense.delete(json.loads(row.removed))
            else:
                self.dense.delete(json.loads(row.added))
        self._clear_journal([r.article_id for r in rows])
        return len(rows)


def article_columns() -> list:
    """The columns of an article metadata row."""
    a = db.articles.c
    return [a.article_id, a.title, a.author, a.source, a.published, a.url, a.published_day]


def url_variants(url: str) -> list[str]:
    """The spellings of one article url people paste: http or https, with or without a trailing slash."""
    url = (url or "").strip().split("#", 1)[0]
    if not url.startswith(("http://", "https://")):
        return []
    rest = url.split("://", 1)[1]
    forms = [rest] if "?" in rest else [rest.rstrip("/"), rest.rstrip("/") + "/"]
    return list(dict.fromkeys([url] + [scheme + f for f in forms for scheme in ("https://", "http://")]))


def _nearest(vector: np.ndarray, vectors: dict[str, list[float]], k: int) -> list[tuple[str, float]]:
    """Exact top-k by cosine (stored vectors are normalised)."""
    if not vectors:
        return []
    ids = list(vectors)
    scores = np.asarray([vectors[i] for i in ids], dtype=np.float32) @ vector
    order = np.argsort(-scores)[:k]
    return [(ids[i], float(scores[i])) for i in order]


def chunk_metadata(art: Article, chunk: Chunk) -> dict:
    """Filterable metadata stored with each vector."""
    meta = {"article_id": art.article_id, "n": chunk.n, "source": art.source.lower(), "title": art.title}
    day = day_number(art.published)
    if day:
        meta["published_day"] = day
    return meta


def chroma_where(filters: Filters | None) -> dict | None:
    """The same filters in Chroma's where syntax."""
    if not filters:
        return None
    parts = []
    names = [n.lower() for n in filters.source_names()]
    if len(names) == 1:
        parts.append({"source": names[0]})
    elif names:
        parts.append({"source": {"$in": names}})
    if filters.article_ids:
        ids = list(filters.article_ids)
        parts.append({"article_id": ids[0]} if len(ids) == 1 else {"article_id": {"$in": ids}})
    if filters.since:
        parts.append({"published_day": {"$gte": filters.since}})
    if filters.until:
        parts.append({"published_day": {"$lte": filters.until}})
    return parts[0] if len(parts) == 1 else {"$and": parts}


def open_index(settings: CoreSettings, embedder=None, engine=None, fast_reads: bool = False) -> NewsIndex:
    """Open (creating if needed) the index named by the settings (its embedder, when none is given, on first use;
    fast_reads for a command that reads: see NewsIndex._bindings_reader)."""
    return NewsIndex(settings, embedder, engine=engine, fast_reads=fast_reads)


def close_opened(since: int = 0) -> None:
    """Close the indexes opened after the first `since` (those a command opened), newest first."""
    for index in reversed(OPENED[since:]):
        index.close()
