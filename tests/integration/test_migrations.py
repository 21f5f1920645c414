"""A database made by main before migrations (96efd7c) upgrades on open with every row still readable; migrations end at the schema."""

from __future__ import annotations

import json
from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers import restore_legacy, write_json
from slack_sdk import WebClient
from sqlalchemy import func, select

from index import db, migrate, schema
from index.query import Filters

BRIDGE = "https://example.com/news/2025/06/05/bridge"
LEGACY_ROWS = {"articles": 3, "chunks": 3, "files": 3, "meta": 3, "web_sources": 1, "web_pages": 1,
               "web_source_items": 1, "slack_answers": 1, "feedback": 2, "feedback_reasons": 1,
               "slack_seen_events": 1, "slack_digests": 1}


def _differences(engine) -> list:
    """What alembic's autogenerate finds between the database and index.schema (nothing when they agree)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": migrate.include_object(engine.dialect.name)})
        return compare_metadata(context, schema.metadata)


def _counts(engine) -> dict[str, int]:
    """Rows in each table the legacy database filled."""
    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(schema.metadata.tables[name])).scalar_one()
                for name in LEGACY_ROWS}


def test_the_head_constant_is_alembics_newest_revision():
    assert migrate.HEAD == migrate.head()  # a new migration moves index/migrate.py HEAD too


def test_a_database_made_before_migrations_upgrades_on_open_with_nothing_lost(settings, make_index):
    restore_legacy(settings)
    with db.make_engine(settings.sqlalchemy_url).connect() as conn:
        assert migrate.current(conn) is None  # as the old code left it: tables, no revision
    assert migrate.recorded(db.make_engine(settings.sqlalchemy_url)) is None  # no table: Alembic's path decides
    index = make_index()  # opening upgrades
    with index.engine.connect() as conn:
        assert migrate.current(conn) == migrate.head() == migrate.HEAD == "0004"
    assert migrate.recorded(index.engine) == migrate.HEAD  # the next open reads it without Alembic
    counted = {"meta": LEGACY_ROWS["meta"] + 1} if index.engine.dialect.name == "postgresql" else {}  # 0003 counted it
    assert _counts(index.engine) == LEGACY_ROWS | counted and _differences(index.engine) == []
    _articles_read_back(index)
    _sources_read_back(index.engine)
    _slack_read_back(settings, index)


def _articles_read_back(index) -> None:
    """Articles, chunks, the lexical index, files and meta through the index's own reads; published_date filled."""
    newest = index.newest_articles(10)
    assert [a.title for a in newest] == ["Harbour bridge reopens after repairs", "Orchestra names new conductor",
                                            "Undated note on ferry timetables"]
    chunk_ids = [cid for a in index.records().values() for cid in json.loads(a["chunk_ids"])]
    passages = index.passages(chunk_ids)
    assert len(passages) == 3 and all(p.text for p in passages.values())
    assert index.word_counts(["conductor"]) == ({"conductor": 1}, 3)  # idf's chunk count, on PostgreSQL kept in meta
    hits = index.lexical_search("Which conductor did the orchestra name?", 5)
    assert passages[hits[0][0]].title == "Orchestra names new conductor"
    assert index.article_count(Filters(since=20250101)) == 1 and index.article_count(Filters(source="bbc")) == 1
    assert [c.source for c in index.chunks_in(Filters(sources=("Local Desk",)), 5)] == ["Local Desk"]
    assert index.article_by_url(BRIDGE.replace("https", "http")).source == "Reuters"
    assert len(index.file_cache()) == 3 and index.get_meta("embedding_model").startswith("all-MiniLM-L6-v2")
    a = schema.articles.c
    with index.engine.connect() as conn:
        days = dict(conn.execute(select(a.title, a.published_date)).all())
    assert days == {"Harbour bridge reopens after repairs": date(2025, 6, 5),
                    "Orchestra names new conductor": date(2024, 11, 20), "Undated note on ferry timetables": None}


def _sources_read_back(engine) -> None:
    """The followed source with its poll state and article count, and the fetched page's validators."""
    from index.sources.registry import Registry

    registry = Registry(engine)
    [source] = registry.sources()
    assert (source["url"], source["name"], source["kind"], source["title"], source["articles"]) == (
        "https://example.com/feed.xml", "Example feed", "feed", "Example News", 1)
    assert registry.pages([BRIDGE])[BRIDGE]["etag"] == '"abc"'
    assert registry.link(source["id"], [BRIDGE], 0.0) == set()  # still known as listed


def _slack_read_back(settings, index) -> None:
    """The answer, both votes and the reason, the claimed event and the claimed digest."""
    from bot.slack.dedupe import EventClaims
    from bot.slack.digests import DigestScheduler
    from bot.slack.store import ConversationStore

    store = ConversationStore(index.engine)
    [asked] = store.recent_questions("U0ASKER")
    assert asked["question"] == "When did the bridge reopen?" and asked["channel"] == "C0LEGACY"
    with index.engine.connect() as conn:
        answer_id = conn.execute(select(schema.slack_answers.c.answer_id)).scalar_one()
    assert store.load(answer_id).citations[0].source == "Reuters"
    votes = {v["user"]: (v["vote"], v["reason"], v["comment"]) for v in store.votes()}
    assert votes == {"U0ASKER": (1, None, ""), "U0OTHER": (-1, "outdated", "old news")}
    with index.engine.connect() as conn:  # the fixture's own time: a claim older than KEEP_SECONDS is swept
        seen_at = conn.execute(select(schema.slack_seen_events.c.seen_at)).scalar_one()
    claims = EventClaims(index.engine, clock=lambda: seen_at + 1)
    assert claims.claim("Ev0LEGACY") is False  # claimed before the upgrade, still claimed
    scheduler = DigestScheduler(settings, index, index.engine, WebClient(token="xoxb-unused"))
    assert scheduler._claimed("C0DIGEST", date(2025, 6, 5), "08:00")


def test_indexing_after_the_upgrade_fills_published_date(settings, make_index, tmp_path):
    from index.sync import Indexer

    restore_legacy(settings)
    index = make_index()
    folder = tmp_path / "more"
    folder.mkdir()
    write_json(folder / "tram.json", title="Tram line opens", source="Reuters", published="2025-07-01T08:00:00Z",
               text="The new tram line opened on Tuesday with free rides for the first week of service.")
    assert Indexer(index, settings).sync([folder]).added == 1
    a = schema.articles.c
    with index.engine.connect() as conn:
        assert conn.execute(select(a.published_date).where(a.title == "Tram line opens")).scalar_one() == date(2025, 7, 1)


def test_migrations_from_empty_end_at_the_schema(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    migrate.ensure(engine)
    assert _differences(engine) == []
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()


def test_names_typed_without_accents_find_the_article_on_either_backend_and_after_upgrading(settings, make_index,
                                                                                          tmp_path):
    from sqlalchemy import text

    from index.sync import Indexer

    index = make_index()
    folder = tmp_path / "accents"
    folder.mkdir()
    write_json(folder / "tour.json", title="Beyoncé announces a stadium tour", source="AP", published="2025-07-01",
               text="Beyoncé will play twelve stadiums in Europe next summer, her label said on Tuesday.")
    write_json(folder / "ferry.json", title="Ferry timetable changes", source="AP", published="2025-07-01",
               text="The ferry will sail twice an hour from Monday, the harbour authority said.")
    assert Indexer(index, settings).sync([folder]).added == 2
    passages = index.passages([cid for cid, _ in index.lexical_search("Beyonce stadium tour", 5)])
    assert [p.title for p in passages.values()][:1] == ["Beyoncé announces a stadium tour"]
    assert index.word_counts(["beyonce"])[0] == {"beyonce": 1}
    if index.engine.dialect.name != "postgresql":
        return  # SQLite's FTS5 folds accents itself (remove_diacritics)
    with index.engine.begin() as conn:  # as 0003 left it: the text indexed unfolded, counted so
        conn.execute(text("UPDATE chunks_fts f SET tsv = setweight(to_tsvector('english', a.title), 'A') || "
                          "setweight(to_tsvector('english', c.text), 'B') FROM chunks c JOIN articles a "
                          "ON a.article_id = c.article_id WHERE c.rowid = f.rowid"))
        conn.execute(text("DELETE FROM lexeme_df"))
        conn.execute(text("INSERT INTO lexeme_df SELECT u.lexeme, count(*) FROM chunks_fts f, unnest(f.tsv) AS "
                          "u(lexeme, positions, weights) GROUP BY u.lexeme"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    assert index.lexical_search("Beyonce", 5) == []  # the old rows: an unaccented name finds nothing
    migrate._current.discard(index.engine)
    migrate.ensure(index.engine)
    assert [passages[cid].title for cid, _ in index.lexical_search("Beyonce", 5)] == ["Beyoncé announces a stadium tour"]
    assert index.word_counts(["beyonce", "ferry"])[0] == {"beyonce": 1, "ferry": 1}
