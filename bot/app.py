"""Composition root: builds the engine, the index, the chat model and the answer service from settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine

from bot.answering.service import AnswerService
from index import db
from bot.settings import Settings
from index.store import NewsIndex, open_index


@dataclass
class Deps:
    """What the front ends are handed, built once at the entry point."""

    settings: Settings
    engine: Engine
    index: NewsIndex
    service: AnswerService

    @cached_property
    def store(self):
        """The Slack conversation and feedback store, in the index's database."""
        from bot.slack.store import ConversationStore

        return ConversationStore(self.engine)


def build_service(settings: Settings, index: NewsIndex | None = None, chat_model=None) -> AnswerService:
    """The answer service over the configured index (and chat model, when one is configured)."""
    return build_deps(settings, index, chat_model).service


def build_deps(settings: Settings, index: NewsIndex | None = None, chat_model=None) -> Deps:
    """Engine, index and answer service for the settings (a given index must be the settings' own)."""
    if chat_model is None and settings.llm.model:  # first: a configuration error should not wait for the index
        from bot.answering.chat_models import make_chat_model

        chat_model = make_chat_model(settings)
    engine = db.make_engine(settings.sqlalchemy_url)
    index = index or open_index(settings, engine=engine)
    return Deps(settings, engine, index, AnswerService(settings, index, chat_model=chat_model))
