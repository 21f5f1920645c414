"""The settings class and its documentation stay in step."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _documented() -> dict[str, str]:
    out = {}
    lines = (ROOT / ".env.example").read_text().splitlines()
    for prev, line in zip([""] + lines, lines):
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert prev.startswith("# "), f"{name} has no one-line comment in .env.example"
            out[name] = line.split("=", 1)[1]
    return out


def test_every_setting_is_in_env_example():
    names = {f.validation_alias.choices[0] for f in Settings.model_fields.values()}
    assert names == set(_documented())


def test_env_example_values_parse(monkeypatch):
    for name, value in _documented().items():
        monkeypatch.setenv(name, value)
    s = Settings()
    assert s.llm.prompts_path == ROOT / "prompts" and s.slack.watch_dir is None


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("NEWSBOT_ANSWER_SENTENCES=5\n")
    assert Settings().answer.sentences == 5


def test_server_settings_are_checked(monkeypatch):
    import pytest
    from pydantic import ValidationError

    monkeypatch.setenv("NEWSBOT_DATABASE_URL", "mysql://u:pw@db/newsbot")
    with pytest.raises(ValidationError, match="NEWSBOT_DATABASE_URL must start with sqlite:// or postgresql://"):
        Settings()
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", "postgresql://newsbot:s3cret-pw@db.internal/newsbot")
    monkeypatch.setenv("CHROMA_HEADERS", "{not json")
    with pytest.raises(ValidationError, match="CHROMA_HEADERS is not valid JSON"):
        Settings()
    monkeypatch.setenv("CHROMA_HEADERS", '["Bearer x"]')
    with pytest.raises(ValidationError, match="JSON object of strings"):
        Settings()


def test_server_secrets_never_reach_the_log(monkeypatch, capsys):
    import logging

    from bot.logs import setup_logging

    monkeypatch.setenv("NEWSBOT_DATABASE_URL", "postgresql://newsbot:s3cret-pw@db.internal/newsbot")
    monkeypatch.setenv("CHROMA_HEADERS", '{"Authorization": "Bearer chroma-token-123"}')
    settings = Settings()
    assert {"s3cret-pw", "Bearer chroma-token-123"} <= set(settings.secrets)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging(settings)
        logging.getLogger("sqlalchemy").warning("connecting to %s with %s", settings.servers.database_url,
                                                settings.servers.chroma_headers)
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
    err = capsys.readouterr().err
    assert "connecting to" in err and "db.internal" in err
    assert "s3cret-pw" not in err and "chroma-token-123" not in err
