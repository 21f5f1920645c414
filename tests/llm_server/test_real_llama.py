"""The LLM scenario against a real llama.cpp server (`make test-llm`): whatever a small model writes, the token
limit holds, nothing unchecked is shown, and every answer says whether the model's text was used."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.llm_server

BACKSTOP = "what does Starmer mean by backstop?"


def test_a_real_model_answers_within_its_limits(real_llm_settings, starmer_index):
    from bot.app import build_service

    service = build_service(real_llm_settings, index=starmer_index)
    partials: list[str] = []
    started = time.monotonic()
    answer = service.answer(BACKSTOP, on_partial=partials.append)
    assert time.monotonic() - started < 60  # 64 tokens, not a context's worth
    assert answer.answered and answer.citations and answer.llm is not None
    assert (answer.llm.fallback is None) == answer.llm.used
    for text in partials:  # only checked sentences were shown, each with a marker and no markup
        assert "<passage" not in text and "&lt;" not in text
        assert all(re.search(r"\[\d+\]", s) for s in re.split(r"(?<=\.)\s+", text) if s)
    if answer.llm.used:
        assert partials[-1] == answer.answer
    else:
        assert partials == [] or answer.answer.startswith(partials[-1])


def test_a_refusal_does_not_wait_for_the_model(real_llm_settings, starmer_index):
    from bot.app import build_service

    answer = build_service(real_llm_settings, index=starmer_index).answer("what is the capital of France?")
    assert answer.llm.fallback == "not_asked" and answer.llm.seconds == 0
