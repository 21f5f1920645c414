"""The Slack section of the settings: tokens, limits, channel scopes, prompts, unfurls and scheduled digests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, field_validator

from bot.slack.errors import SlackConfigError
from bot.slack.scopes import ChannelScopes
from index.settings import Section, env, json_value

DIGEST_AT = re.compile(r"^\s*(?P<at>(?:[01]?\d|2[0-3]):[0-5]\d)(?:\s+(?P<topic>\S.*?))?\s*$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
MAX_DOMAINS = 5  # the manifest's unfurl_domains holds at most five
MAX_PROMPTS = 4  # assistant.threads.setSuggestedPrompts takes up to four


class ScheduledDigest(NamedTuple):
    """One digest NEWSBOT_DIGESTS schedules: the channel, the time of day (HH:MM) and the topic ('' = all news)."""

    channel: str
    at: str
    topic: str


class SuggestedPrompt(NamedTuple):
    """One prompt shown when someone opens the bot's DM."""

    title: str
    message: str


def configured_prompts(value: str) -> tuple[SuggestedPrompt, ...] | None:
    """The prompts set in NEWSBOT_SLACK_SUGGESTED_PROMPTS (None when unset); errors name the setting."""
    setting = "NEWSBOT_SLACK_SUGGESTED_PROMPTS"
    if not (value or "").strip():
        return None
    try:
        raw = json_value(setting, value)
    except ValueError as exc:
        raise SlackConfigError(str(exc)) from None
    if not isinstance(raw, list) or not all(isinstance(p, str) or (isinstance(p, dict) and p.get("message"))
                                            for p in raw):
        raise SlackConfigError(f'{setting} must be a JSON list of questions or {{"title", "message"}} objects, '
                               'e.g. ["What happened in Ukraine this week?"]')
    if len(raw) > MAX_PROMPTS:
        raise SlackConfigError(f"{setting} has {len(raw)} prompts; Slack shows at most {MAX_PROMPTS}")
    return tuple(SuggestedPrompt(p, p) if isinstance(p, str) else
                 SuggestedPrompt(str(p.get("title") or p["message"]), str(p["message"])) for p in raw)


def unfurl_domains(value: str) -> tuple[str, ...]:
    """The domains of NEWSBOT_SLACK_UNFURL_DOMAINS, checked; errors name the setting and the domain."""
    setting = "NEWSBOT_SLACK_UNFURL_DOMAINS"
    domains = tuple(d.strip().lower() for d in (value or "").split(",") if d.strip())
    for d in domains:
        if not DOMAIN.match(d):
            raise SlackConfigError(f"{setting}: '{d}' is not a domain (write news.example.com, "
                                   "without https:// or a path)")
    if len(domains) > MAX_DOMAINS:
        raise SlackConfigError(f"{setting} names {len(domains)} domains; Slack unfurls at most {MAX_DOMAINS}")
    return domains


def digest_schedule(value: str) -> tuple[ScheduledDigest, ...]:
    """NEWSBOT_DIGESTS: JSON of channel id to 'HH:MM' or 'HH:MM topic'; a ValueError naming it otherwise."""
    obj = json_value("NEWSBOT_DIGESTS", value) if value.strip() else {}
    matches = {c: DIGEST_AT.match(v) if isinstance(v, str) else None for c, v in
               (obj.items() if isinstance(obj, dict) else [("", None)])}
    if not all(matches.values()):
        raise ValueError("""NEWSBOT_DIGESTS must map channel ids to 'HH:MM' or 'HH:MM topic', e.g. """
                         """{"C0123ABC": "08:00", "C0456DEF": "17:30 the rail strike"}""")
    return tuple(ScheduledDigest(c, m.group("at").zfill(5), m.group("topic") or "") for c, m in matches.items())


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
    health_port: int = env("NEWSBOT_HEALTH_PORT", 0, ge=0, le=65535)  # Socket Mode's health listener; 0 = none
    watch_dir: Path | None = env("NEWSBOT_WATCH_DIR", None)
    follow: bool = env("NEWSBOT_FOLLOW", False)
    channel_scopes: ChannelScopes = env("NEWSBOT_SLACK_CHANNEL_SCOPES", "", validate_default=True)
    suggested_prompts: tuple[SuggestedPrompt, ...] | None = env("NEWSBOT_SLACK_SUGGESTED_PROMPTS", None)
    unfurl_domains: tuple[str, ...] = env("NEWSBOT_SLACK_UNFURL_DOMAINS", ())
    digests: tuple[ScheduledDigest, ...] = env("NEWSBOT_DIGESTS", ())
    digest_timezone: ZoneInfo | None = env("NEWSBOT_DIGEST_TIMEZONE", None)
    digest_check_seconds: float = env("NEWSBOT_DIGEST_CHECK_SECONDS", 30.0, gt=0)

    @field_validator("channel_scopes", "suggested_prompts", "unfurl_domains", "digests", mode="before")
    @classmethod
    def _parsed(cls, value, info):
        """JSON and lists are parsed (and checked) once, here; a parsed value (from override()) passes as is."""
        parse = {"channel_scopes": ChannelScopes.from_setting, "suggested_prompts": configured_prompts,
                 "unfurl_domains": unfurl_domains, "digests": digest_schedule}[info.field_name]
        return parse(value) if isinstance(value, str) else value

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
