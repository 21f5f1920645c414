"""Evaluation question sets: RealTimeQA-style quiz lines or simple {q, answerable, expect_any} lines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from index.dates import parse_day
from index.errors import BadInput


@dataclass
class Question:
    """One evaluation question: its gold strings (any may match) and whether it is answerable."""

    id: str
    question: str
    gold: list[str]
    answerable: bool | None = None  # None: decided by whether a gold string occurs in the articles
    asked_on: date | None = None  # the question's own date ('date' field): recency is relative to it


def load_questions(path: Path) -> list[Question]:
    """Read RealTimeQA-style ({question, gold}) or simple ({q, answerable, expect_any}) JSONL."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    out = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{path}:{lineno}: malformed JSON ({exc.msg})") from exc
        text = obj.get("question") or obj.get("q")
        if not isinstance(text, str) or not text.strip():
            raise BadInput(f"{path}:{lineno}: missing field 'question' (or 'q')")
        choices = obj.get("choices")
        if isinstance(choices, list) and choices:
            # a quiz question is asked as the quiz shows it: with its options
            text = f"{text.strip()} ({', '.join(map(str, choices))})"
        gold = obj.get("gold", obj.get("expect_any", []))
        gold = [gold] if isinstance(gold, str) else [g for g in gold if isinstance(g, str) and g]
        out.append(Question(str(obj.get("id", lineno)), text, gold, obj.get("answerable"),
                            parse_day(str(obj.get("date") or ""))))
    return out
