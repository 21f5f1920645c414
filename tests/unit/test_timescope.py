"""The window as filters: merged with given filters, widened with a note, 'the latest' newest first."""

from __future__ import annotations

from datetime import date

from fakes.reader import FakeReader, row, word_vector

from bot.answering.models import Answer, Citation, Passage
from bot.answering.plan import plan, unanswered
from bot.answering.retriever import HybridRetriever
from bot.answering.search import Searcher
from bot.answering.stages import Question
from bot.answering.time.timescope import dated_answer, freshest_first, merge
from bot.answering.time.timewords import Window
from index.dates import day_number
from index.query import Filters
from index.rows import ChunkRow

THURSDAY = date(2025, 6, 5)


def _day(r: ChunkRow) -> int:
    return day_number(r.published_day)


class DatedReader(FakeReader):
    """FakeReader whose searches and counts keep to the filters' dates, recording the filters used."""

    def __init__(self, rows):
        super().__init__(rows, dense=[r.chunk_id for r in rows], lexical=[r.chunk_id for r in rows])
        self.searched_with: list[Filters | None] = []

    def _inside(self, filters):
        f = filters or Filters()
        return [cid for cid, r in self.rows.items()
                if (not f.since or _day(r) >= f.since) and (not f.until or _day(r) <= f.until)]

    def dense_search(self, vector, k, filters=None):
        self.searched_with.append(filters)
        hits = [(cid, float(vector @ word_vector(self.rows[cid].text))) for cid in self._inside(filters)]
        return sorted(hits, key=lambda h: -h[1])[:k]

    def lexical_search(self, question, k, filters=None):
        return [(cid, 1.0) for cid in self._inside(filters)][:k]

    def article_count(self, filters=None):
        return len({self.rows[cid].article_id for cid in self._inside(filters)})


def reader() -> DatedReader:
    return DatedReader([
        row("old", "a1", "The harbour board met to discuss the budget for the year.", published="2025-03-03"),
        row("strike", "a2", "Dockworkers at the harbour went on strike over pay.", published="2025-06-02"),
        row("comet", "a3", "A comet was seen over the hills by astronomers.", published="2025-06-04"),
        row("deal", "a4", "The harbour strike ended with a pay deal for dockworkers.", published="2025-05-20"),
    ])


def retrieve(r, question: str, filters: Filters | None = None, widen_margin: float = 0.2, time_words: bool = True,
             widen: bool = False):
    """The plan and search stages of one question asked on THURSDAY: (searched, pool, window)."""
    p = plan(Question(question, THURSDAY, filters=filters), question, r, time_words)
    pool = Searcher(r, HybridRetriever(index=r, top_k=4), 4, widen_margin)(unanswered(p) if widen else p)
    return pool.searched, pool, pool.plan.window


def test_the_window_becomes_the_filters_and_is_told():
    r = reader()
    searched, retrieval, window = retrieve(r, "Why did the harbour dockworkers strike this week?")
    assert r.searched_with[0] == Filters(since=20250530, until=20250605)
    assert (searched.since, searched.until, searched.articles, searched.note) == ("2025-05-30", "2025-06-05", 2,
                                                                                  "“this week”")
    assert {p.chunk_id for p in retrieval.passages} == {"strike", "comet"} and window.dated


def test_given_filters_narrow_the_window_and_a_disjoint_window_is_dropped_with_a_note():
    assert merge(Filters(source="AP", since=20250601), Window(date(2025, 5, 1), date(2025, 6, 30))) == \
        Filters(source="AP", since=20250601, until=20250630)
    assert merge(Filters(until=20250301), Window(date(2025, 6, 1), date(2025, 6, 5))) is None
    r = reader()
    searched, _, window = retrieve(r, "Why did the dockworkers strike this week?", Filters(until=20250401))
    assert r.searched_with[-1] == Filters(until=20250401) and not window.dated
    assert (searched.until, searched.note) == ("2025-04-01", "“this week” is outside the dates given")


def test_an_empty_window_widens_to_everything_up_to_the_day_asked():
    r = reader()
    r.rows["later"] = row("later", "a5", "The harbour board said more in July.", published="2025-07-01")
    searched, retrieval, _ = retrieve(r, "What did the harbour board say in 2019?")
    # up to the day asked, with a day's grace for time zones: not July's article (hindsight)
    assert r.searched_with == [Filters(until=20250606)] and len(retrieval.passages) == 4
    assert (searched.since, searched.until, searched.articles) == (None, "2025-06-06", 4)
    assert searched.note == "nothing was published from 1 January to 31 December 2019"


def test_a_window_with_nothing_near_the_question_widens():
    # March holds only the budget meeting; the strike is told in May and June
    r = reader()
    searched, retrieval, _ = retrieve(r, "dockworkers strike pay deal in March", widen_margin=0.1)
    assert (searched.until, searched.note) == ("2025-06-06", "nothing on this from 1 to 31 March 2025")
    assert {"deal", "strike"} <= {p.chunk_id for p in retrieval.passages}
    # a wide margin keeps to the window
    searched, retrieval, _ = retrieve(reader(), "dockworkers strike pay deal in March", widen_margin=2.0)
    assert searched.since == "2025-03-01" and [p.chunk_id for p in retrieval.passages] == ["old"]


def test_time_words_switched_off():
    r = reader()
    searched, _, window = retrieve(r, "Why did the dockworkers strike this week?", time_words=False)
    assert r.searched_with == [None] and searched.since is None and not window.dated


def _passage(cid: str, published: str, dense: float) -> Passage:
    return Passage(chunk_id=cid, article_id=cid, text=cid, start=0, end=len(cid), published=published,
                   published_day=date.fromisoformat(published) if published else None, dense_score=dense)


def test_freshest_first_keeps_off_topic_passages_last():
    ps = [_passage("best", "2025-05-01", 0.80), _passage("newest", "2025-06-01", 0.75),
          _passage("undated", "", 0.79), _passage("far", "2025-06-04", 0.40)]
    assert [p.chunk_id for p in freshest_first(ps, margin=0.08)] == ["newest", "best", "undated", "far"]


def _cite(n: int, published: str) -> Citation:
    return Citation(n=n, article_id=f"a{n}", title=f"T{n}", published=published, quote=f"quote {n}")


def test_the_latest_answer_is_dated_and_renumbered_newest_first():
    answer = Answer(question="q", answered=True, answer="Talks began. [1] A deal was agreed. [2] Ships sailed. [3]",
                    citations=[_cite(1, "2025-05-20"), _cite(2, "2025-06-03"), _cite(3, "2025-06-01")])
    out = dated_answer(answer, Window(latest=True))
    assert out.answer.splitlines() == ["3 June 2025: A deal was agreed. [1]", "1 June 2025: Ships sailed. [2]",
                                       "20 May 2025: Talks began. [3]"]
    assert [(c.n, c.published) for c in out.citations] == [(1, "2025-06-03"), (2, "2025-06-01"), (3, "2025-05-20")]
    assert dated_answer(answer, Window(since=THURSDAY)) is answer  # other answers are left as they are


def test_widening_asked_for_when_nothing_in_the_window_answered():
    searched, _, window = retrieve(reader(), "Why did the dockworkers strike this week?", widen=True)
    assert (searched.until, searched.note) == ("2025-06-06", "nothing from 30 May to 5 June 2025 answers it")
    assert not window.dated
