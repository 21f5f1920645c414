"""The lexical (BM25) index: SQLite FTS5 on disk, so it scales without loading chunks into memory."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you
    your yours also said says say tell told according following week this year new one two get got
    mean means meant did does article articles happen happened""".split()
)
TOKEN = re.compile(r"[\w][\w'’.-]*\w|\w", re.UNICODE)


def query_terms(question: str) -> list[str]:
    """The content words of a question, lower-cased and de-duplicated, in order."""
    seen: dict[str, None] = {}
    for raw in TOKEN.findall(question.lower()):
        word = raw.replace("’", "'").strip("'.-")
        word = word[:-2] if word.endswith("'s") else word
        if word and word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


@dataclass
class Filters:
    """Restrict retrieval to a source and/or a published-date range (YYYYMMDD, inclusive)."""

    source: str | None = None
    since: int | None = None
    until: int | None = None

    def sql(self) -> tuple[str, dict]:
        """A WHERE fragment over `articles a` and its parameters."""
        parts, params = [], {}
        if self.source:
            parts.append("lower(a.source) = lower(:f_source)")
            params["f_source"] = self.source
        if self.since:
            parts.append("a.published_day >= :f_since")
            params["f_since"] = self.since
        if self.until:
            parts.append("a.published_day <= :f_until")
            params["f_until"] = self.until
        return (" AND " + " AND ".join(parts) if parts else ""), params

    def __bool__(self) -> bool:
        return bool(self.source or self.since or self.until)


class LexicalBase:
    """What both lexical backends share; each supplies setup, add, remove, search and `_phrase_known`."""

    def __init__(self, engine: Engine, max_postings: int = 5_000):
        self.engine = engine
        self.max_postings = max_postings

    def affordable_terms(self, conn: Connection, terms: list[str]) -> list[str]:
        """The terms, rarest first, while their matching chunks fit max_postings (the rarest always).

        Ranking scores every chunk that matches any term, so on a large archive common words
        ('state', 'first') would cost far more than they add: their weight (idf) is low anyway.
        """
        counts = self.counts(conn, terms)
        kept, total = set(), 0
        for term in sorted((t for t in terms if counts[t]), key=counts.get):
            if kept and total + counts[term] > self.max_postings:
                break
            kept.add(term)
            total += counts[term]
        return [t for t in terms if t in kept]

    def counts(self, conn: Connection, terms: list[str], cap: int | None = None) -> dict[str, int]:
        """How many chunks hold each term, counted up to cap (default max_postings + 1: 'too many')."""
        return {t: self._matches(conn, t, cap or self.max_postings + 1) for t in terms}

    def _matches(self, conn: Connection, term: str, cap: int) -> int:
        """How many chunks hold the term, counted up to cap."""
        raise NotImplementedError

    def count(self, conn: Connection) -> int:
        """Number of indexed chunks."""
        return conn.execute(text("SELECT count(*) FROM chunks_fts")).scalar_one()

    def unknown_phrases(self, phrases: list[list[str]], near: bool = True) -> list[list[str]]:
        """The phrases whose words never occur together in any chunk: close together, or anywhere in it."""
        with self.engine.connect() as conn:
            singles = self._indexed(conn, list({w[0] for w in phrases if len(w) == 1}))
            return [words for words in phrases
                    if not (singles[words[0]] if len(words) == 1 else self._phrase_known(conn, words, near))]

    def _indexed(self, conn: Connection, words: list[str]) -> dict[str, bool]:
        """Whether some chunk holds each word."""
        return {w: n > 0 for w, n in self.counts(conn, words, cap=1).items()}

    def _phrase_known(self, conn: Connection, words: list[str], near: bool) -> bool:
        """Whether some chunk holds all the words (within 3 + 2n words of each other when near)."""
        raise NotImplementedError


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


def make_lexical(engine: Engine, max_postings: int = 5_000):
    """The lexical index for the engine's database: FTS5 in SQLite, tsvector in PostgreSQL."""
    if engine.dialect.name == "sqlite":
        return SqliteLexical(engine, max_postings)
    if engine.dialect.name == "postgresql":
        from index.lexical_pg import PostgresLexical  # imports the PostgreSQL dialect types

        return PostgresLexical(engine, max_postings)
    raise ValueError(f"no lexical index for database '{engine.dialect.name}' (NEWSBOT_DATABASE_URL)")
