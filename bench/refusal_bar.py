"""Refusals against the bar, offline: what refusing below confidence t would do to `newsbot eval --weeks --json
--per-question` runs (one week per corpus, and a `--multi` corpus when the run has one).

    python -m bench.refusal_bar RUN.json [RUN.json ...]

An answer counts as refused when it was refused or its confidence is below t. This approximates the answer
step (bot/answering/ranking/answerability.py `decide`: a question whose words stand together in one sentence
is never refused), so a bar chosen here is re-measured with `newsbot eval` before it ships; choose it on the
year the weights were fit on and read the other year's figures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

BARS = (0.0, 0.21, 0.3, 0.4, 0.5, 0.6, 0.7)
KINDS = (("one week", "own", "distant"), ("many weeks", "multi-own", "multi-distant"))


def refused(outcome: dict, bar: float) -> bool:
    """Refused as run, or answered below the bar."""
    return not outcome["answered"] or (outcome["confidence"] or 0.0) < bar


def figures(covered: list[dict], uncovered: list[dict], bar: float) -> str:
    """Covered refused / uncovered refused / first sentence holds the gold and is shown, at one bar."""
    def share(items, hit) -> str:
        return f"{sum(1 for o in items if hit(o)) / len(items):.3f}" if items else "–"

    return " / ".join((share(covered, lambda o: refused(o, bar)), share(uncovered, lambda o: refused(o, bar)),
                       share(covered, lambda o: o["first_gold"] and not refused(o, bar))))


def main(paths: list[str]) -> None:
    """One table per run and kind of corpus."""
    for path in paths:
        outcomes = json.loads(Path(path).read_text(encoding="utf-8"))["outcomes"]
        for label, own, distant in KINDS:
            covered = [o for o in outcomes if o["kind"] == own and o["answerable"]]
            uncovered = [o for o in outcomes if o["kind"] == distant]
            if not covered and not uncovered:
                continue
            print(f"\n{path}, {label}: {len(covered)} covered, {len(uncovered)} uncovered")
            print("| refuse below | covered refused / uncovered refused / first sentence |\n| ---: | --- |")
            for bar in BARS:
                print(f"| {bar:.2f} | {figures(covered, uncovered, bar)} |")


if __name__ == "__main__":
    main(sys.argv[1:])
