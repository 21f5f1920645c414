"""The full settings: index/'s sections plus Slack (bot/slack/settings.py) and the LLM, from the env and `.env`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from bot.slack.settings import SlackSection
from index.settings import CoreSettings, Section, env

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class LLMSection(Section):
    """The LLM that writes answers (empty NEWSBOT_LLM: extractive answers) and its prompt files."""

    model: str = env("NEWSBOT_LLM", "")
    base_url: str = env("NEWSBOT_LLM_BASE_URL", "")
    api_key: SecretStr = env("NEWSBOT_LLM_API_KEY", SecretStr(""))
    timeout: float = env("NEWSBOT_LLM_TIMEOUT", 30.0, gt=0)
    max_retries: int = env("NEWSBOT_LLM_MAX_RETRIES", 1, ge=0)
    max_tokens: int = env("NEWSBOT_LLM_MAX_TOKENS", 600, ge=16)
    temperature: float = env("NEWSBOT_LLM_TEMPERATURE", 0.0, ge=0)
    system_role: Literal["auto", "system", "user"] = env("NEWSBOT_LLM_SYSTEM_ROLE", "auto")
    log_level: str = env("NEWSBOT_LOG_LEVEL", "", pattern="(?i)^(|debug|info|warning|error)$")
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


class Settings(CoreSettings):
    """newsbot's configuration, every section; nothing else reads os.environ."""

    slack: SlackSection = Field(default_factory=SlackSection)
    llm: LLMSection = Field(default_factory=LLMSection)

    @property
    def secrets(self) -> list[str]:
        """Every configured secret, for scrubbing logs: tokens, keys, the database password, Chroma headers."""
        tokens = (self.slack.bot_token, self.slack.app_token, self.slack.signing_secret, self.llm.api_key)
        return [s for s in (t.get_secret_value() for t in tokens) if s] + super().secrets
