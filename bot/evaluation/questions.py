"""Evaluation question sets: RealTimeQA-style quiz lines or simple {q, answerable, expect_any} lines.

Questions are asked bare, as people type them; a quiz's options are kept for the quiz form (--with-options).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from index.dates import parse_day
from index.errors import BadInput

TAG = re.compile(r"<[^<>]{0,500}>")


@dataclass
class Question:
    """One evaluation question: its gold strings (any may match) and whether it is answerable."""

    id: str
    question: str
    gold: list[str]
    answerable: bool | None = None  # None: decided by whether a gold string occurs in the articles
    asked_on: date | None = None  # the question's own date ('date' field): recency is relative to it
    choices: list[str] = field(default_factory=list)  # a quiz's options (asked only with --with-options)

    def text(self, with_options: bool = False) -> str:
        """The question as a user types it, or (with_options) as the quiz shows it, options appended."""
        if with_options and self.choices:
            return f"{self.question} ({', '.join(self.choices)})"
        return self.question


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
        choices = [plain_text(str(c)) for c in choices] if isinstance(choices, list) else []
        gold = obj.get("gold", obj.get("expect_any", []))
        gold = [gold] if isinstance(gold, str) else [g for g in gold if isinstance(g, str) and g]
        out.append(Question(str(obj.get("id", lineno)), plain_text(text), [plain_text(g) for g in gold],
                            obj.get("answerable"), parse_day(str(obj.get("date") or "")), choices))
    return out


def plain_text(text: str) -> str:
    """Quiz text as a person reads it: tags a web export left in ('<a href=…>France</a>') removed."""
    return html.unescape(TAG.sub("", text)).strip()
