"""`make train`: learn the ranker, short-answer and answerability weights from the weekly quizzes.

    python -m bot.evaluation.train ../shared/eval/realtimeqa-train [--index-cache DIR] [--out FILE]

Each week's corpus is indexed alone (or reused from --index-cache); its own questions, and a
distant week's questions whose gold that corpus lacks (uncovered), are asked bare. Folds pair each
week with the week it is asked across from, so a held-out fold's questions were never trained on.
The script prints cross-validated figures by fold, then fits on every week and writes the weights
file (thresholds picked on out-of-fold predictions).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from bot.answering import answerability, features, shortanswer
from bot.answering.answer_types import classify
from bot.answering.extractive import question_body, recency
from bot.answering.learned import context, following
from bot.answering.ranker import SHIPPED, Linear, Models
from bot.evaluation.runner import gold_in_corpus
from bot.evaluation.scoring import contains, short_answer_hit
from bot.evaluation.weeks import distant_week, load_weeks, uncovered

FOLDS = 4


@dataclass
class Example:
    """One asked question: its candidates' features and labels, and its question-level inputs."""

    week: int
    qid: str
    gold: list[str]
    covered: bool  # gold in the corpus; False for a distant week's uncovered question
    own: bool
    question: str
    top: list = field(repr=False)  # the embedded candidate sentences
    rows: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)
    coverage: dict = field(default_factory=dict)
    dense1: float = 0.0


def fold_of(week: int, n_weeks: int) -> int:
    """A week and the week half a year away share a fold."""
    return (week % (n_weeks // 2)) % FOLDS


def collect(root: Path, cache: Path, settings) -> list[Example]:
    """Ask every week's own and uncovered distant questions with the hand-set ranker, keeping features."""
    from bot.app import build_service
    from bot.evaluation.weeks import indexed

    weeks = load_weeks(root)
    settings = settings.model_copy(update={"ranker": "off"})
    out: list[Example] = []
    for i, week in enumerate(weeks):
        service = build_service(*indexed(settings, cache, week.name, [week.articles]))
        service.weights.embed_top = settings.embed_sentences  # what the learned ranker will see
        j = distant_week(i, len(weeks))
        asked = [(q, True) for q in week.questions] + (
            [(q, False) for q in uncovered(weeks[j].questions, service.index)] if j is not None else [])
        for q, own in asked:
            out.append(_example(service, i, q, own))
        print(f"collected {week.name}: {len(asked)} questions", file=sys.stderr)
    return out


def _example(service, week: int, q, own: bool) -> Example:
    """One question through retrieval and candidate scoring, with its feature rows and labels."""

    req = service.inspect(q.question, q.asked_on)
    w = service.weights
    fresh = recency({s.passage.published for s in req.top}, q.asked_on or date.today(), w.recency, w.half_life_days)
    ctx = context(q.question, classify(question_body(q.question)), fresh, w.recency)
    rows = features.sentence_matrix(req.top, ctx, following(req.sentences, req.top))
    labels = np.array([contains(s.text, q.gold) for s in req.top], dtype=float)
    covered = own and gold_in_corpus(service.index, q.gold)
    dense1 = max((p.dense_score or 0.0 for p in req.retrieval.passages[:3]), default=0.0)
    return Example(week, q.id, q.gold, covered, own, q.question, req.top, rows, labels,
                   answerability.coverage_features(service.index, q.question), dense1)


def fit(rows: np.ndarray, labels: np.ndarray, names: tuple[str, ...], c: float = 1.0,
        balanced: bool = True) -> Linear:
    """A standardised, L2-regularised logistic regression (scikit-learn), as readable weights.

    Rankers see both classes weighted alike; the answerability gate is fit unweighted, so its
    probability stays calibrated.
    """
    from sklearn.linear_model import LogisticRegression

    mean, scale = rows.mean(0), rows.std(0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None)
    model.fit((rows - mean) / scale, labels)
    return Linear(names, mean, scale, model.coef_[0], float(model.intercept_[0]))


def fit_models(train: list[Example]) -> tuple[Models, dict]:
    """Sentence ranker, then short answers and answerability on its probabilities."""
    ranked = [e for e in train if e.own and e.labels.any()]
    sentence = fit(np.vstack([e.rows for e in ranked]), np.concatenate([e.labels for e in ranked]),
                   features.SENTENCE_FEATURES)
    short_rows, short_labels = [], []
    for e in train:
        if e.covered:
            for opt in _options(e, sentence):
                short_rows.append(opt.features)
                short_labels.append(short_answer_hit(opt.text, e.gold))
    short = fit(np.array(short_rows), np.array(short_labels, dtype=float), shortanswer.SHORT_FEATURES)
    models = Models(sentence, short, Linear(features.QUESTION_FEATURES, *_identity(len(features.QUESTION_FEATURES))))
    gate = [e for e in train if e.covered or not e.own]
    q_rows = np.array([question_row(e, models)[0] for e in gate])
    models.answerable = fit(q_rows, np.array([e.covered for e in gate], dtype=float), features.QUESTION_FEATURES,
                            balanced=False)
    return models, {"sentences": int(sum(len(e.rows) for e in ranked)), "short_options": len(short_rows),
                    "gate_questions": len(gate)}


def _identity(n: int):
    return np.zeros(n), np.ones(n), np.zeros(n), 0.0


def _options(e: Example, sentence: Linear, models: Models | None = None):
    """Short-answer options of an example under a sentence model."""
    probs = sentence.prob(e.rows)
    order = np.argsort(-probs)
    ranked = [e.top[i] for i in order]
    body = question_body(e.question)
    return shortanswer.options(answerability.distinctive_terms(body), body, classify(body), ranked, probs[order])


def question_row(e: Example, models: Models) -> tuple[list[float], shortanswer.Option | None, float]:
    """The question-level features of an example under the models (and its best short option)."""
    probs = models.sentence.prob(e.rows)
    order = np.argsort(-probs)
    ranked = [e.top[i] for i in order]
    body = question_body(e.question)
    opts = _options(e, models.sentence)
    best, best_p = shortanswer.choose(opts, models.short, 0.0)
    together = answerability.together(body, ranked)
    row = answerability.question_row(probs[order], ranked, e.coverage, together, best_p, classify(body).factoid,
                                     any(o.sentence < 3 for o in opts), e.dense1)
    return row, best, best_p


def thresholds(scored: list[tuple[Example, float, shortanswer.Option | None, float]]) -> dict[str, float]:
    """Refuse where ≤ 4% of covered questions fall; tentative below where 85% of uncovered ones lie;
    a short answer where it is right more often than wrong."""
    covered = sorted(p for e, p, _, _ in scored if e.covered)
    unc = sorted(p for e, p, _, _ in scored if not e.own)
    refuse = covered[int(0.04 * len(covered))] if covered else 0.5
    tentative = max(refuse, unc[int(0.85 * (len(unc) - 1))] if unc else refuse)
    shorts = [(sp, short_answer_hit(o.text, e.gold)) for e, _, o, sp in scored if e.covered and o is not None]
    best_t, best_gain = 1.0, 0.0
    for t in np.linspace(0.05, 0.95, 19):
        gain = sum(1 if hit else -1 for sp, hit in shorts if sp >= t)
        if gain > best_gain:
            best_t, best_gain = float(t), gain
    return {"refuse": float(refuse), "tentative": float(tentative), "short": best_t}


def score_all(examples: list[Example], models: Models):
    """(example, answerability, short option, its probability) for each example."""
    out = []
    for e in examples:
        row, opt, sp = question_row(e, models)
        out.append((e, float(models.answerable.prob(np.array([row]))[0]), opt, sp))
    return out


def cross_validate(examples: list[Example], n_weeks: int) -> tuple[list, list[Models]]:
    """Out-of-fold scores (each example under the models not trained on its fold) and the fold models."""
    oof, fold_models = [], []
    for k in range(FOLDS):
        train = [e for e in examples if fold_of(e.week, n_weeks) != k]
        test = [e for e in examples if fold_of(e.week, n_weeks) == k]
        models, _ = fit_models(train)
        models.thresholds = thresholds(score_all(train, models))
        fold_models.append(models)
        oof += score_all(test, models)
    return oof, fold_models


def main(argv: list[str] | None = None) -> int:
    """Collect, cross-validate by fold, fit on every week, write the weights."""
    from index.settings import Settings

    p = argparse.ArgumentParser(prog="python -m bot.evaluation.train", description=__doc__.split("\n")[0])
    p.add_argument("weeks", type=Path)
    p.add_argument("--index-cache", type=Path, default=Path("data/train-weeks"))
    p.add_argument("--out", type=Path, default=SHIPPED)
    p.add_argument("--folds-out", type=Path, help="also write each fold's models here (fold-K.json)")
    p.add_argument("--examples", type=Path, help="keep the collected examples in this local file and reuse them")
    args = p.parse_args(argv)
    if args.examples and args.examples.exists():
        examples = pickle.loads(args.examples.read_bytes())  # our own cache, made below, never shipped
    else:
        examples = collect(args.weeks, args.index_cache, Settings())
        if args.examples:
            args.examples.write_bytes(pickle.dumps(examples))
    n_weeks = len(load_weeks(args.weeks))
    oof, fold_models = cross_validate(examples, n_weeks)
    models, sizes = fit_models(examples)
    models.thresholds = thresholds(oof)
    models.meta = {"trained_on": str(args.weeks.name), "weeks": n_weeks, "examples": len(examples), **sizes,
                   "cv": _cv_figures(oof)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(models.to_json())
    if args.folds_out:
        args.folds_out.mkdir(parents=True, exist_ok=True)
        for k, m in enumerate(fold_models):
            (args.folds_out / f"fold-{k}.json").write_text(m.to_json())
    print(json.dumps(models.meta, indent=1))
    return 0


def _cv_figures(oof) -> dict:
    """Out-of-fold figures at the shipped thresholds: refusals and short answers."""
    t = thresholds(oof)
    covered = [x for x in oof if x[0].covered]
    unc = [x for x in oof if not x[0].own]
    return {
        "covered": len(covered), "uncovered": len(unc),
        "covered_refused": sum(p < t["refuse"] for _, p, _, _ in covered) / max(1, len(covered)),
        "uncovered_refused": sum(p < t["refuse"] for _, p, _, _ in unc) / max(1, len(unc)),
        "short_answer_covered": sum(o is not None and sp >= t["short"] and short_answer_hit(o.text, e.gold)
                                    for e, _, o, sp in covered) / max(1, len(covered)),
    }


if __name__ == "__main__":
    sys.exit(main())
