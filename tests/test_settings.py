"""The settings class and its documentation stay in step."""

from __future__ import annotations

from pathlib import Path

from index.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


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
    assert s.prompts_path == ROOT / "prompts" and s.watch_dir is None


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("NEWSBOT_ANSWER_SENTENCES=5\n")
    assert Settings().answer_sentences == 5
