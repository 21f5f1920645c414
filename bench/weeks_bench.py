"""Bare questions by week, cross-validated: every quiz week asked of its own corpus by models not trained on it.

    python -m bench.weeks_bench ../shared/eval/realtimeqa-train CACHE_DIR [--multi 9] [--out FILE] [--with-options]

The weights are fit fold by fold (bot/evaluation/train.py: a week and the week it is asked across
from share a fold); each question is answered by the fold's models that never saw its week. Asked
bare (and with the quiz's options with --with-options); beside it, the hand-set scores of earlier releases and the
tutorial pipeline on the same bare questions. Prints one JSON object (the figures BENCHMARKS.md shows).
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
from pathlib import Path

from bot.evaluation.scoring import top_k_shares


def fold_models(root: Path, cache: Path) -> list[Path]:
    """Each fold's weights (fit once, then kept in cache/folds/)."""
    from bot.evaluation import train
    from bot.settings import Settings

    folds = cache / "folds"
    paths = [folds / f"fold-{k}.json" for k in range(train.FOLDS)]
    if all(p.exists() for p in paths):
        return paths
    examples_file = cache / "examples.pkl"
    if examples_file.exists():
        examples = pickle.loads(examples_file.read_bytes())  # our own cache of the collection pass
    else:
        examples = train.collect(root, cache, Settings())
        examples_file.write_bytes(pickle.dumps(examples))
    _, models = train.cross_validate(examples, len(train.load_weeks(root)))
    folds.mkdir(parents=True, exist_ok=True)
    for path, m in zip(paths, models):
        path.write_text(m.to_json())
    return paths


def cv_corpus_factory(settings, cache: Path, week_names: list[str], paths: list[Path] | None):
    """open_corpus for run_weeks: each question answered by its fold's models (None: the hand-set scores)."""
    from bot.app import build_service
    from bot.evaluation.train import fold_of
    from bot.evaluation.weeks import Corpus, indexed

    def open_corpus(name: str, dirs: list[Path]) -> Corpus:
        corpus_settings, index = indexed(settings, cache, name, dirs)
        if paths is None:
            service = build_service(corpus_settings.override(NEWSBOT_RANKER="off"), index)
            return Corpus(index, lambda q: service)
        services = [build_service(corpus_settings.override(NEWSBOT_RANKER=str(p)), index) for p in paths]
        return Corpus(index, lambda q: services[fold_of(week_names.index(q.id.split("_")[0]), len(week_names))])

    return open_corpus


def figures(tagged) -> dict:
    """The figures of one run, by kind of question."""
    from bot.evaluation.weeks import summarize_weeks

    out = {}
    for kind, r in summarize_weeks(tagged).items():
        out[kind] = {k: v for k, v in r.to_dict().items() if k != "outcomes"}
    return out


def main(argv: list[str] | None = None) -> int:
    """Cross-validated, hand-set and tutorial figures on the weekly quizzes."""
    from bot.evaluation.weeks import load_weeks, run_weeks
    from bot.settings import Settings

    p = argparse.ArgumentParser(prog="python -m bench.weeks_bench")
    p.add_argument("weeks", type=Path)
    p.add_argument("cache", type=Path)
    p.add_argument("--multi", type=int, default=9)
    p.add_argument("--out", type=Path)
    p.add_argument("--with-options", action="store_true", help="also ask each week's questions with their options")
    args = p.parse_args(argv)
    weeks = load_weeks(args.weeks)
    names = [w.name for w in weeks]
    paths = fold_models(args.weeks, args.cache)
    settings = Settings()
    result = {}
    runs = [("learned", paths, False), ("hand_set", None, False)]
    if args.with_options:  # the quiz form by week too (the dev slice's quiz form is in make bench already)
        runs.insert(1, ("learned_with_options", paths, True))
    for label, fold_paths, options in runs:
        tagged = run_weeks(weeks, cv_corpus_factory(settings, args.cache, names, fold_paths), options,
                           multi=args.multi)
        result[label] = figures(tagged)
        print(f"weeks bench: {label} done", file=sys.stderr)
    result["tutorial"] = tutorial(args.weeks, args.cache)
    text = json.dumps(result)
    if args.out:
        args.out.write_text(text)
    print(text)
    return 0


def tutorial(root: Path, cache: Path) -> dict:
    """The tutorial pipeline's gold in top-k on the same bare questions (bench/tutorial_weeks.py, cached)."""
    ranks_file = cache / "tutorial-ranks.json"
    if not ranks_file.exists():
        subprocess.run([sys.executable, "-m", "bench.tutorial_weeks", str(root), str(ranks_file)], check=True)
    ranks = json.loads(ranks_file.read_text())
    return {"questions": len(ranks), "gold_in_top_k": top_k_shares(list(ranks.values()))}


if __name__ == "__main__":
    sys.exit(main())
