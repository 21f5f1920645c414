"""The lexical (BM25) index in SQLite: FTS5 on disk, so it scales without loading chunks into memory."""

from __future__ import annotations

from sqlalchemy import Connection, column, func, literal_column, select, table, text

from index.lexical.base import LexicalBase
from index.query import Filters
from index.schema import articles, chunks
from index.text import query_terms

# The FTS5 table (made by migration 0001 with SQL text: SQLAlchemy has no construct for virtual tables).
FTS = table("chunks_fts", column("rowid"))
FTS_TABLE = literal_column("chunks_fts")  # FTS5's MATCH and bm25() take the table itself


class SqliteLexical(LexicalBase):
    """BM25 over an FTS5 table whose rowids are the chunks table's rowids."""

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
        with self.engine.connect() as conn:
            rows = self.ranked_search(conn, terms, lambda ts, every: conn.execute(
                _ranked((" AND " if every else " OR ").join(map(_quoted, ts)), k, filters)).all())
        return [(r[0], float(r[1])) for r in rows]


def _ranked(match: str, k: int, filters: Filters | None):
    """The BM25 ranking query: title weighs 0.3, body 1.0; the match string is a bound value."""
    c = chunks.c
    bm25 = func.bm25(FTS_TABLE, 0.3, 1.0)
    query = select(c.chunk_id, (-bm25).label("score")).select_from(FTS).join(chunks, c.rowid == FTS.c.rowid)
    if clauses := (filters or Filters()).clauses():
        query = query.join(articles, articles.c.article_id == c.article_id).where(*clauses)
    return query.where(FTS_TABLE.op("MATCH")(match)).order_by(bm25).limit(k)


def _quoted(term: str) -> str:
    """A word as an FTS5 string: matched literally, never as query syntax."""
    return '"' + term.replace('"', '""') + '"'
