"""Start-up (issue 25): each command imports only what it uses, and `ask` loads the model once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# run a command as `newsbot` would, then report what it imported and how many model loads it made
PROBE = """
import json, sys
from bot.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
base = sys.modules.get("index.embedding.base")
print(json.dumps({"code": code, "modules": sorted(sys.modules), "loads": len(base.LOADS) if base else 0}),
      file=sys.stderr)
"""
# what no command here needs: the export's torch and transformers, training, web pages, Slack
NEVER = ("torch", "transformers", "sentence_transformers", "sklearn", "lightgbm", "trafilatura", "slack_bolt",
         "feedparser", "langchain_openai", "langchain_huggingface")


def _probe(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], check=False, capture_output=True, text=True,
                          timeout=600)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return {**report, "stdout": done.stdout, "modules": set(report["modules"])}


@pytest.mark.parametrize("command", [["ask", "what does Starmer mean by backstop?"], ["status"], ["--help"]])
def test_a_command_imports_only_what_it_uses(indexed, backend, command):
    got = _probe(*command)
    assert got["code"] == 0, got["stdout"]
    assert not got["modules"] & set(NEVER), sorted(got["modules"] & set(NEVER))
    if command[0] == "ask":
        assert "backstop" in got["stdout"]
        assert got["loads"] == 1  # the ONNX session is loaded once, by whichever part asks first
        assert "tokenizers" in got["modules"]
        assert "langchain_core" not in got["modules"]  # the answer needs none of LangChain's runnables
        if backend == "embedded":  # read through chromadb's Rust bindings: `import chromadb` is ~0.9 s
            assert "chromadb" not in got["modules"] and "chromadb_rust_bindings" in got["modules"]
    elif command[0] == "status":
        assert got["loads"] == 0 and "onnxruntime" not in got["modules"]  # counts need no model
        assert "langchain_core" not in got["modules"] and "articles" in got["stdout"]
        if backend == "embedded":  # the record counts; embedded Chroma stays closed (a server is reached, to name it)
            assert "chromadb" not in got["modules"]
    else:  # the parser alone: no settings (pydantic), no numpy, no database, no Chroma
        assert "usage: newsbot" in got["stdout"]
        assert not got["modules"] & {"pydantic", "numpy", "sqlalchemy", "chromadb", "langchain_core"}
