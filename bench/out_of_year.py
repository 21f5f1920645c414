"""Issue 24's headline figures: the shipped weights (fit on 2025) asked 2024's report weeks, 2025's beside them.

    python -m bench.out_of_year CACHE_2024 CACHE_2025

Each year: `newsbot eval --weeks … --only REPORT --multi 9 --index-cache CACHE --json` (bare questions, each on
its quiz date; a distant week's questions as the uncovered ones; the first nine weeks in one index) and the
tutorial pipeline on the same weeks' own questions (`bench.tutorial_weeks`), scored by the same code. Prints one
JSON line: {year: {"fit": bool, "figures": {kind: report}, "tutorial": {k: share}}}.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT
from bot.evaluation.scoring import top_k_shares

SHARED = ROOT.parent / "shared" / "eval"
# the report weeks of issue 24's tables (docs/evaluation.md): the same four weeks in every run
REPORT = {"2024": ("realtimeqa-2024", "20240216,20240329,20240510,20240621"),
          "2025": ("realtimeqa-train", "20250117,20250131,20250307,20250404")}
FIT_YEAR = "2025"  # the shipped weights' (bot/answering/ranking/weights/ranker.json)


def newsbot_figures(root: Path, weeks: str, cache: Path) -> dict:
    """`newsbot eval`'s figures by kind of question (own, distant, multi-own, multi-distant)."""
    cmd = [sys.executable, "-m", "bot.cli", "eval", "--weeks", str(root), "--only", weeks, "--multi", "9",
           "--index-cache", str(cache), "--json"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return {kind: {k: v for k, v in r.items() if k != "outcomes"} for kind, r in report.items() if isinstance(r, dict)}


def tutorial_top_k(root: Path, weeks: str) -> dict[str, float]:
    """The tutorial pipeline's gold in top-k over the weeks' own questions (as newsbot's `gold_in_top_k`)."""
    with tempfile.TemporaryDirectory(prefix="newsbot-oy-") as tmp:
        out = Path(tmp) / "ranks.json"
        subprocess.run([sys.executable, "-m", "bench.tutorial_weeks", str(root), str(out), weeks], cwd=ROOT,
                       capture_output=True, text=True, check=True)
        ranks = json.loads(out.read_text())
    return top_k_shares(list(ranks.values()))  # newsbot eval's own count


def main(argv: list[str] | None = None) -> int:
    """Both years' figures, the tutorial's beside them, as one JSON line."""
    caches = dict(zip(REPORT, (Path(a) for a in (argv or sys.argv[1:])[:2])))
    out = {}
    for year, (folder, weeks) in REPORT.items():
        root = SHARED / folder
        caches[year].mkdir(parents=True, exist_ok=True)
        out[year] = {"fit": year == FIT_YEAR, "weeks": weeks, "figures": newsbot_figures(root, weeks, caches[year]),
                     "tutorial": tutorial_top_k(root, weeks)}
        print(f"out of year: {year} done", file=sys.stderr)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
