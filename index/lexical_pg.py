"""The lexical index in PostgreSQL: a weighted tsvector per chunk under a GIN index, ranked by ts_rank_cd.

Same interface as SqliteLexical. Questions never become SQL text: each content word is a bound
parameter turned into a tsquery by PostgreSQL itself (plainto_tsquery), and the words are OR-ed.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Index, Integer, MetaData, Table, text
from sqlalchemy.dialects.postgresql import TSVECTOR

from index.lexical import Filters, LexicalBase, query_terms

CONFIG = "english"  # stemming and stop words of the text search configuration
# ts_rank_cd weights for {D, C, B, A}: body (B) counts fully and the title (A) less, as bm25(0.3, 1.0) in SQLite
WEIGHTS = "{0.0, 0.0, 1.0, 0.3}"
NORMALIZATION = 1  # divide by 1 + log(length): long chunks do not win on length alone, as in BM25

# Its own metadata: only PostgreSQL has this table (SQLite's chunks_fts is an FTS5 virtual table).
_schema = MetaData()
chunks_fts = Table(
    "chunks_fts",
    _schema,
    Column("rowid", Integer, primary_key=True, autoincrement=False),  # = chunks.rowid
    Column("tsv", TSVECTOR, nullable=False),
    Index("chunks_fts_tsv", "tsv", postgresql_using="gin"),
)


def _bound_words(words: list[str], params: dict, prefix: str) -> list[str]:
    """One plainto_tsquery per word, each word a bound parameter (never SQL text)."""
    for i, word in enumerate(words):
        params[f"{prefix}{i}"] = word
    return [f"plainto_tsquery('{CONFIG}', :{prefix}{i})" for i in range(len(words))]


def _any_word(terms: list[str], params: dict, prefix: str = "t") -> str:
    """A tsquery expression matching any of the words."""
    return "(" + " || ".join(_bound_words(terms, params, prefix)) + ")"


def _all_words(words: list[str], params: dict) -> str:
    """A tsquery matching chunks that hold every one of the words, anywhere."""
    return "(" + " && ".join(_bound_words(words, params, "w")) + ")"


def _near(words: list[str], params: dict) -> str:
    """A tsquery for FTS5's NEAR(words, 3 + 2n): every word, consecutive ones within that many words.

    tsquery_phrase(a, b, d) means b exactly d positions after a, so each pair of neighbours becomes
    an OR over both orders and every distance up to the window.
    """
    window = 3 + 2 * len(words)
    word = _bound_words(words, params, "w")
    if len(words) == 1:
        return word[0]
    pairs = []
    for a, b in zip(word, word[1:]):
        options = [f"tsquery_phrase({x}, {y}, {d})" for d in range(1, window + 2) for x, y in ((a, b), (b, a))]
        pairs.append("(" + " || ".join(options) + ")")
    return "(" + " && ".join(pairs) + ")"


class PostgresLexical(LexicalBase):
    """Full-text search over chunks_fts(rowid, tsv), whose rowids are the chunks table's rowids."""

    def setup(self, conn: Connection) -> None:
        """Create the tsvector table and its GIN index when missing (checked first: no lock taken)."""
        _schema.create_all(conn)

    def add(self, conn: Connection, rows: list[dict]) -> None:
        """Index chunks: each row has rowid, title (weight A) and body (weight B)."""
        if rows:
            conn.execute(text(
                "INSERT INTO chunks_fts (rowid, tsv) VALUES (:rowid, "
                f"setweight(to_tsvector('{CONFIG}', :title), 'A') || setweight(to_tsvector('{CONFIG}', :body), 'B'))"
            ), rows)

    def remove(self, conn: Connection, rowids: list[int]) -> None:
        """Drop chunks from the index."""
        if rowids:
            conn.execute(text("DELETE FROM chunks_fts WHERE rowid = ANY(:r)"), {"r": list(rowids)})

    def _phrase_known(self, conn: Connection, words: list[str], near: bool) -> bool:
        """Whether some chunk matches the tsquery equivalent of FTS5's NEAR, or all the words when not near."""
        params: dict = {}
        query = _near(words, params) if near else _all_words(words, params)
        # a phrase of stop words only ('US' in English) cannot be looked up: count it as known
        sql = (f"SELECT numnode(q) = 0 OR EXISTS (SELECT 1 FROM chunks_fts WHERE tsv @@ q) "
               f"FROM (SELECT {query} AS q) AS query")
        return bool(conn.execute(text(sql), params).scalar())

    def _matches(self, conn: Connection, term: str, cap: int) -> int:
        """How many chunks hold the term, counted up to cap."""
        sql = (f"SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE tsv @@ plainto_tsquery('{CONFIG}', :t) "
               "LIMIT :cap) AS hits")
        return conn.execute(text(sql), {"t": term, "cap": cap}).scalar_one()

    def search(self, question: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk_id, ts_rank_cd score; higher is better) for the question's content words."""
        if not (terms := query_terms(question)):
            return []
        with self.engine.connect() as conn:
            terms = self.affordable_terms(conn, terms)
            return self._ranked(conn, terms, k, filters) if terms else []

    def _ranked(self, conn: Connection, terms: list[str], k: int, filters: Filters | None) -> list[tuple[str, float]]:
        """The ranking query for the chosen terms."""
        params: dict = {"k": k}
        where, filter_params = (filters or Filters()).sql()
        sql = (
            f"SELECT c.chunk_id, ts_rank_cd('{WEIGHTS}', f.tsv, query.q, {NORMALIZATION}) AS score "
            f"FROM (SELECT {_any_word(terms, params)} AS q) AS query "
            "JOIN chunks_fts f ON f.tsv @@ query.q JOIN chunks c ON c.rowid = f.rowid "
            + ("JOIN articles a ON a.article_id = c.article_id " if where else "")
            + f"WHERE numnode(query.q) > 0{where} ORDER BY score DESC, c.rowid LIMIT :k"
        )
        rows = conn.execute(text(sql), {**params, **filter_params}).all()
        return [(r[0], float(r[1])) for r in rows]
