"""The query-side adapter again, fit on chunk pairs: each question with the indexed chunk that holds its gold.

    python -m bench.adapter_chunks --fit ../evalcache/2025 --fit-root ../shared/eval/realtimeqa-train \
        --measure ../evalcache/2024 --measure-root ../shared/eval/realtimeqa-2024

`--fit` and `--measure` are folders of data dirs that `newsbot eval --index-cache` built (one per week, or
"FIRST-LAST" for several weeks indexed together); every chunk vector is read from them, so nothing is embedded
but the questions. bench.adapter fit (question, sentence) pairs and lost on chunks; here the positive is the chunk
holding the gold (whole words) that shares most of the question's words, and the negatives are the chunks without
it that dense search ranks highest for the question (what the adapter has to push down). Rank and ridge are
chosen on held-out weeks of the fitted year by dense gold-in-top-5; the other year is measured by the same.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from bench.adapter import NEGATIVES, Adapter, Pairs, cached_index_chunks, embed_cached, fit, one_thread
from bot.evaluation.scoring import contains
from bot.evaluation.weeks import load_weeks
from index.text import query_terms

GRID = [(8, 1e-2), (16, 1e-2), (16, 1e-1), (32, 1e-1), (16, 1.0)]


def corpora(cache: Path, root: Path) -> list[tuple[Path, list]]:
    """(data dir, its weeks' questions) for every cached week or run of weeks under cache."""
    weeks = load_weeks(root)
    names = [w.name for w in weeks]
    out = []
    for d in sorted(p for p in cache.iterdir() if (p / "chroma").is_dir()):
        first, _, last = d.name.partition("-")
        if first not in names or (last and last not in names):
            continue
        span = weeks[names.index(first): names.index(last or first) + 1]
        out.append((d, [q for w in span for q in w.questions]))
    return out


def corpus_rows(questions: list, texts: list[str], cv: np.ndarray, qv: np.ndarray) -> list[dict]:
    """Per covered question: its gold chunks, its positive (most shared words) and its hard negatives."""
    words = [set(query_terms(t)) for t in texts]
    lower = [t.lower() for t in texts]
    rows = []
    for qi, (q, v) in enumerate(zip(questions, qv)):
        if not q.gold or contains(q.question, q.gold):
            continue
        needles = [g.strip().lower() for g in q.gold if g.strip()]
        gold = [i for i, t in enumerate(texts) if any(n in lower[i] for n in needles) and contains(t, q.gold)]
        if not gold:
            continue
        sims = cv @ v
        terms = set(query_terms(q.question))
        pos = max(gold, key=lambda i: (len(terms & words[i]), sims[i]))
        golden = set(gold)
        neg = [int(i) for i in np.argsort(-sims)[: 4 * NEGATIVES] if int(i) not in golden][:NEGATIVES]
        rows.append({"qi": qi, "gold": gold, "pos": pos, "neg": neg})
    return rows


def load(cache: Path, root: Path, qcache: Path) -> list[dict]:
    """Every corpus of a year: chunk vectors, question vectors, and per-question rows."""
    out = []
    for k, (d, questions) in enumerate(corpora(cache, root)):
        texts, cv = cached_index_chunks(d)
        qv = embed_cached([q.question for q in questions], qcache / f"questions-{root.name}.npz")
        rows = corpus_rows(questions, texts, cv, qv)
        out.append({"name": d.name, "cv": cv, "qv": qv[[r["qi"] for r in rows]], "rows": rows, "group": k})
        print(f"{d.name}: {len(texts)} chunks, {len(rows)} covered questions", flush=True)
    return out


def pairs_of(corpus_list: list[dict]) -> Pairs:
    """The contrastive pairs of these corpora (group = corpus, for folds)."""
    q, pos, neg, grp = [], [], [], []
    for c in corpus_list:
        for v, r in zip(c["qv"], c["rows"]):
            if len(r["neg"]) == NEGATIVES:
                q.append(v), pos.append(c["cv"][r["pos"]]), neg.append(c["cv"][r["neg"]]), grp.append(c["group"])
    return Pairs(np.array(q), np.array(pos), np.array(neg), np.array(grp))


def top5(corpus_list: list[dict], adapter: Adapter | None, k: int = 5) -> tuple[int, int]:
    """(questions with a gold chunk in the dense top k, questions) over these corpora."""
    hits = n = 0
    for c in corpus_list:
        if not c["rows"]:
            continue
        qv = adapter.apply(c["qv"]) if adapter else c["qv"]
        tops = np.argsort(-(qv @ c["cv"].T), axis=1)[:, :k]
        for top, r in zip(tops, c["rows"]):
            hits += bool(set(top.tolist()) & set(r["gold"]))
            n += 1
    return hits, n


def choose(fitted: list[dict], folds: int = 4) -> tuple[tuple[int, float] | None, dict]:
    """The (rank, ridge) with the most gold in the top 5 on held-out corpora of the fitted year."""
    scores = {"off": 0}
    for fold in range(folds):
        test = [c for c in fitted if c["group"] % folds == fold]
        train = pairs_of([c for c in fitted if c["group"] % folds != fold])
        scores["off"] += top5(test, None)[0]
        for rank, ridge in GRID:
            key = f"r{rank} ridge{ridge:g}"
            scores[key] = scores.get(key, 0) + top5(test, fit(train, rank, ridge))[0]
    best = max(scores, key=lambda s: (scores[s], s == "off"))
    chosen = None if best == "off" else GRID[[f"r{r} ridge{x:g}" for r, x in GRID].index(best)]
    return chosen, scores


def main(argv: list[str] | None = None) -> None:
    """Fit on one year's cached corpora, choose by its held-out corpora, measure on the other year's; JSON out."""
    ap = argparse.ArgumentParser(prog="python -m bench.adapter_chunks", description=__doc__.split("\n")[0])
    ap.add_argument("--fit", type=Path, required=True, help="folder of the fitted year's cached data dirs")
    ap.add_argument("--fit-root", type=Path, required=True, help="the fitted year's quiz folder")
    ap.add_argument("--measure", type=Path, required=True, help="folder of the other year's cached data dirs")
    ap.add_argument("--measure-root", type=Path, required=True, help="the other year's quiz folder")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsbot-adapter"), help="embedded questions")
    args = ap.parse_args(argv)
    one_thread()
    fitted = load(args.fit, args.fit_root, args.cache)
    chosen, cv = choose(fitted)
    rank, ridge = chosen or GRID[0]
    adapter = fit(pairs_of(fitted), rank, ridge)
    held = load(args.measure, args.measure_root, args.cache)
    report = {"fitted_on": [c["name"] for c in fitted], "pairs": len(pairs_of(fitted).q), "rank": rank,
              "ridge": ridge, "cv_top5": cv, "cv_beats_off": chosen is not None,
              "measured_on": len(held), "held_out_top5": {"off": top5(held, None), "adapter": top5(held, adapter)},
              "held_out_top10": {"off": top5(held, None, 10), "adapter": top5(held, adapter, 10)}}
    print(json.dumps(report, indent=2))
    np.savez(args.cache / f"adapter-{args.fit_root.name}.npz", u=adapter.u, v=adapter.v)


if __name__ == "__main__":
    main()
