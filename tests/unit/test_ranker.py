"""The shipped weights load, name their features, and score deterministically."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from bot.answering.ranking import features, ranker, shortanswer
from index.errors import ConfigError


def test_the_shipped_weights_name_the_features_the_code_computes():
    models = ranker.load()
    assert models.sentence.features == features.SENTENCE_FEATURES
    assert models.short.features == shortanswer.SHORT_FEATURES
    assert set(models.answerable.features) <= set(features.QUESTION_FEATURES)
    assert 0.0 < models.thresholds["refuse"] <= models.thresholds["tentative"] < 1.0
    assert models.meta["cv"]["covered"] > 100  # trained and cross-validated on the weekly quizzes
    assert models.archive is None or (set(models.archive.features) <= set(features.QUESTION_FEATURES)
                                      and 0.0 < models.thresholds["archive_refuse"] < 1.0)


def test_scores_are_deterministic_and_round_trip_through_json(tmp_path):
    models = ranker.load()
    rows = np.random.default_rng(0).normal(size=(5, len(features.SENTENCE_FEATURES)))
    first = models.sentence.prob(rows)
    assert np.array_equal(first, models.sentence.prob(rows)) and ((first > 0) & (first < 1)).all()
    copy = tmp_path / "copy.json"
    copy.write_text(models.to_json())
    assert np.allclose(ranker.load(copy).sentence.prob(rows), first, atol=1e-5)


def test_trees_score_each_row_by_the_leaf_it_reaches_as_lightgbm_decides():
    # x0 <= 1 goes left (equal included); a missing value goes right; a leaf-only tree adds to every row
    split = {"f": 0, "t": 1.0, "l": {"f": 1, "t": -2.0, "l": {"v": 0.5}, "r": {"v": 0.25}}, "r": {"v": -1.0}}
    trees = ranker.Trees(("a", "b"), [split, {"v": 0.125}])
    rows = np.array([[1.0, -2.0], [1.0, 0.0], [1.5, -9.0], [np.nan, -9.0], [-3.0, np.nan]])
    assert trees.raw(rows).tolist() == [0.625, 0.375, -0.875, -0.875, 0.375]
    assert trees.raw(np.zeros((0, 2))).tolist() == []


def test_the_shipped_trees_score_as_a_walk_down_each_tree_does():
    trees = ranker.load().sentence

    def walk(node: dict, x: np.ndarray) -> float:
        while "v" not in node:
            node = node["l"] if x[node["f"]] <= node["t"] else node["r"]
        return node["v"]

    rows = np.random.default_rng(1).normal(size=(30, len(trees.features))) * 2
    expected = [sum(walk(tree, x) for tree in trees.trees) for x in rows]
    assert np.allclose(trees.raw(rows), expected, rtol=0, atol=1e-12)


def test_a_bad_weights_file_names_the_setting(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"sentence": {}}))
    with pytest.raises(ConfigError, match="NEWSBOT_RANKER"):
        ranker.load(bad)


def test_weights_naming_a_feature_the_code_lacks_fail_clearly(tmp_path):
    from bot.answering.ranking.learned import Learned

    data = json.loads(ranker.load().to_json())
    gate = data["answerable"]["features"]
    gate["p_one"] = gate.pop("p1")  # a feature renamed in the weights, not in the code
    renamed = tmp_path / "renamed.json"
    renamed.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match=r"answerable features this code does not compute: p_one.*make train"):
        Learned(ranker.load(renamed), str(renamed))


def test_feature_rows_become_columns_in_the_order_the_weights_name():
    rows = [{"a": 1.0, "b": 2.0, "c": 3.0}, {"a": 4.0, "b": 5.0, "c": 6.0}]
    assert features.matrix(rows, ("c", "a")).tolist() == [[3.0, 1.0], [6.0, 4.0]]
    swapped = ranker.Linear(("b", "a"), np.zeros(2), np.ones(2), np.array([1.0, 0.0]), 0.0)
    # the weight on "b" reads b whatever order the code built the row in
    assert np.allclose(swapped.prob(features.matrix(rows, swapped.features)), 1 / (1 + np.exp(-np.array([2.0, 5.0]))))


def recalibration(gate_coef: float, pool_coef: float) -> dict:
    return {"intercept": 0.0, "features": {
        "gate_logit": {"mean": 0.0, "scale": 1.0, "coef": gate_coef},
        "pool_articles": {"mean": 1.0, "scale": 1.0, "coef": pool_coef}}}


def test_the_recalibrated_gate_reweighs_the_gates_log_odds_and_round_trips(tmp_path):
    from bot.answering.ranking.learned import Learned

    models = ranker.load()
    row = {n: 0.5 for n in features.QUESTION_FEATURES}
    p = replace(models, archive=None).confidence(row) if models.recalibrated is None else None
    data = json.loads(models.to_json())
    data.pop("archive", None)  # the archive gate's veto is tested on its own below
    data["recalibrated"] = recalibration(1.0, -1.0)
    path = tmp_path / "recalibrated.json"
    path.write_text(json.dumps(data))
    again = ranker.load(path)
    Learned(again, str(path))  # gate_logit is a feature the code computes
    gate = lambda r: float(again.answerable.prob(np.array([[r[n] for n in again.answerable.features]]))[0])
    base = gate(row)
    scattered = {**row, "pool_articles": 2.0}  # the best passages from many articles: less sure than the gate
    logit = np.log(gate(scattered) / (1 - gate(scattered)))
    assert np.isclose(again.confidence(scattered), 1 / (1 + np.exp(-(logit - 1.0))))
    assert again.confidence(scattered) < gate(scattered)
    assert again.confidence({**row, "pool_articles": 0.0}) > gate({**row, "pool_articles": 0.0})
    assert json.loads(again.to_json())["recalibrated"] == data["recalibrated"]
    if p is not None:  # without a recalibration, the confidence is the gate's own probability
        assert np.isclose(p, base)


def archive_gate(coef: float) -> dict:
    return {"intercept": 0.0, "features": {"cosine1": {"mean": 0.5, "scale": 0.1, "coef": coef}}}


def test_the_archive_gate_only_refuses_and_leaves_follow_ups_to_the_first_gate(tmp_path):
    from bot.answering.ranking.learned import Learned

    data = json.loads(ranker.load().to_json())
    data.pop("recalibrated", None)
    data["archive"] = archive_gate(4.0)
    data["thresholds"]["archive_refuse"] = 0.2
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(data))
    models = ranker.load(path)
    Learned(models, str(path))  # the archive gate names features the code computes
    first = replace(models, archive=None)
    close, far = ({n: 0.5 for n in features.QUESTION_FEATURES} | {"cosine1": c} for c in (0.7, 0.3))
    assert models.confidence(close) == first.confidence(close)  # above its bar: the first gate's confidence as it is
    refuse = models.thresholds["refuse"]
    assert models.confidence(far) < refuse and np.isclose(  # below: under the refusal bar, in proportion
        models.confidence(far), min(first.confidence(far), refuse * (1 / (1 + np.exp(8.0))) / 0.2))
    assert models.confidence(far, follow_up=True) == first.confidence(far)
    assert json.loads(models.to_json())["archive"] == data["archive"]
    del data["thresholds"]["archive_refuse"]
    path.write_text(json.dumps(data))
    ranker._load.cache_clear()
    with pytest.raises(ConfigError, match="archive_refuse"):
        ranker.load(path)


def test_phrases_are_looked_up_in_the_index_only_when_a_gate_weighs_them(tmp_path):
    from bot.answering.ranking.answerability import LOOKED_UP
    from bot.answering.ranking.learned import Learned

    shipped = ranker.load()
    assert not Learned(shipped).looked_up  # the shipped gates weigh none of them: none computed per question
    assert Learned(shipped, full_rows=True).looked_up  # gate rows for training keep every feature
    data = json.loads(shipped.to_json())
    data.pop("archive", None)
    data["archive"] = {"intercept": 0.0, "features": {"names_unknown": {"mean": 0.0, "scale": 1.0, "coef": -1.0}}}
    data["thresholds"]["archive_refuse"] = 0.2
    path = tmp_path / "weighs-names.json"
    path.write_text(json.dumps(data))
    assert "names_unknown" in LOOKED_UP and Learned(ranker.load(path), str(path)).looked_up
