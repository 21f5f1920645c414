"""Scenario fixtures for the Slack surfaces: a small newsroom index (one article planted with Slack markup)."""

from __future__ import annotations

import shutil

import pytest
from fakes.planted import LIGHTHOUSE, PLANTED
from fakes.slack_app import SECRET, TOKEN, SlackHarness
from helpers import STARMER, index_folder, write_json
from pydantic import SecretStr

from bot.answering.service import AnswerService
from bot.app import build_service


@pytest.fixture(scope="session")
def slack_newsroom(tmp_path_factory, embedder):
    """Three articles from three sources, one of them planted with Slack markup, indexed once per session."""
    root = tmp_path_factory.mktemp("newsroom")
    (root / "articles").mkdir()
    shutil.copy(STARMER, root / "articles" / STARMER.name)
    write_json(root / "articles" / "lighthouse.json", **LIGHTHOUSE)
    write_json(root / "articles" / "planted.json", **PLANTED)
    return index_folder(root / "articles", embedder, added=3)[1]


@pytest.fixture
def slack_settings(settings):
    return settings.override(SLACK_BOT_TOKEN=SecretStr(TOKEN), SLACK_SIGNING_SECRET=SecretStr(SECRET), NEWSBOT_SLACK_RATE_LIMIT=100)


@pytest.fixture
def make_harness(slack_settings, slack_newsroom):
    """Harnesses over the newsroom index (extractive unless a service is given), closed after the test."""
    made = []

    def make(service=None, settings=None, **options) -> SlackHarness:
        s = settings or slack_settings
        h = SlackHarness(s, service or AnswerService(s, slack_newsroom), **options)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


@pytest.fixture
def llm_newsroom(llm_settings, slack_newsroom, fake_llm):
    """The LLM answer service (langchain-openai on the fake OpenAI server) over the newsroom index."""
    return build_service(llm_settings, index=slack_newsroom)
