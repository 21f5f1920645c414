"""A shared index: several processes read while one writes, on both backends; the lexical index behaves alike."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time

import pytest
from fakes.slack import BOT_USER, FakeSlack, post, sign
from helpers import write_json
from sqlalchemy import inspect

from index import db
from index.lock import WriterBusy, writer_lock

NEWSBOT = os.path.join(os.path.dirname(sys.executable), "newsbot")
SECRET = "shared-signing-secret"
TOKEN = "xoxb-3333-4444-sharedtoken"
LIGHTHOUSE = {"title": "Lighthouse keeper retires", "url": "https://news.example/lighthouse",
              "source": "Coast Gazette", "published": "2024-02-09",
              "text": "The last lighthouse keeper of Skerrowan Point retired on Friday after 41 years. "
                      "Her lamp will now be run automatically from the mainland, the harbour board said."}
QUESTION = "Who retired from the Skerrowan Point lighthouse?"


class SlackBot:
    """A `newsbot slack` process in HTTP mode on a free port, talking to the shared fake Web API."""

    def __init__(self, api_url: str):
        env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url}
        self.proc = subprocess.Popen([NEWSBOT, "slack", "--host", "127.0.0.1", "--port", "0"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.url = self._listening_url()
        self.n = 0

    def _pump(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line)

    def _listening_url(self, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line.startswith("newsbot: listening on "):
                return line.split()[-1]

    def mention(self, text: str, channel: str) -> None:
        """Send a signed app_mention event into this process."""
        self.n += 1
        body = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1",
                           "event_id": f"Ev{self.proc.pid}-{self.n}", "event_time": int(time.time()),
                           "event": {"type": "app_mention", "user": "U1", "channel": channel,
                                     "text": f"<@{BOT_USER}> {text}", "ts": f"{time.time():.6f}"},
                           "authorizations": [{"user_id": BOT_USER, "is_bot": True, "team_id": "T1"}]})
        assert post(self.url, body, sign(SECRET, body), "application/json")[0] == 200

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def _answer_in(fake: FakeSlack, channel: str, seen: int, timeout: float = 120) -> str:
    """Text of the next finished answer (it ends with feedback buttons) posted in channel, however it was delivered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = fake.answers(channel)
        if len(done) > seen:
            return json.dumps(done[seen]["blocks"])
        time.sleep(0.05)
    raise AssertionError(f"no answer in {channel}")


def test_two_bots_see_what_a_third_process_indexes(indexed, tmp_path):
    fake = FakeSlack().start()
    bots = [SlackBot(fake.url + "/api/"), SlackBot(fake.url + "/api/")]  # started before the update
    try:
        for i, bot in enumerate(bots):
            bot.mention(QUESTION, f"C{i}")
            assert "do not cover" in _answer_in(fake, f"C{i}", 0)
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        write_json(inbox / "lighthouse.json", **LIGHTHOUSE)
        done = subprocess.run([NEWSBOT, "index", "-q", str(inbox)], capture_output=True, text=True)
        assert done.returncode == 0 and "added 1" in done.stdout, done.stderr
        for i, bot in enumerate(bots):
            bot.mention(QUESTION, f"C{i}")
            answer = _answer_in(fake, f"C{i}", 1)
            assert "do not cover" not in answer and "Skerrowan" in answer and "Lighthouse keeper retires" in answer
    finally:
        for bot in bots:
            bot.close()
        fake.stop()


def test_first_start_of_several_processes_creates_the_schema_once(settings):
    code = ("from index import db, migrate; from bot.settings import Settings; "
            "migrate.ensure(db.make_engine(Settings().sqlalchemy_url))")
    settings.index.data_dir.mkdir(parents=True, exist_ok=True)
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate()[1] for p in procs if p.wait()]
    assert errors == []
    engine = db.make_engine(settings.sqlalchemy_url)
    with engine.connect() as conn:
        assert {"articles", "chunks", "chunks_fts", "journal"} <= set(inspect(conn).get_table_names())


@pytest.mark.parametrize("backend", ["servers"], indirect=True)
def test_indexers_on_two_machines_take_turns(settings, make_index, tmp_path):
    """Two data dirs (two machines) sharing one PostgreSQL: the advisory lock, not the file lock, excludes."""
    engine = make_index().engine
    with writer_lock(tmp_path / "machine-a", engine=engine):
        with pytest.raises(WriterBusy, match=rf"another newsbot indexer \(pid {os.getpid()} on .+\) is writing"):
            with writer_lock(tmp_path / "machine-b", engine=engine):
                pass
    with writer_lock(tmp_path / "machine-b", engine=engine):  # released with the first holder
        pass


def test_lexical_search_ranks_filters_and_stays_safe(indexed):
    index, _ = indexed
    hits = index.lexical_search("Starmer backstop peacekeepers", 5)
    assert hits and all(score > 0 for _, score in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert "backstop" in index.passages([hits[0][0]])[hits[0][0]].text.lower()
    from index.query import Filters

    assert index.lexical_search("backstop", 5, Filters(source="reuters")) != []
    assert index.lexical_search("backstop", 5, Filters(source="AP")) == []
    hostile = "backstop'); DROP TABLE chunks; -- & | ! :* <-> \" \\ %s %(k)s"
    assert index.lexical_search(hostile, 5) and index.stats()["chunks"] > 0
    assert index.lexical_search("the of and", 5) == []


def test_unknown_phrases_mean_words_near_each_other(indexed):
    lexical = indexed[0].lexical
    phrases = [["keir", "starmer"], ["starmer", "keir"], ["skerrowan", "point"], ["putin", "gareth"],
               ["washington"]]
    # 'putin' and 'gareth' (the editor in the credit line) both occur, but never close together
    assert lexical.unknown_phrases(phrases) == [["skerrowan", "point"], ["putin", "gareth"]]


def test_word_pairs_count_anywhere_in_one_chunk(indexed, articles_dir):
    from bot.answering.ranking.relevance import word_coverage

    index, indexer = indexed
    (articles_dir / "dots.txt").write_text(
        "Dots on the map\n\nBy A Reporter\n\nLONDON (Reuters) - Red dots marked every polling station on the "
        "election map, officials said on Monday, and voters could find theirs online.\n")
    assert indexer.sync([articles_dir]).added == 1
    pairs = [["starmer", "peacekeepers"], ["peacekeepers", "starmer"], ["starmer", "dots"], ["voters", "dots"]]
    assert index.lexical.unknown_phrases(pairs, near=False) == [["starmer", "dots"]]
    # both words indexed, never in one chunk: the pair is unknown; a word never indexed proves nothing
    assert word_coverage(index, "What did Starmer say about the dots?")[1] == 1.0
    assert word_coverage(index, "What did Starmer say about zeppelins?")[1] == 0.0
    assert word_coverage(index, "What backstop did Starmer urge for peacekeepers?")[1] == 0.0


def test_common_words_give_way_to_rare_ones_within_the_postings_budget(indexed):
    lexical = indexed[0].lexical
    terms = ["starmer", "zeppelins", "backstop", "gareth"]
    with lexical.engine.connect() as conn:
        lexical.max_postings = 10_000
        assert lexical.affordable_terms(conn, terms) == ["starmer", "backstop", "gareth"]  # unmatched dropped
        lexical.max_postings = 1
        assert lexical.affordable_terms(conn, terms) == ["gareth"]  # the rarest (one credit line) always stays
    assert indexed[0].lexical_search("Gareth starmer", 5)  # still searches with what fits


def test_a_question_of_common_words_only_is_searched_as_a_conjunction(indexed):
    index = indexed[0]
    lexical = index.lexical
    try:
        _conjunction(index, lexical)
    finally:
        lexical.max_postings = 5_000


def _conjunction(index, lexical) -> None:
    with lexical.engine.connect() as conn:
        lexical.max_postings = 10_000
        asked = lexical.ranked_search(conn, ["starmer", "backstop"], lambda ts, every: [(ts, every)])
        assert asked == [(["starmer", "backstop"], False)]  # they fit: any of them, ranked
        everywhere = index.lexical_search("starmer", 50)
        lexical.max_postings = 0  # every word too common to rank alone, as on a large archive
        [(asked, every)] = lexical.ranked_search(conn, ["starmer", "zeppelins", "backstop"], lambda ts, e: [(ts, e)])
        assert sorted(asked) == ["backstop", "starmer"] and every  # all the known words together
    both = index.lexical_search("starmer backstop", 50)
    assert both and {c for c, _ in both} <= {c for c, _ in everywhere}
    texts = index.passages([c for c, _ in both])
    assert all("starmer" in r.text.lower() and "backstop" in r.text.lower() for r in texts.values())
    assert index.lexical_search("starmer", 5) == []  # one common word alone: left to the dense search


def test_plain_postgresql_url_uses_psycopg():
    engine = db.make_engine("postgresql://u:secret@db.example:5432/newsbot")
    assert engine.dialect.driver == "psycopg" and engine.url.database == "newsbot"


def test_word_counts_follow_adds_changes_and_deletions(indexed, articles_dir):
    index, indexer = indexed

    def counts(*words):
        with index.lexical.engine.connect() as conn:
            return index.lexical.counts(conn, list(words), cap=1000)

    before = counts("skerrowan", "lighthouse", "zeppelins", "starmer")
    assert before["starmer"] > 0 and before == {"skerrowan": 0, "lighthouse": 0, "zeppelins": 0,
                                                 "starmer": before["starmer"]}
    total = index.word_counts(["starmer"])[1]  # how many chunks there are, for the answer step's idf
    assert total == index.stats()["lexical_chunks"] > 0
    path = write_json(articles_dir / "lighthouse.json", **LIGHTHOUSE)
    assert indexer.sync([articles_dir]).added == 1
    assert counts("skerrowan", "lighthouse") == {"skerrowan": 1, "lighthouse": 1}
    assert index.word_counts(["lighthouse"]) == ({"lighthouse": 1}, index.stats()["lexical_chunks"])
    assert index.word_counts([])[1] > total
    write_json(path, **{**LIGHTHOUSE, "text": LIGHTHOUSE["text"].replace("Skerrowan", "Dunmore")})
    assert indexer.sync([articles_dir]).updated == 1
    assert counts("skerrowan", "dunmore", "lighthouse") == {"skerrowan": 0, "dunmore": 1, "lighthouse": 1}
    path.unlink()
    assert indexer.sync([articles_dir], prune=True).removed == 1
    assert counts("dunmore", "lighthouse", "starmer") == {"dunmore": 0, "lighthouse": 0,
                                                          "starmer": before["starmer"]}
    assert index.lexical.unknown_phrases([["lighthouse"], ["starmer"]]) == [["lighthouse"]]
    assert index.word_counts(["starmer"]) == ({"starmer": before["starmer"]}, total)


def test_postgresql_counts_words_of_an_index_made_before_the_counts(indexed, settings, make_index):
    index, _ = indexed
    if index.lexical.engine.dialect.name != "postgresql":
        pytest.skip("lexeme counts are a PostgreSQL table")
    words = ["starmer", "backstop", "peacekeepers", "zeppelins"]
    with index.lexical.engine.connect() as conn:
        before = index.lexical.counts(conn, words)
    with index.lexical.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE lexeme_df")
        conn.exec_driver_sql("DROP TABLE alembic_version")  # and back to before migrations (96efd7c)
        conn.exec_driver_sql("ALTER TABLE articles DROP COLUMN published_date")
    reopened = make_index(settings)  # an older newsbot's index (no counts, no migrations): counted from the tsvectors
    with reopened.lexical.engine.connect() as conn:
        assert reopened.lexical.counts(conn, words) == before and before["starmer"] > 0
    # and the number of chunks, for idf, counted once by the upgrade and kept by every write after it
    assert reopened.word_counts([])[1] == reopened.stats()["lexical_chunks"] == index.stats()["chunks"]


def test_words_no_chunk_holds_count_against_coverage(indexed):
    from bot.answering.ranking.relevance import word_coverage

    index = indexed[0]
    assert word_coverage(index, "What did Starmer say about zeppelins?")[0] == 0.5  # starmer, zeppelins
    assert word_coverage(index, "What backstop did Starmer urge? (zeppelins, quasars)")[0] == 0.0  # options aside
    assert word_coverage(index, "What did the?") == (0.0, 0.0)
