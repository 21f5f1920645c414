"""Shared pieces of the benchmarks: corpus, questions, timing, memory, percentiles."""

from __future__ import annotations

import json
import resource
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "eval" / "realtimeqa-dev"
KS = (1, 3, 5, 10)


def questions(path: Path | None = None):
    """The dev questions as newsbot's evaluator reads them (quiz options included)."""
    from bot.evaluate import load_questions

    return load_questions(path or CORPUS / "questions.jsonl")


def contains(text: str, gold: list[str]) -> bool:
    """Case-insensitive gold match."""
    low = text.lower()
    return any(g.lower() in low for g in gold)


def gold_ranks(ranked_texts: list[list[str]], qs) -> dict[str, float]:
    """Share of questions whose gold occurs in the top-k texts, for each k."""
    out = {}
    for k in KS:
        hits = sum(any(contains(t, q.gold) for t in texts[:k]) for texts, q in zip(ranked_texts, qs))
        out[str(k)] = hits / len(qs)
    return out


def percentiles(ms: list[float]) -> tuple[float, float]:
    """p50 and p95 of latencies in milliseconds."""
    s = sorted(ms)
    return statistics.median(s), s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def peak_mb() -> float:
    """Peak resident memory of this process in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict) -> None:
    """Hand a result to the orchestrator as the last line of stdout."""
    result["peak_mb"] = round(peak_mb(), 1)
    print(json.dumps(result), flush=True)
    sys.stdout.flush()
