"""Shared fixtures: an isolated data dir per test, the real embedding model loaded once."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from helpers import LLM_KEY, STARMER, index_folder

from bot.settings import Settings

SECRET_ENV = (
    "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "NEWSBOT_LLM",
    "NEWSBOT_LLM_BASE_URL", "NEWSBOT_LLM_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
    "NEWSBOT_DATABASE_URL", "CHROMA_HOST", "NEWSBOT_WATCH_DIR", "NEWSBOT_COLLECTION",
)
# The servers backend (test-only, not settings): a PostgreSQL URL whose user may create databases,
# and a `chroma run` server. .ci/run starts both (.ci/servers.sh); unset, those tests are skipped.
TEST_DATABASE_URL = os.environ.get("NEWSBOT_TEST_DATABASE_URL", "")
TEST_CHROMA_HOST = os.environ.get("NEWSBOT_TEST_CHROMA_HOST", "")
TEST_CHROMA_PORT = os.environ.get("NEWSBOT_TEST_CHROMA_PORT", "8000")
NO_SERVERS = ("servers backend: NEWSBOT_TEST_DATABASE_URL and NEWSBOT_TEST_CHROMA_HOST are not set "
              "(.ci/run starts PostgreSQL and a Chroma server and sets them)")


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """One folder of exported ONNX models for the whole session (export takes seconds)."""
    return tmp_path_factory.mktemp("models")


def _closing_what_opens():
    """Close the indexes opened while the fixture is in use (each holds a database pool and a Chroma system)."""
    from index import store

    since = len(store.OPENED)
    yield
    store.close_opened(since)


closes_module_indexes = pytest.fixture(scope="module", autouse=True)(_closing_what_opens)
closes_test_indexes = pytest.fixture(autouse=True)(_closing_what_opens)


@pytest.fixture(autouse=True)
def restores_logging():
    """Take out the stderr handler and hooks an in-process command installed (setup_logging): bound to this
    test's captured stderr, they would write to a closed file when a later test's thread logs."""
    import logging
    import sys
    import threading

    from bot.logs import RedactingFormatter

    hooks, level = (sys.excepthook, threading.excepthook), logging.getLogger().level
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h.formatter, RedactingFormatter)]:
        root.removeHandler(handler)
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch, model_cache):
    """Point the data dir at tmp_path, run from there (no stray .env), and clear Slack/LLM keys."""
    for name in SECRET_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSBOT_CACHE_DIR", str(model_cache))
    # platformdirs' user dirs point into tmp_path: no user's own ~/.config/newsbot/.env or index leaks in
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def embedder(model_cache):
    """The real default model, loaded once for the whole session."""
    from index.embedding import make_embedder

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSBOT_CACHE_DIR", str(model_cache))
        return make_embedder(Settings())  # the same instance the CLI gets in-process


@pytest.fixture(params=["embedded", "servers"])
def backend(request, isolated, monkeypatch):
    """Where the index lives: SQLite + embedded Chroma in the data dir, or PostgreSQL + a Chroma server."""
    if request.param == "servers":
        if not (TEST_DATABASE_URL and TEST_CHROMA_HOST):
            if os.environ.get("NEWSBOT_REQUIRE_SERVERS"):  # .ci/run: a silent skip would hide a broken setup
                pytest.fail(NO_SERVERS)
            pytest.skip(NO_SERVERS)
        yield from _on_servers(monkeypatch)
    else:
        yield request.param


def _on_servers(monkeypatch):
    """A fresh database and Chroma collection for one test, dropped afterwards."""
    import chromadb
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql("CREATE DATABASE " + admin.dialect.identifier_preparer.quote_identifier(name))
    url = make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    for var, value in (("NEWSBOT_DATABASE_URL", url), ("CHROMA_HOST", TEST_CHROMA_HOST),
                       ("CHROMA_PORT", TEST_CHROMA_PORT), ("NEWSBOT_COLLECTION", name)):
        monkeypatch.setenv(var, value)
    try:
        yield "servers"
    finally:
        with admin.connect() as conn:
            quoted = admin.dialect.identifier_preparer.quote_identifier(name)
            conn.exec_driver_sql("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)")
        client = chromadb.HttpClient(host=TEST_CHROMA_HOST, port=int(TEST_CHROMA_PORT))
        if name in [c.name for c in client.list_collections()]:
            client.delete_collection(name)


@pytest.fixture
def settings(backend) -> Settings:
    """Settings as the isolated environment gives them (once per backend)."""
    return Settings()


@pytest.fixture(scope="session")
def remembering_embedder(embedder, tmp_path_factory):
    """The real model, but a chunk text embedded once in the session is not embedded again (bench's
    CachedEncoder, never saved): tests indexing tens of real articles on both backends store the same
    real vectors on the second backend (Chroma, PostgreSQL and the lexical index stay real)."""
    from bench.scale_phases import CachedEncoder

    return CachedEncoder(embedder, tmp_path_factory.mktemp("vectors") / "unsaved.npz")


@pytest.fixture
def make_index(settings, embedder):
    """Open an index in the test's data dir with the shared model."""
    from index.store import NewsIndex

    def make(s: Settings | None = None):
        return NewsIndex(s or settings, embedder)

    return make


@pytest.fixture
def articles_dir(tmp_path) -> Path:
    """A folder holding a copy of the Starmer article."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(STARMER, folder / STARMER.name)
    return folder


@pytest.fixture
def indexed(settings, make_index, articles_dir):
    """An index holding the Starmer article, with its indexer."""
    from index.sync import Indexer

    index = make_index()
    indexer = Indexer(index, settings)
    report = indexer.sync([articles_dir])
    assert report.added == 1
    return index, indexer


@pytest.fixture
def service(settings, indexed):
    """The extractive answer service over the Starmer index."""
    from bot.answering.service import AnswerService

    return AnswerService(settings, indexed[0])




@pytest.fixture(scope="module")
def starmer_index(tmp_path_factory, embedder):
    """The Starmer article indexed once per test module; tests only read it."""
    root = tmp_path_factory.mktemp("starmer")
    (root / "articles").mkdir()
    shutil.copy(STARMER, root / "articles" / STARMER.name)
    return index_folder(root / "articles", embedder, added=1)[1]


@pytest.fixture
def newsroom(isolated):
    """A newsroom's web site on 127.0.0.1 (port 0) with a robots.txt keeping crawlers out of /private/."""
    from fakes.newsroom import Newsroom

    with Newsroom() as site:
        site.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        yield site


@pytest.fixture
def web_env(monkeypatch):
    """Fetch settings for tests: the local server is on 127.0.0.1, so private addresses are allowed; short limits."""
    for name, value in {"NEWSBOT_FETCH_ALLOW_PRIVATE": "true", "NEWSBOT_FETCH_DELAY": "0",
                        "NEWSBOT_FETCH_BACKOFF": "0.01", "NEWSBOT_FETCH_TIMEOUT": "1", "NEWSBOT_FETCH_DEADLINE": "2",
                        "NEWSBOT_FETCH_RETRIES": "1", "NEWSBOT_FETCH_MAX_BYTES": "2000000"}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def fake_llm():
    """A local OpenAI-compatible server: tests queue its replies and read the requests it got."""
    from fakes.openai_server import FakeOpenAI

    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def llm_settings(fake_llm, monkeypatch) -> Settings:
    """The LLM mode as configured from the environment, pointed at the fake server with a dummy key."""
    for name, value in {
        "NEWSBOT_LLM": "openai:some-model", "NEWSBOT_LLM_BASE_URL": fake_llm.base_url,
        "NEWSBOT_LLM_API_KEY": LLM_KEY, "NEWSBOT_LLM_TIMEOUT": "5", "NEWSBOT_LLM_MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    return Settings()


@pytest.fixture
def llm_service(llm_settings, starmer_index):
    """The answer service over the Starmer index with langchain-openai's real client on the fake server."""
    from bot.app import build_service

    return build_service(llm_settings, index=starmer_index)
