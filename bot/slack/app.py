"""The Bolt app: newsbot's listeners registered, one module per Slack surface."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot.answering.service import AnswerService
from bot.settings import Settings
from bot.slack import assistant, conversation, feedback, home, shortcut, unfurl
from bot.slack.dedupe import dedupe_events
from bot.slack.digests import register_digest_command
from bot.slack.errors import SlackConfigError
from bot.slack.home import SourceWarnings
from bot.slack.responder import SlackAnswerer
from bot.slack.store import ConversationStore


def check_tokens(settings: Settings, socket_mode: bool) -> None:
    """Fail early, naming the setting, when a token is missing or of the wrong kind."""
    bot = settings.slack.bot_token.get_secret_value()
    if not bot.startswith("xoxb-"):
        raise SlackConfigError("SLACK_BOT_TOKEN is missing or is not a bot token (xoxb-…)")
    if socket_mode and not settings.slack.app_token.get_secret_value().startswith("xapp-"):
        raise SlackConfigError("SLACK_APP_TOKEN is not an app-level token (xapp-…)")
    if not socket_mode and not settings.slack.signing_secret.get_secret_value():
        raise SlackConfigError("SLACK_SIGNING_SECRET is missing (needed in HTTP mode)")


def create_app(settings: Settings, service: AnswerService, store: ConversationStore,
               client: WebClient | None = None, source_warnings: SourceWarnings | None = None) -> App:
    """The Bolt app with newsbot's listeners; pass `client` to point it at another Web API.

    source_warnings, when given, returns one line per failing source for the Home tab.
    """
    # the settings first: a malformed one fails here, naming itself, before any call to Slack
    bot = SlackAnswerer(settings, service, store)  # the channel scopes
    prompts = assistant.Prompts(settings, service.index)
    domains = list(settings.slack.unfurl_domains)
    client = client or WebClient(token=settings.slack.bot_token.get_secret_value(), base_url=settings.slack.api_url)
    app = App(client=client, signing_secret=settings.slack.signing_secret.get_secret_value() or None,
              listener_executor=ThreadPoolExecutor(settings.slack.workers, thread_name_prefix="newsbot-slack"),
              logger=logging.getLogger("newsbot.bolt"))
    app.use(dedupe_events(store.engine))  # each event answered once, across processes and retries
    assistant.register(app, bot, prompts)  # first: the Assistant middleware takes assistant-thread events
    register_digest_command(app, settings, service.index, bot.over_limit)  # before /ask: it takes "/ask digest …"
    conversation.register(app, bot)
    feedback.register(app, bot)
    home.register(app, bot, source_warnings)
    unfurl.register(app, bot, domains)
    shortcut.register(app, bot)
    return app
