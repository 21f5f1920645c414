"""Channel scopes: NEWSBOT_SLACK_CHANNEL_SCOPES maps Slack channels to the filters their questions get by default."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.slack.errors import SlackConfigError
from index.dates import day_number
from index.query import Filters

SETTING = "NEWSBOT_SLACK_CHANNEL_SCOPES"
EVERY_CHANNEL = "*"  # the scope of every channel without its own entry (direct messages excepted)
NOT_CARRIED = {"sections", "section", "tags", "tag"}  # articles carry no sections or tags (yet)


class Scope(BaseModel):
    """One channel's default filters: sources (any of them) and a date window, fixed or rolling."""

    model_config = ConfigDict(extra="forbid")

    sources: list[str] = Field(default_factory=list)
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    days: int | None = Field(default=None, gt=0)  # the last n days, counted back from the day asked

    @field_validator("sources", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        """"Reuters" means ["Reuters"]."""
        return [value] if isinstance(value, str) else value

    @field_validator("since", "until")
    @classmethod
    def _a_day(cls, value):
        """Dates are YYYY-MM-DD."""
        if value is not None and day_number(value) is None:
            raise ValueError(f"expects a date like 2024-01-31, got {value!r}")
        return value

    def filters(self, today: date) -> Filters:
        """The filters on the day a question is asked."""
        since = day_number(self.since) if self.since else None
        if self.days:
            rolling = day_number((today - timedelta(days=self.days - 1)).isoformat())
            since = max(since or 0, rolling)
        return Filters(sources=tuple(self.sources), since=since, until=day_number(self.until) if self.until else None)


class ChannelScopes:
    """Scopes by channel id; a channel without one (and every DM) searches everything."""

    def __init__(self, scopes: dict[str, Scope] | None = None):
        self.scopes = scopes or {}

    @classmethod
    def from_setting(cls, value: str) -> "ChannelScopes":
        """Parse the setting: a JSON object, or the path of a file holding one; errors name what is wrong."""
        value = (value or "").strip()
        if not value:
            return cls()
        where = SETTING
        if not value.startswith(("{", "[")):  # JSON, else the path of a JSON file
            path = Path(value).expanduser()
            try:
                value = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise SlackConfigError(f"{SETTING}: cannot read {path}: {exc.strerror}") from None
            where = f"{SETTING} file {path}"
        try:
            raw = json.loads(value)
        except ValueError as exc:
            raise SlackConfigError(f"{where} is not valid JSON: {exc}") from None
        if not isinstance(raw, dict):
            raise SlackConfigError(f"{where} must be a JSON object of channel ids, e.g. "
                                   '{"C0123ABCD": {"sources": ["Reuters"]}}')
        return cls({str(channel): _scope(where, str(channel), spec) for channel, spec in raw.items()})

    def scope_of(self, channel: str) -> Scope | None:
        """The channel's own scope, else the every-channel one (never for a DM)."""
        if channel in self.scopes:
            return self.scopes[channel]
        return None if channel.startswith("D") else self.scopes.get(EVERY_CHANNEL)

    def filters(self, channel: str, today: date | None = None) -> Filters | None:
        """The default filters of questions asked in channel, or None to search everything."""
        scope = self.scope_of(channel)
        return scope.filters(today or date.today()) if scope else None


def _scope(where: str, channel: str, spec) -> Scope:
    """One entry, validated; the error names the channel and the field."""
    if not isinstance(spec, dict):
        raise SlackConfigError(f"{where}: the scope of {channel} must be an object such as "
                               '{"sources": ["Reuters"]}')
    spec = dict(spec)
    if "source" in spec:  # the CLI's spelling
        spec["sources"] = ([spec.pop("source")] if isinstance(spec.get("source"), str) else spec.pop("source")) + \
            list(spec.get("sources") or [])
    carried = NOT_CARRIED & set(spec)
    if carried:
        raise SlackConfigError(f"{where}: {channel}: {', '.join(sorted(carried))} cannot be filtered on: indexed "
                               "articles carry no sections or tags; use sources, since, until or days")
    try:
        return Scope.model_validate(spec)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(x) for x in first["loc"]) or "scope"
        allowed = "sources, since, until, days"
        reason = "is not a known field (use " + allowed + ")" if first["type"] == "extra_forbidden" else first["msg"]
        raise SlackConfigError(f"{where}: {channel}.{field} {reason}") from None
