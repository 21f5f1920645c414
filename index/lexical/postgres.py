"""The lexical index in PostgreSQL: a weighted tsvector per chunk under a GIN index, ranked by ts_rank_cd.

Same interface as SqliteLexical. Questions never become SQL text: each content word is a bound
parameter turned into a tsquery by PostgreSQL itself (plainto_tsquery), and the words are OR-ed.
How many chunks hold a word is read from lexeme_df, a count per lexeme kept in step with the index.
Text and words are folded to plain letters before PostgreSQL sees them (`text.fold`: 'Beyonce' finds
'Beyoncé', as SQLite's remove_diacritics does), with no extension to install (migration 0004 folded the old rows).
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
)

from index.lexical.base import LexicalBase
from index.query import Filters
from index.schema import articles, chunks, chunks_fts
from index.text import fold, query_terms

# The text search configuration (stemming and stop words); the SQL text below spells out the same 'english'.
CONFIG = literal_column("'english'::regconfig")
# ts_rank_cd weights for {D, C, B, A}: body (B) counts fully and the title (A) less, as bm25(0.3, 1.0) in SQLite
WEIGHTS = literal_column("'{0.0, 0.0, 1.0, 0.3}'::float4[]")
NORMALIZATION = 1  # divide by 1 + log(length): long chunks do not win on length alone, as in BM25
_ADD = ("INSERT INTO chunks_fts (rowid, tsv) VALUES (:rowid, "
        "setweight(to_tsvector('english', :title), 'A') || setweight(to_tsvector('english', :body), 'B'))")
_COUNT_ADDED = ("INSERT INTO lexeme_df (lexeme, df) SELECT u.lexeme, count(*) "
                "FROM chunks_fts f, unnest(f.tsv) AS u(lexeme, positions, weights) "
                "WHERE f.rowid = ANY(:r) GROUP BY u.lexeme "
                "ON CONFLICT (lexeme) DO UPDATE SET df = lexeme_df.df + EXCLUDED.df")
_UNCOUNT_REMOVED = ("WITH gone AS (SELECT u.lexeme, count(*) AS n "
                    "FROM chunks_fts f, unnest(f.tsv) AS u(lexeme, positions, weights) "
                    "WHERE f.rowid = ANY(:r) GROUP BY u.lexeme) "
                    "UPDATE lexeme_df d SET df = d.df - gone.n FROM gone WHERE d.lexeme = gone.lexeme "
                    "RETURNING d.lexeme, d.df")
# the number of chunks indexed, kept in meta beside lexeme_df by add/remove (migration 0003 counted it once)
_TOTAL = "SELECT value FROM meta WHERE name = 'lexical_chunks'"
_MOVE_TOTAL = "UPDATE meta SET value = (CAST(value AS bigint) + :n)::text WHERE name = 'lexical_chunks'"
# each word's lexemes as plainto_tsquery makes them (a stop word has none) and the rarest one's count
_WORD_DF = (
    "SELECT t.word, count(l.lexeme), coalesce(min(coalesce(d.df, 0)), 0) "
    "FROM unnest(CAST(:words AS text[])) AS t(word) "
    "LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector('english', t.word))) AS l(lexeme) ON true "
    "LEFT JOIN lexeme_df d ON d.lexeme = l.lexeme GROUP BY t.word"
)


def _bound_words(words: list[str]) -> list[ColumnElement]:
    """One plainto_tsquery per word, each word a bound parameter (never SQL text)."""
    return [func.plainto_tsquery(CONFIG, bindparam(None, fold(word))) for word in words]


def _joined(parts: list[ColumnElement], operator: str) -> ColumnElement:
    """tsqueries combined with || (any) or && (all)."""
    out = parts[0]
    for part in parts[1:]:
        out = out.op(operator)(part)
    return out.self_group()


def _any_word(terms: list[str]) -> ColumnElement:
    """A tsquery expression matching any of the words."""
    return _joined(_bound_words(terms), "||")


def _all_words(words: list[str]) -> ColumnElement:
    """A tsquery matching chunks that hold every one of the words, anywhere."""
    return _joined(_bound_words(words), "&&")


def _near(words: list[str]) -> ColumnElement:
    """A tsquery for FTS5's NEAR(words, 3 + 2n): every word, consecutive ones within that many words.

    tsquery_phrase(a, b, d) means b exactly d positions after a, so each pair of neighbours becomes
    an OR over both orders and every distance up to the window.
    """
    window = 3 + 2 * len(words)
    word = _bound_words(words)
    if len(words) == 1:
        return word[0]
    pairs = [_joined([func.tsquery_phrase(x, y, d) for d in range(1, window + 2) for x, y in ((a, b), (b, a))], "||")
             for a, b in zip(word, word[1:])]
    return _joined(pairs, "&&")


def _ranked_query(terms: list[str], k: int, filters: Filters | None, all_of: bool = False) -> Select:
    """Chunks matching any term (every term when all_of), by ts_rank_cd, within the filters."""
    query = select((_all_words(terms) if all_of else _any_word(terms)).label("q")).subquery("query")
    f, c = chunks_fts.c, chunks.c
    score = func.ts_rank_cd(WEIGHTS, f.tsv, query.c.q, NORMALIZATION).label("score")
    stmt = (select(c.chunk_id, score).select_from(query).join(chunks_fts, f.tsv.op("@@")(query.c.q))
            .join(chunks, c.rowid == f.rowid))
    if clauses := (filters or Filters()).clauses():
        stmt = stmt.join(articles, articles.c.article_id == c.article_id).where(*clauses)
    return stmt.where(func.numnode(query.c.q) > 0).order_by(score.desc(), c.rowid).limit(k)


def folded(rows: list[dict]) -> list[dict]:
    """Chunk rows (rowid, title, body) with their title and body folded, as the index holds them."""
    return [{**row, "title": fold(row["title"] or ""), "body": fold(row["body"])} for row in rows]


class PostgresLexical(LexicalBase):
    """Full-text search over chunks_fts(rowid, tsv), whose rowids are the chunks table's rowids."""

    def add(self, conn: Connection, rows: list[dict]) -> None:
        """Index chunks: each row has rowid, title (weight A) and body (weight B)."""
        if rows:
            conn.execute(text(_ADD), folded(rows))
            conn.execute(text(_COUNT_ADDED), {"r": [row["rowid"] for row in rows]})
            conn.execute(text(_MOVE_TOTAL), {"n": len(rows)})

    def remove(self, conn: Connection, rowids: list[int]) -> None:
        """Drop chunks from the index."""
        if rowids:
            emptied = conn.execute(text(_UNCOUNT_REMOVED), {"r": list(rowids)}).all()
            if gone := [lexeme for lexeme, df in emptied if df <= 0]:  # no chunk holds them any more
                conn.execute(text("DELETE FROM lexeme_df WHERE lexeme = ANY(:g)"), {"g": gone})
            deleted = conn.execute(text("DELETE FROM chunks_fts WHERE rowid = ANY(:r)"), {"r": list(rowids)}).rowcount
            conn.execute(text(_MOVE_TOTAL), {"n": -deleted})

    def total(self, conn: Connection) -> int:
        """Number of chunks indexed, from meta: count(*) reads every row (~0.3 s a question at 660k chunks)."""
        value = conn.execute(text(_TOTAL)).scalar()
        return int(value) if value is not None else super().total(conn)

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
        got = {row[0]: (row[1], row[2]) for row in conn.execute(text(_WORD_DF), {"words": [fold(w) for w in words]})}
        return {w: got.get(fold(w), (0, 0)) for w in words}

    def _phrase_known(self, conn: Connection, words: list[str], near: bool) -> bool:
        """Whether some chunk matches the tsquery equivalent of FTS5's NEAR, or all the words when not near."""
        query = select((_near(words) if near else _all_words(words)).label("q")).subquery("query")
        # a phrase of stop words only ('US' in English) cannot be looked up: count it as known
        hit = exists().where(chunks_fts.c.tsv.op("@@")(query.c.q))
        return bool(conn.execute(select(or_(func.numnode(query.c.q) == 0, hit)).select_from(query)).scalar())

    def search(self, question: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Top-k (chunk_id, ts_rank_cd score; higher is better) for the question's content words."""
        if not (terms := query_terms(question)):
            return []
        with self.engine.connect() as conn:
            return self.ranked_search(conn, terms, lambda ts, every: self._ranked(conn, ts, k, filters, every))

    def _ranked(self, conn: Connection, terms: list[str], k: int, filters: Filters | None,
                all_of: bool = False) -> list[tuple[str, float]]:
        """The ranking query for the chosen terms (chunks holding any of them, or all when all_of)."""
        return [(r[0], float(r[1])) for r in conn.execute(_ranked_query(terms, k, filters, all_of)).all()]
