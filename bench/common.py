"""Shared pieces of the benchmarks: corpus, questions, memory; scoring is `bot.evaluation.scoring`, as for `newsbot eval`."""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "eval" / "realtimeqa-dev"


def questions(path: Path | None = None):
    """The dev questions as newsbot's evaluator reads them (quiz options included)."""
    from bot.evaluation.questions import load_questions

    return load_questions(path or CORPUS / "questions.jsonl")


def peak_mb() -> float:
    """Peak resident memory of this process in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict) -> None:
    """Hand a result to the orchestrator as the last line of stdout."""
    result["peak_mb"] = round(peak_mb(), 1)
    print(json.dumps(result), flush=True)
    sys.stdout.flush()
