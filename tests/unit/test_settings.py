"""The settings: typed sections read by env name, values parsed once, and their documentation in step."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.logs import setup_logging
from bot.settings import Settings
from bot.slack.errors import SlackConfigError
from index.settings import CoreSettings

ROOT = Path(__file__).resolve().parents[2]
SECTION_HEADER = re.compile(r"^# --- (\w+)\b")


def _documented() -> dict[str, tuple[str, str]]:
    """Env name -> (section header it is under, value) in .env.example."""
    out, section = {}, ""
    lines = (ROOT / ".env.example").read_text().splitlines()
    for prev, line in zip([""] + lines, lines):
        if m := SECTION_HEADER.match(line):
            section = m.group(1)
        elif line and not line.startswith("#"):
            name, value = line.split("=", 1)
            assert prev.startswith("# ") and not SECTION_HEADER.match(prev), \
                f"{name} has no one-line comment in .env.example"
            out[name] = (section, value)
    return out


def test_every_setting_is_in_env_example_under_its_section():
    documented = _documented()
    assert set(Settings.env_names()) == set(documented)
    misfiled = {env: (section, documented[env][0]) for env, (section, _) in Settings.env_names().items()
                if documented[env][0] != section}
    assert misfiled == {}


def test_env_example_values_parse(monkeypatch):
    for name, (_, value) in _documented().items():
        monkeypatch.setenv(name, value)
    s = Settings()
    assert s.llm.prompts_path == ROOT / "prompts" and s.slack.watch_dir is None
    assert s.sources.every == 600 and s.servers.chroma_headers == () and s.slack.digests == ()


def test_dotenv_file_is_read_and_the_environment_wins(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("NEWSBOT_ANSWER_SENTENCES=5\nNEWSBOT_DENSE_K=7\nSLACK_BOT_TOKEN=xoxb-file\n")
    monkeypatch.setenv("NEWSBOT_DENSE_K", "9")
    s = Settings()
    assert (s.answer.sentences, s.retrieval.dense_k, s.slack.bot_token.get_secret_value()) == (5, 9, "xoxb-file")
    assert Settings(_env_file=None).answer.sentences == 3


def test_overrides_by_env_name_or_section_beat_the_environment(monkeypatch):
    monkeypatch.setenv("NEWSBOT_DENSE_K", "9")
    monkeypatch.setenv("NEWSBOT_LEXICAL_K", "8")
    s = Settings(_env_file=None, NEWSBOT_DENSE_K=3, retrieval={"rrf_k": 10}, llm={"NEWSBOT_LLM": "openai:x"})
    assert (s.retrieval.dense_k, s.retrieval.lexical_k, s.retrieval.rrf_k, s.llm.model) == (3, 8, 10, "openai:x")
    changed = s.override(NEWSBOT_RANKER="off", index={"data_dir": "/tmp/elsewhere"})
    assert (changed.answer.ranker, changed.index.data_dir, changed.retrieval.dense_k) == ("off", Path("/tmp/elsewhere"), 3)
    assert s.answer.ranker == "" and isinstance(changed, Settings)
    with pytest.raises(ValidationError, match="NEWSBOT_DENSE_K"):
        s.override(NEWSBOT_DENSE_K=0)
    with pytest.raises(ValueError, match="unknown setting 'dense_k'"):
        Settings(_env_file=None, **{"dense_k": 3})  # the old flat names are refused, not silently ignored


def test_settings_and_sections_are_frozen():
    s = Settings(_env_file=None)
    with pytest.raises(ValidationError):
        s.retrieval.dense_k = 1
    with pytest.raises(ValidationError):
        s.index = s.index


def test_index_side_has_no_slack_or_llm_section():
    core = CoreSettings(_env_file=None, NEWSBOT_DATA_DIR="/d")
    assert not hasattr(core, "slack") and not hasattr(core, "llm") and core.index.data_dir == Path("/d")
    with pytest.raises(ValueError, match="unknown setting 'SLACK_BOT_TOKEN'"):
        CoreSettings(_env_file=None, SLACK_BOT_TOKEN="x")


def test_json_and_list_settings_are_parsed_once(tmp_path):
    scopes = tmp_path / "scopes.json"
    scopes.write_text('{"C1": {"sources": ["AP"]}}')
    s = Settings(_env_file=None, CHROMA_HEADERS='{"Authorization": "Bearer t"}', NEWSBOT_SLACK_CHANNEL_SCOPES=str(scopes),
                 NEWSBOT_SLACK_UNFURL_DOMAINS="a.example,b.example", NEWSBOT_DIGEST_TIMEZONE="Europe/London",
                 NEWSBOT_SOURCE_EVERY="1h30m")
    assert dict(s.servers.chroma_headers) == {"Authorization": "Bearer t"}
    assert s.slack.channel_scopes.filters("C1").sources == ("AP",)
    assert s.slack.unfurl_domains == ("a.example", "b.example") and s.sources.every == 5400
    assert str(s.slack.digest_timezone) == "Europe/London"
    assert s.override(NEWSBOT_DENSE_K=2).slack.channel_scopes is s.slack.channel_scopes  # not parsed again


@pytest.mark.parametrize("name, value, error, match", [
    ("NEWSBOT_DATABASE_URL", "mysql://u:pw@db/newsbot", ValidationError,
     "NEWSBOT_DATABASE_URL must start with sqlite:// or postgresql://"),
    ("CHROMA_HEADERS", "{not json", ValidationError, "CHROMA_HEADERS is not valid JSON"),
    ("CHROMA_HEADERS", '["Bearer x"]', ValidationError, "CHROMA_HEADERS must be a JSON object of strings"),
    ("CHROMA_PORT", "eighty", ValidationError, "CHROMA_PORT"),
    ("NEWSBOT_SOURCE_EVERY", "often", ValidationError, "NEWSBOT_SOURCE_EVERY: not a duration"),
    ("NEWSBOT_DIGESTS", '{"C1": "25:00"}', ValidationError, "NEWSBOT_DIGESTS must map channel ids"),
    ("NEWSBOT_SLACK_CHANNEL_SCOPES", "{oops", SlackConfigError, "NEWSBOT_SLACK_CHANNEL_SCOPES is not valid JSON"),
    ("NEWSBOT_SLACK_SUGGESTED_PROMPTS", "[1]", SlackConfigError, "NEWSBOT_SLACK_SUGGESTED_PROMPTS must be"),
])
def test_bad_values_fail_at_load_naming_the_variable(monkeypatch, name, value, error, match):
    monkeypatch.setenv(name, value)
    with pytest.raises(error, match=match):
        Settings(_env_file=None)


def test_cli_names_the_bad_variable(monkeypatch):
    from bot.cli import load_settings
    from index.errors import ConfigError

    monkeypatch.setenv("NEWSBOT_RRF_K", "zero")
    with pytest.raises(ConfigError, match="invalid setting NEWSBOT_RRF_K"):
        load_settings()


def test_server_secrets_never_reach_the_log(monkeypatch, capsys):
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", "postgresql://newsbot:s3cret-pw@db.internal/newsbot")
    monkeypatch.setenv("CHROMA_HEADERS", '{"Authorization": "Bearer chroma-token-123"}')
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-bot-token-42")
    settings = Settings()
    assert {"s3cret-pw", "Bearer chroma-token-123", "xoxb-bot-token-42"} <= set(settings.secrets)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging(settings)
        logging.getLogger("sqlalchemy").warning("connecting to %s with %s", settings.servers.database_url,
                                                dict(settings.servers.chroma_headers))
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
    err = capsys.readouterr().err
    assert "connecting to" in err and "db.internal" in err
    assert "s3cret-pw" not in err and "chroma-token-123" not in err


def test_a_lost_database_leaves_no_driver_cleanup_lines(capsys):
    settings = Settings(_env_file=None)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        setup_logging(settings)
        logging.getLogger("psycopg").warning("error ignored terminating %r: %s", "<Pipeline>", "the connection is lost")
        logging.getLogger("psycopg.transaction").warning("error ignored in rollback of %s: %s", "<T>", "lost")
        logging.getLogger("psycopg").warning("unknown PostgreSQL timezone: %r; will use UTC", "Mars/Olympus")
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
    err = capsys.readouterr().err
    assert "error ignored" not in err and "unknown PostgreSQL timezone" in err


def test_the_index_is_named_without_credentials():
    s = Settings(_env_file=None, NEWSBOT_DATA_DIR="/d")
    assert s.index_label == "/d"
    servers = s.override(NEWSBOT_DATABASE_URL="postgresql+psycopg://news:s3cret@db.internal:5432/news?sslmode=require",
                         CHROMA_HOST="chroma.internal")
    assert servers.index_label == "database postgresql://db.internal:5432/news, Chroma server chroma.internal:8000"
    assert servers.local_database is None


def test_an_empty_data_dir_setting_is_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    s = Settings(_env_file=None, NEWSBOT_DATA_DIR="")
    assert s.index.data_dir == tmp_path / "share" / "newsbot" and not s.index.found_legacy
