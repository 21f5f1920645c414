"""The Slack app's errors, in newsbot's one family (index.errors): index/ never raises them."""

from __future__ import annotations

from index.errors import ConfigError


class SlackConfigError(ConfigError):
    """A missing or malformed Slack setting, named."""

    exit_code = 2
    scoped = True
