"""The lexical index in PostgreSQL: a weighted tsvector per chunk under a GIN index, ranked by ts_rank_cd.

Same interface as SqliteLexical. Questions never become SQL text: each content word is a bound
parameter turned into a tsquery by PostgreSQL itself (plainto_tsquery), and the words are OR-ed.
How many chunks hold a word is read from lexeme_df, a count per lexeme kept in step with the index.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Index, Integer, MetaData, Table, Text, inspect, text
from sqlalchemy.dialects.postgresql import TSVECTOR

from index.lexical.base import LexicalBase
from index.query import Filters
from index.text import query_terms

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
# How many chunks hold each lexeme, kept in step with chunks_fts in the same transactions: counting
# matches through the GIN index reads every matching row, which at 200k chunks cost more than ranking.
lexeme_df = Table(
    "lexeme_df",
    _schema,
    Column("lexeme", Text, primary_key=True),
    Column("df", Integer, nullable=False),
)
_LEXEMES = "unnest(f.tsv) AS u(lexeme, positions, weights)"
# each word's lexemes as plainto_tsquery makes them (a stop word has none) and the rarest one's count
_WORD_DF = (
    "SELECT t.word, count(l.lexeme), coalesce(min(coalesce(d.df, 0)), 0) "
    "FROM unnest(CAST(:words AS text[])) AS t(word) "
    f"LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector('{CONFIG}', t.word))) AS l(lexeme) ON true "
    "LEFT JOIN lexeme_df d ON d.lexeme = l.lexeme GROUP BY t.word"
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
        """Create the tsvector table, its GIN index and the lexeme counts when missing."""
        counted = inspect(conn).has_table("lexeme_df")
        _schema.create_all(conn)
        if not counted:  # an index made before the counts existed: count what it holds, once
            conn.execute(text(f"INSERT INTO lexeme_df (lexeme, df) SELECT u.lexeme, count(*) FROM chunks_fts f, "
                              f"{_LEXEMES} GROUP BY u.lexeme"))

    def add(self, conn: Connection, rows: list[dict]) -> None:
        """Index chunks: each row has rowid, title (weight A) and body (weight B)."""
        if rows:
            conn.execute(text(
                "INSERT INTO chunks_fts (rowid, tsv) VALUES (:rowid, "
                f"setweight(to_tsvector('{CONFIG}', :title), 'A') || setweight(to_tsvector('{CONFIG}', :body), 'B'))"
            ), rows)
            conn.execute(text(
                f"INSERT INTO lexeme_df (lexeme, df) SELECT u.lexeme, count(*) FROM chunks_fts f, {_LEXEMES} "
                "WHERE f.rowid = ANY(:r) GROUP BY u.lexeme "
                "ON CONFLICT (lexeme) DO UPDATE SET df = lexeme_df.df + EXCLUDED.df"
            ), {"r": [row["rowid"] for row in rows]})

    def remove(self, conn: Connection, rowids: list[int]) -> None:
        """Drop chunks from the index."""
        if rowids:
            emptied = conn.execute(text(
                f"WITH gone AS (SELECT u.lexeme, count(*) AS n FROM chunks_fts f, {_LEXEMES} "
                "WHERE f.rowid = ANY(:r) GROUP BY u.lexeme) "
                "UPDATE lexeme_df d SET df = d.df - gone.n FROM gone WHERE d.lexeme = gone.lexeme "
                "RETURNING d.lexeme, d.df"
            ), {"r": list(rowids)}).all()
            if gone := [lexeme for lexeme, df in emptied if df <= 0]:  # no chunk holds them any more
                conn.execute(text("DELETE FROM lexeme_df WHERE lexeme = ANY(:g)"), {"g": gone})
            conn.execute(text("DELETE FROM chunks_fts WHERE rowid = ANY(:r)"), {"r": list(rowids)})

    def counts(self, conn: Connection, terms: list[str], cap: int | None = None) -> dict[str, int]:
        """Exact chunk counts from lexeme_df, one query for all terms (a word's rarest lexeme bounds it)."""
        return {word: df for word, (_, df) in self._word_df(conn, terms).items()}

    def _indexed(self, conn: Connection, words: list[str]) -> dict[str, bool]:
        """Whether some chunk holds each word; a stop word cannot be looked up and counts as known."""
        return {word: lexemes == 0 or df > 0 for word, (lexemes, df) in self._word_df(conn, words).items()}

    def _word_df(self, conn: Connection, words: list[str]) -> dict[str, tuple[int, int]]:
        """(number of lexemes, count of the rarest) for each word."""
        if not words:
            return {}
        got = {row[0]: (row[1], row[2]) for row in conn.execute(text(_WORD_DF), {"words": list(words)})}
        return {w: got.get(w, (0, 0)) for w in words}

    def _phrase_known(self, conn: Connection, words: list[str], near: bool) -> bool:
        """Whether some chunk matches the tsquery equivalent of FTS5's NEAR, or all the words when not near."""
        params: dict = {}
        query = _near(words, params) if near else _all_words(words, params)
        # a phrase of stop words only ('US' in English) cannot be looked up: count it as known
        sql = (f"SELECT numnode(q) = 0 OR EXISTS (SELECT 1 FROM chunks_fts WHERE tsv @@ q) "
               f"FROM (SELECT {query} AS q) AS query")
        return bool(conn.execute(text(sql), params).scalar())

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
