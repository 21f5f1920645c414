"""Calibrate the bold short answer's threshold from `newsbot eval --weeks … --json --per-question` runs.

    python -m bot.evaluation.calibrate run-2024.json [--exclude CORPUS,…] [--precision 0.85] [--write]

A bold answer is shown when the answer is sure (not tentative) and the short answer's probability clears
the threshold; this picks the lowest threshold at which the bold answers of the runs' questions (own and
uncovered: a bold answer to an uncovered question is a wrong one) are right at least `precision` of the
time (a margin above the 0.80 wanted), prints the curve, and with --write stores it in the shipped weights
(bot/answering/ranking/weights/ranker.json). Calibrate on runs of the year the weights were not fit on,
excluding (--exclude) the corpora the figures are reported on, so the bar is out of year and held out.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parents[1] / "answering" / "ranking" / "weights" / "ranker.json"


def held_in(outcomes: list[dict], exclude: frozenset[str]) -> list[dict]:
    """The outcomes outside the excluded corpora (those the figures are reported on)."""
    return [o for o in outcomes if o.get("corpus", "") not in exclude]


def shown_candidates(outcomes: list[dict]) -> list[tuple[float, bool]]:
    """(probability, right) of every short answer that would be bold at threshold 0: sure answers, any question."""
    return [(o["short_p"], bool(o["short_considered_hit"])) for o in outcomes
            if o["answered"] and not o["tentative"] and o.get("short_considered")]


def threshold_for(points: list[tuple[float, bool]], precision: float, min_shown: int = 20) -> tuple[float, int, int]:
    """The lowest threshold whose bold answers are right at least `precision` of the time: (t, shown, right)."""
    best = (1.0, 0, 0)
    shown = right = 0
    for p, hit in sorted(points, reverse=True):
        shown, right = shown + 1, right + hit
        if shown >= min_shown and right / shown >= precision and right > best[2]:
            best = (p, shown, right)
    return best


def curve(points: list[tuple[float, bool]], questions: int) -> list[str]:
    """Precision and coverage of the bold answer at a few thresholds."""
    lines = ["threshold  shown  share  right"]
    for t in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98):
        kept = [hit for p, hit in points if p >= t]
        share = len(kept) / questions if questions else 0.0
        lines.append(f"{t:9.2f}  {len(kept):5d}  {share:5.3f}  {sum(kept) / len(kept) if kept else 0:5.3f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Read the runs, print the curve and the threshold, and store it with --write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--exclude", default="", help="corpora (comma-separated names) held out for reporting")
    parser.add_argument("--precision", type=float, default=0.85)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    exclude = frozenset(c for c in args.exclude.split(",") if c)
    outcomes = held_in([o for run in args.runs for o in json.loads(run.read_text())["outcomes"]], exclude)
    covered = sum(1 for o in outcomes if o.get("kind", "own").endswith("own") and o["answerable"])
    points = shown_candidates(outcomes)
    print("\n".join(curve(points, covered)))
    t, shown, right = threshold_for(points, args.precision)
    print(f"threshold {t:.4f}: {shown} bold answers, {right} right ({right / max(shown, 1):.3f}); "
          f"shown on {shown / max(covered, 1):.3f} of {covered} covered questions")
    if args.write:
        weights = json.loads(WEIGHTS.read_text())
        weights["thresholds"]["short"] = t
        weights["meta"]["short_calibration"] = {"runs": [r.name for r in args.runs], "excluded": sorted(exclude),
                                                "precision": args.precision, "shown": shown, "right": right,
                                                "covered": covered}
        WEIGHTS.write_text(json.dumps(weights, indent=1) + "\n")
        print(f"wrote thresholds.short = {t:.4f} to {WEIGHTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
