"""A query-side linear adapter on the embeddings, fit on one year's quizzes and measured on the other's.

    python -m bench.adapter --fit ../shared/eval/realtimeqa-train --measure ../shared/eval/realtimeqa-2024 \
        --measure-weeks 20240216,20240329,20240510,20240621 --index-cache /tmp/cache-2024  # copies of data dirs
    python -m bench.adapter --fit ../shared/eval/realtimeqa-2024 --measure ../shared/eval/realtimeqa-train \
        --measure-weeks 20250131,20250321,20250509,20250530  # these weeks' chunks embedded here, cached

Pairs: each question with a sentence of its week's articles that holds the gold as whole words (the one
sharing most of its words) and, as hard negatives, the week's sentences without the gold that share most.
The adapter moves only the question's vector, q' = normalize(q + U Vᵀ q), so the archive is never
re-embedded. Measured as the share of the held-out year's questions whose gold is in the top k of their
week's chunks by dense search alone. It lost both ways (docs/evaluation.md), so nothing in bot/ uses it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.evaluation.questions import Question
from bot.evaluation.scoring import contains, gold_rank
from bot.evaluation.weeks import Week, load_weeks
from index.text import query_terms, split_sentences

NEGATIVES = 8
TAU = 0.05
GRID = [(8, 1e-2), (16, 1e-2), (16, 1e-1), (32, 1e-1)]  # (rank, ridge weight), chosen by weeks of the fitted year


@dataclass
class Pairs:
    """Questions with their answering sentence and hard negatives, as vectors, and each one's week."""

    q: np.ndarray  # n × d
    pos: np.ndarray  # n × d
    neg: np.ndarray  # n × NEGATIVES × d
    week: np.ndarray  # n week indexes


def one_thread() -> None:
    """ONNX Runtime sessions opened from now on use a single thread (the machine is shared)."""
    import onnxruntime as ort

    base = ort.SessionOptions

    class OneThread(base):
        def __init__(self):
            super().__init__()
            self.intra_op_num_threads = 1
            self.inter_op_num_threads = 1

    ort.SessionOptions = OneThread


def embedder():
    """The project's embedder, as the index makes it (same model, backend and vectors as Chroma holds)."""
    from bot.settings import Settings
    from index.embedding import make_embedder

    return make_embedder(Settings())


def embed_cached(texts: list[str], path: Path) -> np.ndarray:
    """Vectors of texts, kept in an npz by text hash so a second run embeds nothing it has seen."""
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path) as data:
            known = dict(zip(data["keys"].tolist(), data["vecs"]))
    missing = list(dict.fromkeys(k for k in keys if k not in known))
    if missing:
        text_of = dict(zip(keys, texts))
        vecs = embedder().encode([text_of[k] for k in missing])
        known.update(zip(missing, vecs))
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, keys=np.array(list(known)), vecs=np.stack(list(known.values())))
    return np.stack([known[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)


def articles_of(week: Week) -> list:
    """The week's articles, read as `newsbot index` reads them."""
    from index.loaders import iter_files, load_file

    return [a for _, f in iter_files([week.articles]) for a in load_file(f).articles]


def sentences_of(articles: list) -> list[str]:
    """The distinct sentences of the articles, as the index splits them (very short and very long ones left out)."""
    out = [a.text[s:e] for a in articles for s, e in split_sentences(a.text)]
    return list(dict.fromkeys(s for s in out if 30 <= len(s) <= 600))


def week_pairs(question: Question, sentences: list[str], words: list[set[str]]) -> tuple[str, list[str]] | None:
    """The question's answering sentence (gold as whole words, most shared words) and its hard negatives."""
    if not question.gold or contains(question.question, question.gold):
        return None
    terms = set(query_terms(question.question))
    order = sorted(range(len(sentences)), key=lambda i: -len(terms & words[i]))
    needles = [g.strip().lower() for g in question.gold if g.strip()]
    gold = [i for i in order if any(n in sentences[i].lower() for n in needles) and contains(sentences[i], question.gold)]
    if not gold:
        return None
    negatives = [sentences[i] for i in order[:4 * NEGATIVES] if i not in gold][:NEGATIVES]
    return (sentences[gold[0]], negatives) if len(negatives) == NEGATIVES else None


def pair_texts(root: Path, cache: Path) -> dict:
    """A year's pairs as texts (question, sentence, negatives, week), kept as JSON under cache/."""
    path = cache / f"pairs-{root.name}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    out: dict = {"q": [], "pos": [], "neg": [], "week": []}
    for w, week in enumerate(load_weeks(root)):
        sentences = sentences_of(articles_of(week))
        words = [set(query_terms(s)) for s in sentences]
        for q in week.questions:
            found = week_pairs(q, sentences, words)
            if found:
                out["q"].append(q.question), out["pos"].append(found[0]), out["neg"].extend(found[1])
                out["week"].append(w)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out), encoding="utf-8")
    return out


def build_pairs(root: Path, cache: Path) -> Pairs:
    """Every week's pairs of a year, embedded (cached under cache/)."""
    texts = pair_texts(root, cache)
    store = cache / f"sentences-{root.name}.npz"
    vq, vp, vn = (embed_cached(texts[key], store) for key in ("q", "pos", "neg"))
    return Pairs(vq, vp, vn.reshape(len(vq), NEGATIVES, -1), np.array(texts["week"]))


@dataclass
class Adapter:
    """q' = normalize(q + U Vᵀ q): a low-rank move of the question's vector only."""

    u: np.ndarray  # d × r
    v: np.ndarray  # d × r

    def apply(self, q: np.ndarray) -> np.ndarray:
        """Adapted, normalised vectors of the rows of q."""
        out = q + (q @ self.v) @ self.u.T
        return out / np.linalg.norm(out, axis=-1, keepdims=True)


def fit(p: Pairs, rank: int, ridge: float, epochs: int = 20, seed: int = 0) -> Adapter:
    """Contrastive fit (in-batch and hard negatives, temperature TAU), ridge on U Vᵀ toward the identity."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    q, pos, neg = (torch.tensor(a, dtype=torch.float32) for a in (p.q, p.pos, p.neg))
    u = torch.zeros(q.shape[1], rank, requires_grad=True)
    v = (0.01 * torch.randn(q.shape[1], rank)).requires_grad_()
    opt = torch.optim.Adam([u, v], lr=5e-3)
    for _ in range(epochs):
        for batch in torch.randperm(len(q)).split(64):
            qa = torch.nn.functional.normalize(q[batch] + (q[batch] @ v) @ u.T, dim=-1)
            logits = torch.cat([qa @ pos[batch].T, torch.einsum("bd,bhd->bh", qa, neg[batch])], 1) / TAU
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            loss = loss + ridge * ((u @ v.T) ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return Adapter(u.detach().numpy(), v.detach().numpy())


def sentence_top1(p: Pairs, keep: np.ndarray, adapter: Adapter | None) -> float:
    """Share of the kept pairs whose answering sentence is nearest among all kept sentences of its week."""
    q = adapter.apply(p.q[keep]) if adapter else p.q[keep]
    hits = 0
    for i, w in enumerate(p.week[keep]):
        same = p.week[keep] == w
        pool = np.concatenate([p.pos[keep][same], p.neg[keep][same].reshape(-1, p.q.shape[1])])
        own = int(np.flatnonzero(same).tolist().index(i))
        hits += int(np.argmax(pool @ q[i]) == own)
    return hits / max(1, len(q))


def choose(p: Pairs, folds: int = 4) -> tuple[tuple[int, float] | None, dict]:
    """The (rank, ridge) of GRID with the best top-1 on held-out weeks of the fitted year (None: none beats off)."""
    scores: dict = {"off": 0.0}
    for fold in range(folds):
        test = p.week % folds == fold
        scores["off"] += sentence_top1(p, test, None) / folds
        for rank, ridge in GRID:
            train = Pairs(p.q[~test], p.pos[~test], p.neg[~test], p.week[~test])
            key = f"r{rank} ridge{ridge:g}"
            scores[key] = scores.get(key, 0.0) + sentence_top1(p, test, fit(train, rank, ridge)) / folds
    best = max(scores, key=scores.get)
    chosen = None if best == "off" else GRID[[f"r{r} ridge{x:g}" for r, x in GRID].index(best)]
    return chosen, {k: round(s, 4) for k, s in scores.items()}


def cached_index_chunks(data_dir: Path) -> tuple[list[str], np.ndarray]:
    """Chunk texts and their stored vectors from a newsbot data dir (a copy: opening it may write)."""
    from bot.settings import Settings
    from index.store import open_index

    index = open_index(Settings().override(NEWSBOT_DATA_DIR=data_dir))
    try:
        with index.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT chunk_id, text FROM chunks").all()
        vectors = index.vectors([r[0] for r in rows])
    finally:
        index.close()
    rows = [r for r in rows if r[0] in vectors]
    return [r[1] for r in rows], np.array([vectors[r[0]] for r in rows], dtype=np.float32)


def week_chunks(week: Week, index_cache: Path | None, cache: Path) -> tuple[list[str], np.ndarray]:
    """The week's chunks and vectors: from its cached index when there is one, else chunked and embedded here."""
    if index_cache and (index_cache / week.name / "chroma").is_dir():
        return cached_index_chunks(index_cache / week.name)
    from bot.settings import Settings
    from index.chunking import chunk_article
    from index.store import embed_text

    idx = Settings().index
    chunks = [c for a in articles_of(week) for c in chunk_article(a, idx.chunk_chars, idx.chunk_overlap_sentences)]
    vectors = embed_cached([embed_text(c, idx.embed_title) for c in chunks], cache / f"chunks-{week.name}.npz")
    return [c.text for c in chunks], vectors


def dense_ranks(questions: list[Question], qv: np.ndarray, texts: list[str], cv: np.ndarray) -> list[int | None]:
    """Rank (1-10) of the first of the top-10 chunks by cosine holding the question's gold, or None."""
    tops = np.argsort(-(qv @ cv.T), axis=1)[:, :10]
    return [gold_rank([texts[i] for i in top], q.gold) for q, top in zip(questions, tops)]


def shares(ranks: list[int | None]) -> dict[str, float]:
    """Share of questions with the gold in the top 5 and top 10 chunks."""
    n = max(1, len(ranks))
    return {f"top{k}": round(sum(1 for r in ranks if r and r <= k) / n, 3) for k in (5, 10)}


def measure(root: Path, names: set[str], index_cache: Path | None, cache: Path, adapter: Adapter) -> dict:
    """Dense gold-in-top-k over the chosen weeks' chunks, without and with the adapter (covered questions)."""
    base, adapted, weeks = [], [], []
    for week in (w for w in load_weeks(root) if w.name in names):
        texts, cv = week_chunks(week, index_cache, cache)
        qs = [q for q in week.questions if q.gold and any(contains(t, q.gold) for t in texts)]
        qv = embed_cached([q.question for q in qs], cache / f"questions-{root.name}.npz")
        base += dense_ranks(qs, qv, texts, cv)
        adapted += dense_ranks(qs, adapter.apply(qv), texts, cv)
        weeks.append(f"{week.name} ({len(texts)} chunks, {len(qs)} covered)")
    return {"weeks": weeks, "n": len(base), "off": shares(base), "adapter": shares(adapted)}


def weights_text(adapter: Adapter, meta: dict) -> str:
    """The adapter as readable JSON: what it is and its figures first, then U and V one row a line."""
    head = json.dumps(meta, indent=2)[:-2]
    rows = {name: ",\n    ".join(json.dumps([round(float(x), 6) for x in row]) for row in m)
            for name, m in (("u", adapter.u), ("v", adapter.v))}
    return head + f',\n  "u": [\n    {rows["u"]}\n  ],\n  "v": [\n    {rows["v"]}\n  ]\n}}\n'


def run(args: argparse.Namespace) -> tuple[dict, Adapter]:
    """Fit on one year, choose rank and ridge on its weeks, measure on the other year; the report."""
    fitted = build_pairs(args.fit, args.cache)
    chosen, cv = choose(fitted)
    rank, ridge = chosen or GRID[0]
    adapter = fit(fitted, rank, ridge)
    held = build_pairs(args.measure, args.cache)
    everything = np.ones(len(held.q), dtype=bool)
    return {"fitted_on": args.fit.name, "pairs": len(fitted.q), "rank": rank, "ridge": ridge,
            "chosen_by_weeks_of_fitted_year": cv, "cv_beats_off": chosen is not None,
            "measured_on": args.measure.name, "held_out_pairs": len(held.q),
            "held_out_sentence_top1": {"off": round(sentence_top1(held, everything, None), 3),
                                       "adapter": round(sentence_top1(held, everything, adapter), 3)},
            "held_out_chunks_dense": measure(args.measure, set(args.measure_weeks.split(",")), args.index_cache,
                                             args.cache, adapter)}, adapter


def main(argv: list[str] | None = None) -> None:
    """Command line: fit, measure, print the figures as JSON; --write stores the adapter with them."""
    ap = argparse.ArgumentParser(prog="python -m bench.adapter", description=__doc__.split("\n")[0])
    ap.add_argument("--fit", type=Path, required=True, help="year folder of weekly quizzes to fit on")
    ap.add_argument("--measure", type=Path, required=True, help="the other year's folder")
    ap.add_argument("--measure-weeks", required=True, help="comma-separated week names of the other year")
    ap.add_argument("--index-cache", type=Path, help="folder of per-week data dirs (copies) with their chunk vectors")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsbot-adapter"), help="embedded sentences and chunks")
    ap.add_argument("--write", type=Path, help="write the adapter and its figures to this file")
    args = ap.parse_args(argv)
    one_thread()
    report, adapter = run(args)
    print(json.dumps(report, indent=2))
    if args.write:
        from bot.settings import Settings

        meta = {"what": "newsbot query adapter: q' = normalize(q + U V^T q), applied to question vectors only",
                "model": Settings().index.embedding_label, "dimension": int(adapter.u.shape[0]), **report}
        args.write.write_text(weights_text(adapter, meta), encoding="utf-8")


if __name__ == "__main__":
    main()
