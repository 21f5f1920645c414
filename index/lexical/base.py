"""What both lexical backends share: the postings budget, word counts and phrase lookups."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, func, select, text

from index.schema import chunks


class LexicalBase:
    """What both lexical backends share; each supplies add, remove, search and `_phrase_known`."""

    def __init__(self, engine: Engine, max_postings: int = 5_000):
        self.engine = engine
        self.max_postings = max_postings

    def affordable_terms(self, conn: Connection, terms: list[str]) -> list[str]:
        """The terms, rarest first, while their matching chunks fit max_postings (the rarest always).

        Ranking scores every chunk that matches any term, so on a large archive common words
        ('state', 'first') would cost far more than they add: their weight (idf) is low anyway.
        """
        return _affordable(terms, self.counts(conn, terms), self.max_postings)

    def ranked_search(self, conn: Connection, terms: list[str], ranked: Callable[[list[str], bool], list]) -> list:
        """`ranked(terms, every)` of the question's terms, counted once: chunks holding any of the affordable terms;
        when even the rarest matches more chunks than max_postings (a question of common words on a large archive:
        ranking it scored every such chunk, 0.8-1.7 s a question at 1M on SQLite), chunks holding all the known
        terms, else the two rarest together; one common word alone is left to the dense search."""
        counts = self.counts(conn, terms)
        known = sorted((t for t in terms if counts[t]), key=counts.get)
        if known and counts[known[0]] > self.max_postings:
            for n in dict.fromkeys((len(known), 2)) if len(known) >= 2 else ():
                if rows := ranked(known[:n], True):
                    return rows
            return []
        kept = _affordable(terms, counts, self.max_postings)
        return ranked(kept, False) if kept else []

    def counts(self, conn: Connection, terms: list[str], cap: int | None = None) -> dict[str, int]:
        """How many chunks hold each term, counted up to cap (default max_postings + 1: 'too many')."""
        return {t: self._matches(conn, t, cap or self.max_postings + 1) for t in terms}

    def _matches(self, conn: Connection, term: str, cap: int) -> int:
        """How many chunks hold the term, counted up to cap."""
        raise NotImplementedError

    def count(self, conn: Connection) -> int:
        """Number of indexed chunks, counted in the lexical index itself (for `status`)."""
        return conn.execute(text("SELECT count(*) FROM chunks_fts")).scalar_one()

    def total(self, conn: Connection) -> int:
        """Number of chunks for a question's idf: the record's count (count(*) on FTS5 reads every row: 733 ms
        a question at 1M chunks, against 16 ms; both change in the same transaction)."""
        return conn.execute(select(func.count()).select_from(chunks)).scalar_one()

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


def _affordable(terms: list[str], counts: dict[str, int], max_postings: int) -> list[str]:
    """The terms (in their order) whose matches, rarest first, fit max_postings; the rarest known one always."""
    kept, total = set(), 0
    for term in sorted((t for t in terms if counts[t]), key=counts.get):
        if kept and total + counts[term] > max_postings:
            break
        kept.add(term)
        total += counts[term]
    return [t for t in terms if t in kept]
