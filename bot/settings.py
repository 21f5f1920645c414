"""The full settings: index/'s sections plus the Slack and LLM ones, read from the environment and `.env`."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator

from bot.slack.scopes import ChannelScopes
from index.settings import CoreSettings, Section, env, json_value

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DIGEST_AT = re.compile(r"^\s*(?P<at>(?:[01]?\d|2[0-3]):[0-5]\d)(?:\s+(?P<topic>\S.*?))?\s*$")


class ScheduledDigest(NamedTuple):
    """One digest NEWSBOT_DIGESTS schedules: the channel, the time of day (HH:MM) and the topic ('' = all news)."""

    channel: str
    at: str
    topic: str


class SuggestedPrompt(NamedTuple):
    """One prompt shown when someone opens the bot's DM."""

    title: str
    message: str


class LLMSection(Section):
    """The LLM that writes answers (empty NEWSBOT_LLM: extractive answers) and its prompt files."""

    model: str = env("NEWSBOT_LLM", "")
    base_url: str = env("NEWSBOT_LLM_BASE_URL", "")
    api_key: SecretStr = env("NEWSBOT_LLM_API_KEY", SecretStr(""))
    timeout: float = env("NEWSBOT_LLM_TIMEOUT", 30.0, gt=0)
    max_retries: int = env("NEWSBOT_LLM_MAX_RETRIES", 1, ge=0)
    max_tokens: int = env("NEWSBOT_LLM_MAX_TOKENS", 600, ge=16)
    temperature: float = env("NEWSBOT_LLM_TEMPERATURE", 0.0, ge=0)
    answer_prompt: str = env("NEWSBOT_ANSWER_PROMPT", "answer")
    followup_prompt: str = env("NEWSBOT_FOLLOWUP_PROMPT", "followup")
    prompts_dir: Path | None = env("NEWSBOT_PROMPTS_DIR", None)

    @property
    def prompts_path(self) -> Path:
        """Folder of prompt files: the setting, else the project's prompts/ (or an installed wheel's copy)."""
        if self.prompts_dir:
            return self.prompts_dir
        checkout = PROJECT_ROOT / "prompts"
        installed = Path(sys.prefix) / "share" / "newsbot" / "prompts"
        return checkout if checkout.is_dir() or not installed.is_dir() else installed


class SlackSection(Section):
    """The Slack app: tokens, limits, channel scopes, unfurls, scheduled digests, in-process indexing."""

    bot_token: SecretStr = env("SLACK_BOT_TOKEN", SecretStr(""))
    app_token: SecretStr = env("SLACK_APP_TOKEN", SecretStr(""))
    signing_secret: SecretStr = env("SLACK_SIGNING_SECRET", SecretStr(""))
    api_url: str = env("SLACK_API_URL", "https://slack.com/api/")
    rate_limit: int = env("NEWSBOT_SLACK_RATE_LIMIT", 10, ge=1)
    rate_window: float = env("NEWSBOT_SLACK_RATE_WINDOW", 60.0, gt=0)
    workers: int = env("NEWSBOT_SLACK_WORKERS", 8, ge=1)
    max_body_bytes: int = env("NEWSBOT_SLACK_MAX_BODY_BYTES", 1_000_000, ge=10_000)
    watch_dir: Path | None = env("NEWSBOT_WATCH_DIR", None)
    follow: bool = env("NEWSBOT_FOLLOW", False)
    channel_scopes: ChannelScopes = env("NEWSBOT_SLACK_CHANNEL_SCOPES", ChannelScopes())
    suggested_prompts: tuple[SuggestedPrompt, ...] | None = env("NEWSBOT_SLACK_SUGGESTED_PROMPTS", None)
    unfurl_domains: tuple[str, ...] = env("NEWSBOT_SLACK_UNFURL_DOMAINS", ())
    digests: tuple[ScheduledDigest, ...] = env("NEWSBOT_DIGESTS", ())
    digest_timezone: ZoneInfo | None = env("NEWSBOT_DIGEST_TIMEZONE", None)
    digest_check_seconds: float = env("NEWSBOT_DIGEST_CHECK_SECONDS", 30.0, gt=0)

    @field_validator("channel_scopes", mode="before")
    @classmethod
    def _scopes(cls, value):
        """NEWSBOT_SLACK_CHANNEL_SCOPES: JSON, or the path of a JSON file, read and checked once."""
        return ChannelScopes.from_setting(value) if isinstance(value, str) else value

    @field_validator("suggested_prompts", mode="before")
    @classmethod
    def _prompts(cls, value):
        """NEWSBOT_SLACK_SUGGESTED_PROMPTS: a JSON list of questions or {"title", "message"} objects."""
        if not isinstance(value, str):
            return value
        from bot.slack.assistant import configured_prompts  # Bolt is loaded only when the setting is used

        prompts = configured_prompts(value)
        return None if prompts is None else tuple(SuggestedPrompt(p["title"], p["message"]) for p in prompts)

    @field_validator("unfurl_domains", mode="before")
    @classmethod
    def _domains(cls, value):
        """NEWSBOT_SLACK_UNFURL_DOMAINS: comma-separated domains, checked."""
        if not isinstance(value, str) or not value.strip():
            return value if not isinstance(value, str) else ()
        from bot.slack.unfurl import unfurl_domains  # Bolt is loaded only when the setting is used

        return tuple(unfurl_domains(value))

    @field_validator("digests", mode="before")
    @classmethod
    def _digests(cls, value):
        """NEWSBOT_DIGESTS: JSON of channel id to 'HH:MM' or 'HH:MM topic'."""
        if not isinstance(value, str):
            return value
        obj = json_value("NEWSBOT_DIGESTS", value) if value.strip() else {}
        matches = {c: DIGEST_AT.match(v) if isinstance(v, str) else None for c, v in
                   (obj.items() if isinstance(obj, dict) else [("", None)])}
        if not all(matches.values()):
            raise ValueError("""NEWSBOT_DIGESTS must map channel ids to 'HH:MM' or 'HH:MM topic', e.g. """
                             """{"C0123ABC": "08:00", "C0456DEF": "17:30 the rail strike"}""")
        return tuple(ScheduledDigest(c, m.group("at").zfill(5), m.group("topic") or "") for c, m in matches.items())

    @field_validator("digest_timezone", mode="before")
    @classmethod
    def _timezone(cls, value):
        """NEWSBOT_DIGEST_TIMEZONE: an IANA name (Europe/London); empty = the machine's own."""
        if not isinstance(value, str) or not value.strip():
            return value or None
        try:
            return ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"NEWSBOT_DIGEST_TIMEZONE: unknown time zone {value!r} (e.g. Europe/London)") from None


class Settings(CoreSettings):
    """newsbot's configuration, every section; nothing else reads os.environ."""

    slack: SlackSection = Field(default_factory=SlackSection)
    llm: LLMSection = Field(default_factory=LLMSection)

    @property
    def secrets(self) -> list[str]:
        """Every configured secret, for scrubbing logs: tokens, keys, the database password, Chroma headers."""
        tokens = (self.slack.bot_token, self.slack.app_token, self.slack.signing_secret, self.llm.api_key)
        return [s for s in (t.get_secret_value() for t in tokens) if s] + super().secrets
