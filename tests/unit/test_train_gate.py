"""The answerability gate refit on archives of every size (hand-built rows)."""

from __future__ import annotations

import json

import numpy as np

from bot.evaluation.train_gate import cross_validate, fit_gate, main, refused, size_of, thresholds, week_of

NAMES = ("p1", "dense1")


def row(corpus: str, kind: str, label, p1: float, dense1: float, held: bool = False) -> dict:
    return {"corpus": corpus, "kind": kind, "label": label, "held": held, "explained": False,
            "row": {"p1": p1, "dense1": dense1}}


def test_the_size_of_an_archive_is_read_from_the_kind_of_question():
    assert [size_of(row("w", k, True, 0, 0)) for k in ("own", "distant", "small-own", "multi-distant")] == [
        "one", "one", "small", "many"]
    assert size_of(row("20250117-first20", "own", True, 0, 0)) == "few"  # gate_rows --sample: a few dozen articles


def test_a_weeks_sampled_and_one_article_corpora_are_left_out_with_it():
    names = ["20250117", "20250117-small", "20250117-first20", "20250117-first50", "20250103-20250228"]
    assert [week_of(row(n, "own", True, 0, 0)) for n in names] == ["20250117"] * 4 + ["20250103-20250228"]


def test_refusals_hold_at_every_size_of_archive():
    # answerable rows score 0.5–0.9 on one week but 0.3–0.7 on many weeks: the bar follows the lower ones
    rows = [row("w1", "own", True, 0.5 + i / 50, 0.5) for i in range(20)]
    rows += [row("w1-w9", "multi-own", True, 0.3 + i / 50, 0.5) for i in range(20)]
    probs = np.array([r["row"]["p1"] for r in rows])
    t = thresholds(rows, probs)
    assert t["refuse"] == 0.3 + 1 / 50  # the 5% point of the many-week archive's answerable rows
    found = [refused(r, p, t) for r, p in zip(rows, probs)]
    assert sum(found[20:]) == 1 and sum(found[:20]) == 0


def test_sampled_corpora_do_not_set_the_bar():
    rows = [row("w1", "own", True, 0.5 + i / 50, 0.5) for i in range(20)]
    rows += [row("w1-first20", "own", True, 0.01 + i / 100, 0.5) for i in range(20)]  # noisy labels, low scores
    t = thresholds(rows, np.array([r["row"]["p1"] for r in rows]))
    assert t["refuse"] == 0.5 + 1 / 50


def test_a_question_whose_words_stand_together_is_never_refused():
    t = {"refuse": 0.5, "tentative": 0.6}
    assert refused(row("w", "own", False, 0, 0), 0.1, t)
    assert not refused(row("w", "own", False, 0, 0, held=True), 0.1, t)


def separable(n: int = 40) -> list[dict]:
    rng = np.random.default_rng(0)
    out = []
    for corpus, kind in (("w1", "own"), ("w2", "own"), ("w1-w9", "multi-own")):
        for i in range(n):
            label = i % 2 == 0
            out.append(row(corpus, kind if label else kind.replace("own", "distant"), label,
                           float(rng.normal(0.7 if label else 0.3, 0.05)), float(rng.normal(0.5, 0.1))))
    return out


def test_the_gate_learns_which_signal_separates_answerable_from_uncovered():
    gate = fit_gate(separable(), NAMES)
    weights = dict(zip(gate.features, gate.coef))
    assert weights["p1"] > 2 * abs(weights["dense1"])
    high, low = gate.prob(np.array([[0.8, 0.5], [0.2, 0.5]]))
    assert high > 0.9 and low < 0.1


def test_cross_validation_scores_each_corpus_with_a_gate_not_fit_on_it():
    cv = cross_validate(separable(), NAMES)
    assert set(cv) == {"one", "many"}
    assert cv["one"]["answerable"] == 40 and cv["many"]["uncovered"] == 20
    assert cv["many"]["uncovered_refused"] > 0.9 and cv["one"]["answerable_refused"] <= 0.1


def test_write_replaces_the_gate_and_its_bars_and_keeps_the_rest(tmp_path):
    rows_file = tmp_path / "rows.jsonl"
    rows_file.write_text("".join(json.dumps(r) + "\n" for r in separable() + [row("w1", "own", None, 0, 0)]))
    weights = tmp_path / "ranker.json"
    weights.write_text(json.dumps({"meta": {"trained_on": "x"}, "thresholds": {"refuse": 0.2, "short": 1.0},
                                   "sentence": {"kept": 1}, "answerable": {}}))
    assert main([str(rows_file), "--weights", str(weights), "--features", ",".join(NAMES), "--write"]) == 0
    data = json.loads(weights.read_text())
    assert data["sentence"] == {"kept": 1} and data["thresholds"]["short"] == 1.0
    assert set(data["answerable"]["features"]) == set(NAMES) and data["thresholds"]["refuse"] != 0.2
    assert data["meta"]["gate"]["rows"] == 120 and data["meta"]["trained_on"] == "x"


def test_archive_writes_a_second_gate_and_keeps_the_first_and_its_bars(tmp_path):
    rows_file = tmp_path / "rows.jsonl"
    rows_file.write_text("".join(json.dumps(r) + "\n" for r in separable()))
    weights = tmp_path / "ranker.json"
    first = {"intercept": 1.0, "features": {}}
    weights.write_text(json.dumps({"meta": {}, "thresholds": {"refuse": 0.2, "tentative": 0.5}, "answerable": first}))
    assert main([str(rows_file), "--weights", str(weights), "--features", ",".join(NAMES), "--archive", "--write"]) == 0
    data = json.loads(weights.read_text())
    assert data["answerable"] == first and data["thresholds"]["refuse"] == 0.2 and data["thresholds"]["tentative"] == 0.5
    assert set(data["archive"]["features"]) == set(NAMES) and 0 < data["thresholds"]["archive_refuse"] < 1
    assert data["meta"]["archive_gate"]["rows"] == len(separable())


def test_evidence_of_an_answer_never_counts_against_it():
    # all_in_one is nearly p1 plus noise that runs against the label: unbounded, its weight goes negative
    rng = np.random.default_rng(1)
    rows = []
    for i in range(200):
        label = i % 2 == 0
        p1 = float(rng.normal(0.7 if label else 0.4, 0.1))
        rows.append({"corpus": "w", "kind": "own", "label": label, "held": False, "explained": False,
                     "row": {"p1": p1, "all_in_one": p1 + (-0.08 if label else 0.08) + float(rng.normal(0, 0.01))}})
    gate = fit_gate(rows, ("p1", "all_in_one"))
    weights = dict(zip(gate.features, gate.coef))
    assert weights["all_in_one"] >= 0 and weights["p1"] > 0


def test_recalibrate_keeps_the_gate_and_weighs_its_log_odds_again(tmp_path):
    from bot.answering.ranking.features import QUESTION_FEATURES
    from bot.answering.ranking.ranker import load

    rng = np.random.default_rng(2)
    rows = []
    for corpus, kind in (("w1", "own"), ("w2", "own"), ("w1-w9", "multi-own")):
        for i in range(40):
            label = i % 2 == 0
            features = {n: float(rng.uniform(0, 1)) for n in QUESTION_FEATURES}
            features["pool_articles"] = float(rng.normal(1.0 if label else 2.5, 0.3))
            rows.append({"corpus": corpus, "kind": kind if label else kind.replace("own", "distant"), "label": label,
                         "held": False, "explained": False, "row": features})
    rows_file, weights = tmp_path / "rows.jsonl", tmp_path / "ranker.json"
    rows_file.write_text("".join(json.dumps(r) + "\n" for r in rows))
    shipped = load()
    weights.write_text(shipped.to_json())
    assert main([str(rows_file), "--weights", str(weights), "--recalibrate", "pool_articles", "--write"]) == 0
    again = load(weights)
    assert again.answerable.to_dict() == shipped.answerable.to_dict()  # the gate itself is kept
    assert again.recalibrated.features == ("gate_logit", "pool_articles")
    assert dict(zip(again.recalibrated.features, again.recalibrated.coef))["pool_articles"] < 0
