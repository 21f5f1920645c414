"""Sentence rankers compared out of fold on the weekly quizzes: gold sentence first, and in the top 3.

    python -m bench.ranker_compare ../shared/eval/realtimeqa-train --index-cache data/train-weeks [--examples DIR]

Each fold's trees and logistic regression are fit on the other folds (bot/evaluation/train.py's folds);
beside them the hand-set score and the shipped ordering (trees' log-odds plus the hand-set score,
bot/answering/ranking/learned.py: fused_order). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path

import numpy as np


def hits(order: np.ndarray, labels: np.ndarray) -> tuple[bool, bool]:
    """Is a gold sentence first, and among the first three?"""
    return bool(labels[order[0]] > 0), bool(labels[order[:3]].any())


def compare(examples: list, n_weeks: int) -> dict:
    """Top-1 and top-3 shares per ranker over the answerable own-week examples."""
    from bot.answering import features
    from bot.answering.ranking.learned import HAND_WEIGHT
    from bot.evaluation import train

    own = [e for e in examples if e.own and e.labels.any()]
    names = features.SENTENCE_FEATURES
    rows = {id(e): features.matrix(e.rows, names) for e in own}
    tally = {k: [0, 0] for k in ("trees", "logistic", "hand_set", "fused")}
    for k in range(train.FOLDS):
        fit_on = [e for e in own if train.fold_of(e.week, n_weeks) != k]
        trees = train.fit_ranker([rows[id(e)] for e in fit_on], [e.labels for e in fit_on], names)
        logistic = train.fit(np.vstack([rows[id(e)] for e in fit_on]),
                             np.concatenate([e.labels for e in fit_on]).astype(float), names)
        for e in (e for e in own if train.fold_of(e.week, n_weeks) == k):
            raw, h = trees.raw(rows[id(e)]), e.hand
            for name, score in (("trees", raw), ("logistic", logistic.prob(rows[id(e)])), ("hand_set", h),
                                ("fused", raw + HAND_WEIGHT * h)):
                first, top3 = hits(np.argsort(-score), e.labels)
                tally[name][0] += first
                tally[name][1] += top3
    n = len(own)
    return {"questions": n, **{k: {"first": round(a / n, 3), "top3": round(b / n, 3)} for k, (a, b) in tally.items()}}


def main() -> None:
    """Collect (or reuse) the examples, then compare."""
    from bot.answering.ranking.extractive import Weights
    from bot.evaluation import train
    from bot.settings import Settings

    p = argparse.ArgumentParser(prog="python -m bench.ranker_compare")
    p.add_argument("weeks", type=Path)
    p.add_argument("--index-cache", type=Path, default=Path("data/train-weeks"))
    p.add_argument("--examples", type=Path, help="the per-week examples `make train --examples` keeps")
    args = p.parse_args()
    if args.examples and any(args.examples.glob("*.pkl")):  # our own cache of a collection pass, read as kept
        examples = [e for f in sorted(args.examples.glob("*.pkl")) for e in pickle.loads(f.read_bytes())]
    else:
        examples = train.collect(args.weeks, args.index_cache, Settings(), args.examples)
    train.refresh_rows(examples, Weights(recency=0.3, half_life_days=30))
    print(json.dumps(compare(examples, len(train.load_weeks(args.weeks)))))


if __name__ == "__main__":
    main()
