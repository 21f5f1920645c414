"""Quiz questions held as conversations: each asked on its day, then followed by turns that name nothing.

    python -m bench.conversations ../shared/eval/realtimeqa-2024 DATA_DIR 20240216,20240301,20240315,20240329 40

DATA_DIR is an index holding those weeks' articles (e.g. the nine-week data dir `newsbot eval --multi 9
--index-cache` built). Counts, per follow-up, the turns answered, hedged and refused, the "more" turns that
repeated a sentence already shown, and errors: what the scripted conversations of the tests cannot show at scale.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

FOLLOW_UPS = ("tell me more", "why?", "what did they say?", "who is involved?", "go on")
MORE = {"tell me more", "go on"}


def sentences(answer: str) -> list[str]:
    """The sentences of an answer's text (a hedge's opening and the citation marks left out)."""
    from bot.answering.models import HEDGE

    return [s.strip() for s in re.split(r"\[\d+\]", answer.removeprefix(HEDGE)) if s.strip()]


def outcome(answer) -> str:
    """answered, hedged or refused."""
    return "refused" if not answer.answered else "hedged" if answer.tentative else "answered"


def converse(service, question, counts: Counter) -> None:
    """One quiz question and the follow-ups, each with the conversation so far."""
    from bot.answering.models import Turn

    history: list[Turn] = []
    for text in (question.question, *FOLLOW_UPS):
        answer = service.answer(text, history=history, asked_on=question.asked_on)
        counts[f"{text if text in FOLLOW_UPS else 'the quiz question'} | {outcome(answer)}"] += 1
        shown = " ".join(t.answer for t in history)
        if text in MORE and answer.answered and any(s in shown for s in sentences(answer.answer)):
            counts[f"{text} | repeated a sentence"] += 1
        history.append(Turn.of(text, answer))  # as chat keeps it


def main(argv: list[str] | None = None) -> int:
    """Hold the conversations and print the counts as JSON."""
    from bot.app import build_service
    from bot.evaluation.weeks import load_weeks
    from bot.settings import Settings

    root, data_dir, names, n = (argv or sys.argv[1:])[:4]
    service = build_service(Settings().override(NEWSBOT_DATA_DIR=Path(data_dir)))
    questions = [q for w in load_weeks(Path(root)) if w.name in names.split(",") for q in w.questions]
    random.Random(7).shuffle(questions)
    counts: Counter = Counter()
    for q in questions[: int(n)]:
        try:
            converse(service, q, counts)
        except Exception as e:  # a conversation that breaks is the finding, not the end of the run
            counts[f"error {type(e).__name__}"] += 1
    print(json.dumps(dict(sorted(counts.items())), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
