"""The answerability gate refit on archives of every size: one article, a few dozen, one week, many weeks.

    python -m bot.evaluation.train_gate ROWS.jsonl [ROWS.jsonl ...] [--archive | --recalibrate FEATURES] [--write]

`make train` fits the gate on one-week corpora; as an archive grows, the signals it leans on (how close the
best sentence is, how many articles the best passages come from) move for questions about news the archive
lacks, and nine weeks of articles refused half as many of them as one week did. This fits the gate again on
rows collected by `python -m bot.evaluation.gate_rows` from corpora of every size of the fitted year,
prints leave-one-corpus-out figures by size, and with --write stores the model and its refusal thresholds in
a weights file (--weights, default the shipped one; the ranker and short answers are kept). With --archive
(what `make train` runs, and what ships) the gate is kept and the refit is stored beside it as a second gate
that can only refuse (`archive`, its bar `thresholds.archive_refuse`): where either refuses, the answer is
refused. With --recalibrate the gate is kept and its log-odds weighed again with a few signals of the archive's
size (`recalibrated`; tried on 2026-12-04, not shipped: docs/evaluation.md); with neither, the gate itself is refit.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

from bot.answering.ranking import features
from bot.answering.ranking.features import GATE_FEATURES
from bot.answering.ranking.ranker import GATE_LOGIT, SHIPPED, Linear, gate_logit

REFUSE_ANSWERABLE = 0.05  # at most this share of answerable questions refused, on archives of every size
# a confident answer only above where 90% of uncovered questions lie: at 0.97 (make train's one-week point) a third
# of answerable questions of the fitted year were hedged on one week's articles; at 0.90, 0.07 (0.05 before)
TENTATIVE_UNCOVERED = 0.90
SIZES = ("small", "few", "one", "many")
# the refusal bar holds at these sizes; a sampled corpus's "answerable" questions are noisy (the gold string can
# stand in a passage of another article while the one that answers was not drawn), so "few" trains and is
# reported but does not set the bar (with it, the bar fell to 0.03 and nine weeks refused 0.14 of uncovered)
BAR_SIZES = ("small", "one", "many")


def size_of(row: dict) -> str:
    """The archive a row was asked of: one article, a few dozen (gate_rows --sample), one week's or many weeks'."""
    if row["kind"].startswith("small"):
        return "small"
    if row["kind"].startswith("multi"):
        return "many"
    return "few" if "-first" in row["corpus"] else "one"


def week_of(row: dict) -> str:
    """The week a corpus was drawn from: its one-article and sampled corpora go with it in cross-validation."""
    return re.sub(r"-(small|first\d+)$", "", row["corpus"])


def labelled(rows: list[dict]) -> list[dict]:
    """Rows with a label (the candidates hold the gold, or the question is about news the corpus lacks)."""
    return [r for r in rows if r["label"] is not None]


# evidence of an answer never counts against it, nor a sign of missing news for it: on a few hundred rows the
# collinear signals (all_in_one, gidf_sentence) otherwise took opposite signs, and a follow-up whose every
# word stood in the best sentence was refused
POSITIVE = (GATE_LOGIT, "p1", "p2", "cosine1", "dense1", "all_in_one", "short_p", "type_in_top", "names_together",
            "gidf_passage", "gidf_sentence")
NEGATIVE = ("names_unknown", "words_unknown", "pairs_unknown", "pool_articles")
C = 1.0  # L2 strength, as train.fit's


def fit_gate(rows: list[dict], names: tuple[str, ...] = GATE_FEATURES) -> Linear:
    """A calibrated logistic regression (unweighted classes, L2) over the named question features, each
    weight's sign bounded as POSITIVE / NEGATIVE say."""
    from scipy.optimize import minimize

    x, y = matrix(rows, names), np.array([r["label"] for r in rows], dtype=float)
    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        logits = z @ w[:-1] + w[-1]
        p = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        nll = np.sum(np.logaddexp(0.0, logits) - y * logits)
        grad = np.append(z.T @ (p - y) + w[:-1] / C, np.sum(p - y))
        return nll + 0.5 * float(w[:-1] @ w[:-1]) / C, grad

    bounds = [(0, None) if n in POSITIVE else (None, 0) if n in NEGATIVE else (None, None) for n in names]
    w = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B", bounds=bounds + [(None, None)]).x
    return Linear(names, mean, scale, w[:-1], float(w[-1]))


def matrix(rows: list[dict], names: tuple[str, ...]) -> np.ndarray:
    """The named features of every collected row (bot/answering/ranking/features.py: matrix)."""
    return features.matrix([r["row"] for r in rows], names)


def thresholds(rows: list[dict], probs: np.ndarray) -> dict[str, float]:
    """Refuse below where REFUSE_ANSWERABLE of answerable questions fall in every size of BAR_SIZES (the
    lowest of the sizes' points); tentative below where TENTATIVE_UNCOVERED of uncovered ones do."""
    points = []
    for size in BAR_SIZES:
        found = sorted(p for r, p in zip(rows, probs) if r["label"] and size_of(r) == size)
        if found:
            points.append(found[int(REFUSE_ANSWERABLE * len(found))])
    refuse = min(points, default=0.5)
    unc = sorted(p for r, p in zip(rows, probs) if r["label"] is False)
    tentative = max(refuse, unc[int(TENTATIVE_UNCOVERED * (len(unc) - 1))] if unc else refuse)
    return {"refuse": float(refuse), "tentative": float(tentative)}


def refused(row: dict, p: float, t: dict) -> bool:
    """As bot/answering/ranking/answerability.py decides: below the bar, and its words not held together."""
    return p < t["refuse"] and not (row["held"] or row["explained"])


def figures(rows: list[dict], probs: np.ndarray, bars: list[dict]) -> dict:
    """Answerable refused and uncovered refused, by size of archive (each row against its own bars)."""
    out = {}
    for size in SIZES:
        picked = [(r, p, t) for r, p, t in zip(rows, probs, bars) if size_of(r) == size]
        found = [refused(r, p, t) for r, p, t in picked if r["label"]]
        unc = [refused(r, p, t) for r, p, t in picked if r["label"] is False]
        if picked:
            out[size] = {"answerable": len(found), "answerable_refused": round(float(np.mean(found or [0])), 3),
                         "uncovered": len(unc), "uncovered_refused": round(float(np.mean(unc or [0])), 3)}
    return out


def cross_validate(rows: list[dict], names: tuple[str, ...]) -> dict:
    """Leave one week out (its one-article and sampled corpora with it): each row scored by a gate not fit on it."""
    probs, bars = np.zeros(len(rows)), [None] * len(rows)
    for g in sorted({week_of(r) for r in rows}):
        train = [r for r in rows if week_of(r) != g]
        gate = fit_gate(train, names)
        t = thresholds(train, gate.prob(matrix(train, names)))
        for i, r in enumerate(rows):
            if week_of(r) == g:
                probs[i], bars[i] = gate.prob(matrix([r], names))[0], t
    return figures(rows, probs, bars)


def main(argv: list[str] | None = None) -> int:
    """Read the rows, print cross-validated figures, fit on all, and store with --write."""
    p = argparse.ArgumentParser(prog="python -m bot.evaluation.train_gate", description=__doc__.split("\n")[0])
    p.add_argument("rows", nargs="+", type=Path)
    p.add_argument("--weights", type=Path, default=SHIPPED)
    p.add_argument("--features", default=",".join(GATE_FEATURES), help="the question features to weigh")
    p.add_argument("--recalibrate", metavar="FEATURES",
                   help="keep the gate; weigh its log-odds again with these features (the recalibrated model)")
    p.add_argument("--archive", action="store_true",
                   help="keep the gate; store the refit as a second gate that can only refuse (`archive`)")
    p.add_argument("--write", action="store_true")
    args = p.parse_args(argv)
    names = tuple(args.features.split(","))
    rows = labelled([json.loads(line) for path in args.rows for line in path.read_text().splitlines() if line])
    if args.recalibrate:  # the gate's own log-odds on each row, from the weights it is kept in
        base = Linear.from_dict(json.loads(args.weights.read_text(encoding="utf-8"))["answerable"])
        for r in rows:
            r["row"][GATE_LOGIT] = gate_logit(float(base.prob(matrix([r], base.features))[0]))
        names = (GATE_LOGIT, *args.recalibrate.split(","))
    cv = cross_validate(rows, names)
    gate = fit_gate(rows, names)
    t = thresholds(rows, gate.prob(matrix(rows, names)))
    corpora = sorted({r["corpus"] for r in rows})
    meta = {"rows": len(rows), "corpora": corpora, "features": list(names), "thresholds": t, "cv": cv}
    print(json.dumps(meta, indent=1))
    if args.write:
        data = json.loads(args.weights.read_text(encoding="utf-8"))
        slot = "recalibrated" if args.recalibrate else "archive" if args.archive else "answerable"
        data[slot] = gate.to_dict()
        data["thresholds"].update({"archive_refuse": t["refuse"]} if args.archive else t)
        data["meta"]["archive_gate" if args.archive else "gate"] = meta
        args.weights.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
