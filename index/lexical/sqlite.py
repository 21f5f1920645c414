"""The lexical (BM25) index in SQLite: FTS5 on disk, so it scales without loading chunks into memory."""

from __future__ import annotations

from sqlalchemy import Connection, text

from index.lexical.base import LexicalBase
from index.query import Filters
from index.text import query_terms


class SqliteLexical(LexicalBase):
    """BM25 over an FTS5 table whose rowids are the chunks table's rowids."""

    def setup(self, conn: Connection) -> None:
        """Create the FTS5 table (Porter stemming, diacritics folded)."""
        conn.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5("
            "title, body, tokenize='porter unicode61 remove_diacritics 2')"
        ))

    def add(self, conn: Connection, rows: list[dict]) -> None:
        """Index chunks: each row has rowid, title and body."""
        if rows:
            conn.execute(
                text("INSERT INTO chunks_fts(rowid, title, body) VALUES (:rowid, :title, :body)"), rows
            )

    def remove(self, conn: Connection, rowids: list[int]) -> None:
        """Drop chunks from the index."""
        if rowids:
            conn.execute(text("DELETE FROM chunks_fts WHERE rowid = :r"), [{"r": r} for r in rowids])

    def _phrase_known(self, conn: Connection, words: list[str], near: bool) -> bool:
        """Whether some chunk matches FTS5's NEAR(words, 3 + 2n), or all the words when not near."""
        quoted = [_quoted(w) for w in words]
        if len(words) > 1 and near:
            match = f"NEAR({' '.join(quoted)}, {3 + 2 * len(words)})"
        else:
            match = " AND ".join(quoted)
        hit = conn.execute(text("SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH :m LIMIT 1"), {"m": match})
        return hit.first() is not None

    def _matches(self, conn: Connection, term: str, cap: int) -> int:
        """How many chunks hold the term, counted up to cap."""
        sql = "SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH :m LIMIT :cap)"
        return conn.execute(text(sql), {"m": _quoted(term), "cap": cap}).scalar_one()

    def search(self, question: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk_id, bm25 score; higher is better) for the question's content words."""
        if not (terms := query_terms(question)):
            return []
        where, params = (filters or Filters()).sql()
        sql = (
            "SELECT c.chunk_id, -bm25(chunks_fts, 0.3, 1.0) AS score FROM chunks_fts "
            "JOIN chunks c ON c.rowid = chunks_fts.rowid "
            + ("JOIN articles a ON a.article_id = c.article_id " if where else "")
            + f"WHERE chunks_fts MATCH :match{where} ORDER BY bm25(chunks_fts, 0.3, 1.0) LIMIT :k"
        )
        with self.engine.connect() as conn:
            if not (terms := self.affordable_terms(conn, terms)):
                return []
            match = " OR ".join(_quoted(t) for t in terms)
            rows = conn.execute(text(sql), {"match": match, "k": k, **params}).all()
        return [(r[0], float(r[1])) for r in rows]


def _quoted(term: str) -> str:
    """A word as an FTS5 string: matched literally, never as query syntax."""
    return '"' + term.replace('"', '""') + '"'
