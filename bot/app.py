"""Composition root: builds the engine, the index, the chat model and the answer service from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from bot.answering.service import AnswerService
from bot.settings import Settings
from index import datadir, db
from index.errors import NothingIndexed
from index.reader import EvalReader, IndexReader
from index.store import NewsIndex, open_index


@dataclass
class Deps:
    """What the front ends are handed, built once at the entry point: they read the index through its door."""

    settings: Settings
    engine: Engine
    index: IndexReader
    service: AnswerService
    writer: NewsIndex | None = field(default=None, repr=False)  # the same index, for a watcher or follower to write

    @cached_property
    def store(self):
        """The Slack conversation and feedback store, in the index's database."""
        from bot.slack.store import ConversationStore

        return ConversationStore(self.engine)


def build_service(settings: Settings, index: IndexReader | None = None, chat_model=None,
                  indexed: bool = False) -> AnswerService:
    """The answer service over the configured index (and chat model, when one is configured)."""
    return build_deps(settings, index, chat_model, indexed).service


def build_deps(settings: Settings, index: IndexReader | None = None, chat_model=None, indexed: bool = False) -> Deps:
    """Engine, index and answer service for the settings (a given index must be the settings' own).

    indexed: refuse with NothingIndexed, creating no data dir, when the index holds no article (readers' commands).
    """
    if chat_model is None and settings.llm.model:  # first: a configuration error should not wait for the index
        from bot.answering.llm.chat_models import make_chat_model

        chat_model = make_chat_model(settings)
    if indexed and index is None and datadir.never_indexed(settings):  # before opening: that would create it
        raise NothingIndexed(settings.index_label)
    engine = db.make_engine(settings.sqlalchemy_url)
    index = index or open_index(settings, engine=engine, fast_reads=indexed)
    if indexed and not index.article_count():
        raise NothingIndexed(settings.index_label)
    writer = index if isinstance(index, NewsIndex) else None
    return Deps(settings, engine, index, AnswerService(settings, index, chat_model=chat_model), writer)


def index_folders(settings: Settings, folders: list[Path], only_if_empty: bool = False,
                  progress=None) -> tuple[EvalReader, str]:
    """Open the settings' index and sync folders into it (evaluation's corpora); with the sync's summary
    ('' when only_if_empty and the index already holds articles)."""
    from index.sync import Indexer

    index = open_index(settings)
    if only_if_empty and index.article_count():
        return index, ""
    return index, Indexer(index, settings, progress=progress).sync(list(folders)).summary()
