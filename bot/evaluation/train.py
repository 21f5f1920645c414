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
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np

from bot.answering.ranking import answerability, features, shortanswer
from bot.answering.ranking.answer_types import classify
from bot.answering.ranking.extractive import Weights, question_body, recency
from bot.answering.ranking.learned import context, following, fused_order
from bot.answering.ranking.ranker import SHIPPED, Linear, Models, Trees
from bot.evaluation.runner import gold_in_corpus
from bot.evaluation.scoring import contains, short_answer_hit
from bot.evaluation.weeks import distant_week, load_weeks, uncovered

FOLDS = 4
GATE = features.GATE_FEATURES


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
    rows: tuple = field(repr=False)  # their SENTENCE_FEATURES by name
    labels: np.ndarray = field(repr=False)
    coverage: dict = field(default_factory=dict)
    dense1: float = 0.0
    nexts: dict = field(default_factory=dict, repr=False)  # each top sentence's next sentence (features use it)
    asked_on: object = None
    hand: np.ndarray = field(default=None, repr=False)  # each top sentence's hand-set score (Scores.hand)
    cosines: np.ndarray = field(default=None, repr=False)  # ... and its similarity to the question (Scores.cosine)


def fold_of(week: int, n_weeks: int) -> int:
    """A week and the week half a year away share a fold."""
    return (week % (n_weeks // 2)) % FOLDS


def collect(root: Path, cache: Path, settings, keep: Path | None = None) -> list[Example]:
    """Ask every week's own and uncovered distant questions with the hand-set ranker, keeping features.

    With `keep`, each week's examples are also kept there (our own local cache, never shipped) and reused.
    """
    weeks = load_weeks(root)
    out: list[Example] = []
    for i in range(len(weeks)):
        kept = keep / f"{weeks[i].name}.pkl" if keep else None
        if kept and kept.exists():
            out += pickle.loads(kept.read_bytes())
            continue
        examples = collect_week(weeks, i, cache, settings)
        examples += collect_small(weeks, i, examples, cache, settings)
        if kept:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_bytes(pickle.dumps(examples))
        out += examples
        print(f"collected {weeks[i].name}: {len(examples)} questions", file=sys.stderr)
    return out


def collect_week(weeks, i: int, cache: Path, settings) -> list[Example]:
    """Week i's corpus: its own questions and the distant week's uncovered ones."""
    from bot.app import build_service
    from bot.evaluation.weeks import indexed

    settings = settings.override(NEWSBOT_RANKER="off")
    service = build_service(*indexed(settings, cache, weeks[i].name, [weeks[i].articles]))
    service.weights = replace(service.weights, embed_top=settings.answer.embed_sentences)  # what the learned ranker will see
    j = distant_week(i, len(weeks))
    asked = [(q, True) for q in weeks[i].questions] + (
        [(q, False) for q in uncovered(weeks[j].questions, service.index)] if j is not None else [])
    return [_example(service, i, q, own) for q, own in asked]


SMALL_PER_WEEK = 6  # answerable questions per week asked again of their own article alone


def collect_small(weeks, i: int, examples: list[Example], cache: Path, settings) -> list[Example]:
    """The smallest archive: a week's answerable questions asked of the one article holding the answer,
    with distant uncovered questions asked of it too (a one-article index behaves unlike a week's)."""
    from bot.app import build_service
    from bot.evaluation.weeks import indexed

    settings = settings.override(NEWSBOT_RANKER="off")
    answerable_ones = [e for e in examples if e.own and e.covered and e.labels.any()][:SMALL_PER_WEEK]
    j = distant_week(i, len(weeks))
    out: list[Example] = []
    for n, e in enumerate(answerable_ones):
        article = e.top[int(np.argmax(e.labels))].passage.article_id
        folder = cache / "small" / weeks[i].name / article
        _write_article(cache / weeks[i].name, article, folder / "articles")
        service = build_service(*indexed(settings, folder, "index", [folder / "articles"]))
        service.weights = replace(service.weights, embed_top=settings.answer.embed_sentences)
        question = next(q for q in weeks[i].questions if q.id == e.qid)
        out.append(_example(service, i, question, True))
        others = uncovered(weeks[j].questions, service.index)[2 * n:2 * n + 2] if j is not None else []
        out += [_example(service, i, q, False) for q in others]
    return out


def _write_article(week_dir: Path, article_id: str, folder: Path) -> None:
    """One indexed article of a week's index, written back as a JSON article file."""
    import sqlite3

    folder.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(week_dir / "newsbot.sqlite3") as con:
        title, text, url, published, source = con.execute(
            "SELECT title, text, url, published, source FROM articles WHERE article_id = ?", (article_id,)).fetchone()
    (folder / f"{article_id}.json").write_text(json.dumps({"title": title, "text": text, "url": url,
                                                           "published": published, "source": source}))


def _example(service, week: int, q, own: bool) -> Example:
    """One question through retrieval and candidate scoring, with its feature rows and labels."""
    seen = service.inspect(q.question, q.asked_on)
    top = [seen.candidates[i] for i in seen.scores.top]
    nexts = following(seen.candidates, top)
    covered = own and gold_in_corpus(service.index, q.gold)
    dense1 = max((p.dense_score or 0.0 for p in seen.pool.passages[:3]), default=0.0)
    e = Example(week, q.id, q.gold, covered, own, q.question, top, (),
                np.array([contains(c.text, q.gold) for c in top], dtype=float),
                answerability.coverage_features(service.index, q.question), dense1, nexts, q.asked_on,
                seen.scores.hand[list(seen.scores.top)], seen.scores.cosine[list(seen.scores.top)])
    refresh_rows([e], service.weights)
    return e


def refresh_rows(examples: list[Example], weights) -> None:
    """Recompute every example's sentence features with the current code (cosines are kept from collection)."""
    for e in examples:
        fresh = recency({s.passage.published for s in e.top}, e.asked_on or date.today(), weights.recency,
                        weights.half_life_days)
        e.rows = features.sentence_rows(e.top, list(e.cosines), context(e.question, classify(question_body(e.question)),
                                                                         fresh, weights.recency), e.nexts)


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


# LightGBM's lambdarank: boosted trees learn which sentence ranks first per question (deterministic settings)
RANK_PARAMS = {"objective": "lambdarank", "learning_rate": 0.05, "num_leaves": 7, "min_data_in_leaf": 20,
               "deterministic": True, "force_row_wise": True, "seed": 0, "num_threads": 2, "verbose": -1}
RANK_ROUNDS = 150
# more of the question's words, or closer in meaning, never makes a sentence rank lower: without this the
# trees leaned on recency and cosine, and a sentence holding every question word lost to a vaguer one
MONOTONE = ("cosine", "cosine_rank", "overlap", "overlap_rank", "coverage", "pairs", "dense", "type_match")


def fit_ranker(groups: list[np.ndarray], labels: list[np.ndarray], names: tuple[str, ...],
               rounds: int = RANK_ROUNDS) -> Trees:
    """Lambdarank over groups of candidates (a group per question), as readable trees."""
    import lightgbm

    data = lightgbm.Dataset(np.vstack(groups), np.concatenate(labels), group=[len(g) for g in groups])
    params = {**RANK_PARAMS, "monotone_constraints": [1 if n in MONOTONE else 0 for n in names]}
    return Trees.from_lightgbm(lightgbm.train(params, data, num_boost_round=rounds), names)


def fit_models(train: list[Example]) -> tuple[Models, dict]:
    """Sentence ranker, then short answers and answerability on its scores."""
    ranked = [e for e in train if e.own and e.labels.any()]
    names = features.SENTENCE_FEATURES
    sentence = fit_ranker([features.matrix(e.rows, names) for e in ranked], [e.labels for e in ranked], names)
    short_rows, short_labels = [], []
    for e in train:
        for opt in _options(e, sentence) if e.covered else []:
            short_rows.append([opt.features[n] for n in shortanswer.SHORT_FEATURES])
            short_labels.append(short_answer_hit(opt.text, e.gold))
    short = fit(np.array(short_rows), np.array(short_labels, dtype=float), shortanswer.SHORT_FEATURES)
    models = Models(sentence, short, Linear(features.QUESTION_FEATURES, *_identity(len(features.QUESTION_FEATURES))))
    gate = [e for e in train if answerable(e) is not None]
    q_rows = features.matrix([question_row(e, models)[0] for e in gate], GATE)
    models.answerable = fit(q_rows, np.array([answerable(e) for e in gate], dtype=float), GATE, balanced=False)
    return models, {"sentences": int(sum(len(e.rows) for e in ranked)), "short_questions": len(short_rows),
                    "gate_questions": len(gate)}


def answerable(e: Example) -> bool | None:
    """The gate's label: the candidates hold the gold (1), or the question is about news the corpus lacks (0).

    A question whose gold string occurs in the corpus but in no candidate sentence is left out: most
    such strings stand in stories about something else ('India' in a list of countries), so it is
    neither a clear yes nor a clear no.
    """
    if not e.own:
        return False
    return True if e.covered and e.labels.any() else None


def _identity(n: int):
    return np.zeros(n), np.ones(n), np.zeros(n), 0.0


def _options(e: Example, sentence: Linear, models: Models | None = None):
    """Short-answer options of an example under a sentence model."""
    ranked, probs, _ = ranking(e, sentence)
    body = question_body(e.question)
    return shortanswer.options(answerability.distinctive_terms(body), body, classify(body), ranked, probs)


def ranking(e: Example, sentence) -> tuple[list, np.ndarray, np.ndarray]:
    """An example's candidates in the order the service ranks them (bot/answering/ranking/learned.py: fused_order),
    with their probabilities and cosines."""
    prob = sentence.prob(features.matrix(e.rows, sentence.features))
    order = fused_order(prob, e.hand)
    return [e.top[i] for i in order], prob[order], e.cosines[order]


def question_row(e: Example, models: Models) -> tuple[list[float], shortanswer.Option | None, float]:
    """The question-level features of an example under the models (and its best short option)."""
    ranked, probs, cosines = ranking(e, models.sentence)
    body = question_body(e.question)
    opts = _options(e, models.sentence)
    best, best_p = shortanswer.choose(opts, models.short, 0.0)
    together = answerability.together(body, ranked)
    row = answerability.question_row(probs, cosines, ranked, e.coverage, together, best_p, classify(body).factoid,
                                     any(o.sentence < 3 for o in opts), e.dense1)
    return row, best, best_p


REFUSE_ANSWERABLE = 0.05  # at most this share of answerable questions refused
TENTATIVE_UNCOVERED = 0.97  # a confident answer only above where nearly all uncovered questions lie
SHORT_PRECISION = 0.85  # bold only where this share is right (0.80 wanted, a margin for new weeks)


def thresholds(scored: list[tuple[Example, float, shortanswer.Option | None, float]]) -> dict[str, float]:
    """Refuse below where REFUSE_ANSWERABLE of answerable questions fall; tentative below where
    TENTATIVE_UNCOVERED of uncovered ones do; a short answer where SHORT_PRECISION of them are right."""
    found = sorted(p for e, p, *_ in scored if answerable(e))
    unc = sorted(p for e, p, *_ in scored if not e.own)
    refuse = found[int(REFUSE_ANSWERABLE * len(found))] if found else 0.5
    tentative = max(refuse, unc[int(TENTATIVE_UNCOVERED * (len(unc) - 1))] if unc else refuse)
    shorts = sorted(((sp, short_answer_hit(o.text, e.gold)) for e, _, o, sp, _ in scored if e.covered and o is not None),
                    reverse=True)
    best_t, best_hits, hits = 1.0, 0, 0
    for n, (sp, hit) in enumerate(shorts, 1):  # the lowest threshold whose short answers are still right enough
        hits += hit
        if hits / n >= SHORT_PRECISION and hits > best_hits:
            best_t, best_hits = sp, hits
    return {"refuse": float(refuse), "tentative": float(tentative), "short": float(best_t)}


def score_all(examples: list[Example], models: Models):
    """(example, answerability, short option, its probability, held together) for each example."""
    out = []
    for e in examples:
        row, opt, sp = question_row(e, models)
        p = float(models.answerable.prob(features.matrix([row], models.answerable.features))[0])
        ranked, _, _ = ranking(e, models.sentence)
        explain = not classify(question_body(e.question)).factoid
        out.append((e, p, opt, sp, answerability.held_together(e.coverage, ranked, explain=explain)))
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
    from bot.settings import Settings

    p = argparse.ArgumentParser(prog="python -m bot.evaluation.train", description=__doc__.split("\n")[0])
    p.add_argument("weeks", type=Path)
    p.add_argument("--index-cache", type=Path, default=Path("data/train-weeks"))
    p.add_argument("--out", type=Path, default=SHIPPED)
    p.add_argument("--folds-out", type=Path, help="also write each fold's models here (fold-K.json)")
    p.add_argument("--examples", type=Path, help="keep each week's collected examples in this folder and reuse them")
    args = p.parse_args(argv)
    settings = Settings()
    examples = collect(args.weeks, args.index_cache, settings, args.examples)
    refresh_rows(examples, Weights(recency=settings.retrieval.recency_weight, half_life_days=settings.retrieval.recency_half_life_days))
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
    found = [x for x in oof if answerable(x[0])]
    unc = [x for x in oof if not x[0].own]
    return {
        "covered": len(covered), "answerable": len(found), "uncovered": len(unc),
        "covered_refused": sum(p < t["refuse"] and not h for _, p, _, _, h in covered) / max(1, len(covered)),
        "answerable_refused": sum(p < t["refuse"] and not h for _, p, _, _, h in found) / max(1, len(found)),
        "uncovered_refused": sum(p < t["refuse"] and not h for _, p, _, _, h in unc) / max(1, len(unc)),
        "short_answer_covered": sum(o is not None and sp >= t["short"] and short_answer_hit(o.text, e.gold)
                                    for e, _, o, sp, _ in covered) / max(1, len(covered)),
    }


if __name__ == "__main__":
    sys.exit(main())
