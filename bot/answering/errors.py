"""The answering side's errors, in newsbot's one family (index.errors): index/ never raises them."""

from __future__ import annotations

from index.errors import ConfigError


class LLMConfigError(ConfigError):
    """NEWSBOT_LLM names a model newsbot cannot set up: bad form, missing package, missing key or prompt."""
