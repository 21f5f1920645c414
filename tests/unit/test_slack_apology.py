"""The one builder of Slack apologies: a refused question explained, anything else a reference found in the log."""

from __future__ import annotations

import dataclasses
import logging
import re

import pytest

from bot.slack.apology import apology, not_here, too_many
from index.errors import QuestionError


def failure(message: str) -> RuntimeError:
    """An exception with a traceback, as one caught in a listener has."""
    try:
        raise RuntimeError(message)
    except RuntimeError as exc:
        return exc


def test_unexpected_failure_gives_a_reference_logged_with_its_traceback(caplog):
    with caplog.at_level(logging.ERROR, logger="newsbot.slack"):
        sorry = apology(failure("index exploded <!channel>"), "answering")
    assert re.fullmatch(r"[0-9a-f]{8}", sorry.reference)
    assert sorry.text == f"Sorry, something went wrong while answering. Reference: {sorry.reference}"
    assert "exploded" not in sorry.text  # the cause stays in the log
    (record,) = caplog.records
    assert record.getMessage() == f"answering failed (reference {sorry.reference})"
    assert "index exploded" in caplog.text and "Traceback" in caplog.text
    assert sorry.blocks == [{"type": "section", "text": {"type": "plain_text", "text": sorry.text, "emoji": False}}]


def test_each_failure_gets_its_own_reference(caplog):
    refs = {apology(failure("boom"), "making the digest").reference for _ in range(20)}
    assert len(refs) == 20
    assert all(r.getMessage().startswith("making the digest failed (reference ") for r in caplog.records)


def test_refused_question_is_explained_without_a_reference_or_a_log_line(caplog):
    with caplog.at_level(logging.DEBUG, logger="newsbot.slack"):
        sorry = apology(QuestionError("the question is empty"), "answering")
    assert sorry.text == "Sorry, I can't answer that: the question is empty." and sorry.reference == ""
    assert caplog.records == []


def test_refusals_are_plain_apologies_and_frozen():
    busy = too_many(2, 60.0)
    assert busy.text == "You've asked 2 questions in the last 60 seconds. Please wait a moment and ask again."
    assert "/invite @newsbot" in not_here().text and not_here().reference == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        busy.text = "changed"
