"""The learned models: logistic regressions over readable features, stored as JSON (no pickle).

Three models share one file (bot/answering/ranking/weights/ranker.json, rebuilt by `make train`): which
candidate sentence answers the question, which candidate span is the short answer, and whether the
answer holds what was asked (a calibrated probability, with the thresholds picked on held-out weeks).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from bot.answering.ranking.features import matrix
from index.errors import ConfigError

SHIPPED = Path(__file__).resolve().parent / "weights" / "ranker.json"


@dataclass
class Linear:
    """A standardised logistic regression: p = σ(((x − mean) / scale) · coef + intercept)."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def prob(self, rows: np.ndarray) -> np.ndarray:
        """Probabilities for rows of features (in `features` order)."""
        if len(rows) == 0:
            return np.zeros(0)
        z = ((np.asarray(rows, dtype=np.float64) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_dict(self) -> dict:
        """Readable JSON: one weight per named feature."""
        return {"intercept": round(float(self.intercept), 6),
                "features": {name: {"mean": round(float(m), 6), "scale": round(float(s), 6), "coef": round(float(c), 6)}
                             for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef)}}

    @classmethod
    def from_dict(cls, data: dict) -> Linear:
        names = tuple(data["features"])
        col = lambda key: np.array([data["features"][n][key] for n in names], dtype=np.float64)
        return cls(names, col("mean"), col("scale"), col("coef"), float(data["intercept"]))


@dataclass
class Trees:
    """Boosted trees (LightGBM's lambdarank, exported as plain JSON): p = σ(Σ tree(x)), evaluated here."""

    features: tuple[str, ...]
    trees: list[dict]  # nested {"f": feature, "t": threshold, "l": node, "r": node} or {"v": leaf value}

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The ensemble's score for each row (x[f] <= t goes left, as LightGBM decides): every tree a level at a
        time over arrays, not a Python call per node (a few ms of every answer)."""
        rows = np.asarray(rows, dtype=np.float64)
        out = np.zeros(len(rows))
        if not len(rows) or not self.trees:
            return out
        flat = self._flat
        node = np.tile(flat.roots, (len(rows), 1))  # (rows, trees): where each row stands in each tree
        at = np.arange(len(rows))[:, None]
        for _ in range(flat.depth):
            node = np.where(rows[at, flat.feature[node]] <= flat.threshold[node], flat.left[node], flat.right[node])
        leaves = flat.value[node]
        for t in range(leaves.shape[1]):  # tree by tree, so the sum is LightGBM's order to the last bit
            out += leaves[:, t]
        return out

    @cached_property
    def _flat(self) -> FlatTrees:
        """The trees as arrays, built on first use."""
        return FlatTrees.of(self.trees)

    def prob(self, rows: np.ndarray) -> np.ndarray:
        """A squashed score: for ranking and as an input to the calibrated models, not a probability itself."""
        if len(rows) == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-np.clip(self.raw(rows), -30, 30)))

    def to_dict(self) -> dict:
        return {"kind": "trees", "features": list(self.features), "trees": self.trees}

    @classmethod
    def from_dict(cls, data: dict) -> Trees:
        return cls(tuple(data["features"]), list(data["trees"]))

    @classmethod
    def from_lightgbm(cls, booster, names: tuple[str, ...]) -> Trees:
        """Keep only what scoring needs from a trained LightGBM booster's dump."""
        def node(n: dict) -> dict:
            if "leaf_value" in n:
                return {"v": round(float(n["leaf_value"]), 6)}
            assert n["decision_type"] == "<=", n["decision_type"]  # numerical splits only
            return {"f": int(n["split_feature"]), "t": float(n["threshold"]), "l": node(n["left_child"]),
                    "r": node(n["right_child"])}

        return cls(names, [node(t["tree_structure"]) for t in booster.dump_model()["tree_info"]])


@dataclass(frozen=True)
class FlatTrees:
    """Every node of every tree in arrays; a leaf points to itself, so walking past it stays there."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    depth: int

    @classmethod
    def of(cls, trees: list[dict]) -> FlatTrees:
        """Number the nodes depth first, tree after tree."""
        feature, threshold, left, right, value = [], [], [], [], []
        depth = 0

        def add(node: dict, level: int) -> int:
            nonlocal depth
            i = len(feature)
            feature.append(node.get("f", 0))
            threshold.append(node.get("t", np.inf))
            left.append(i)
            right.append(i)
            value.append(node.get("v", 0.0))
            if "v" in node:
                depth = max(depth, level)
            else:
                left[i], right[i] = add(node["l"], level + 1), add(node["r"], level + 1)
            return i

        roots = [add(tree, 0) for tree in trees]
        ints = lambda xs: np.asarray(xs, dtype=np.int64)  # noqa: E731
        return cls(ints(feature), np.asarray(threshold, dtype=np.float64), ints(left), ints(right),
                   np.asarray(value, dtype=np.float64), ints(roots), depth)


def _model(data: dict):
    """A Linear or a Trees model from its JSON."""
    return Trees.from_dict(data) if data.get("kind") == "trees" else Linear.from_dict(data)


@dataclass
class Models:
    """The sentence ranker, the short-answer scorer, answerability and its thresholds."""

    sentence: Linear | Trees
    short: Linear | Trees
    answerable: Linear
    thresholds: dict[str, float] = field(default_factory=dict)  # refuse, tentative, short
    meta: dict = field(default_factory=dict)  # what it was trained on, and its cross-validated figures
    # the gate's log-odds (GATE_LOGIT) weighed again with signals of the archive's size, fit on archives of one
    # article, one week and nine weeks (bot/evaluation/train_gate.py); None: the gate's probability as it is
    recalibrated: Linear | None = None
    # a second gate fit on archives of every size (train_gate --archive; its bar: thresholds["archive_refuse"]):
    # it can only refuse, so what the first gate answers on small archives and how it hedges stay as they are
    archive: Linear | None = None

    def confidence(self, row: dict[str, float], follow_up: bool = False) -> float:
        """The calibrated probability that the answer holds what was asked, from a question's features by name.

        follow_up: the archive gate learned from questions asked on their own; a follow-up's few words ("and
        what did Russia say?") are judged by the first gate alone."""
        p = float(self.answerable.prob(matrix([row], self.answerable.features))[0])
        if self.recalibrated is not None:
            both = {**row, GATE_LOGIT: gate_logit(p)}
            p = float(self.recalibrated.prob(matrix([both], self.recalibrated.features))[0])
        if self.archive is None or follow_up:
            return p
        q, bar = float(self.archive.prob(matrix([row], self.archive.features))[0]), self.thresholds["archive_refuse"]
        # below its own bar the archive gate refuses: the confidence goes under the refusal bar, in proportion
        return p if q >= bar else min(p, self.thresholds["refuse"] * q / bar)

    def to_json(self) -> str:
        """The weights file's text."""
        data = {"meta": self.meta, "thresholds": self.thresholds, "sentence": self.sentence.to_dict(),
                "short": self.short.to_dict(), "answerable": self.answerable.to_dict()}
        if self.recalibrated is not None:
            data["recalibrated"] = self.recalibrated.to_dict()
        if self.archive is not None:
            data["archive"] = self.archive.to_dict()
        return json.dumps(data, indent=1) + "\n"


GATE_LOGIT = "gate_logit"


def gate_logit(p: float) -> float:
    """log(p / (1 − p)), bounded."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def load(path: Path | None = None) -> Models:
    """The models in path (default: the shipped file); a missing or malformed file is a ConfigError."""
    return _load(str(path or SHIPPED))


@lru_cache(maxsize=8)
def _load(path: str) -> Models:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        recalibrated = Linear.from_dict(data["recalibrated"]) if "recalibrated" in data else None
        archive = Linear.from_dict(data["archive"]) if "archive" in data else None
        if archive is not None and "archive_refuse" not in data["thresholds"]:
            raise KeyError("thresholds.archive_refuse (the archive gate's bar)")
        return Models(_model(data["sentence"]), _model(data["short"]), Linear.from_dict(data["answerable"]),
                      dict(data["thresholds"]), dict(data.get("meta", {})), recalibrated, archive)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"cannot read the ranker weights {path} (NEWSBOT_RANKER): {exc}") from None
