"""The answerability gate's inputs on cached eval corpora, one JSON line per question, for fitting and
checking how the gate's confidence moves with the archive's size (one week's articles against nine weeks').

    python -m bot.evaluation.gate_rows WEEKS_DIR CACHE_DIR OUT.jsonl [--only W1,W2] [--small]
        [--multi 9 --multi-start 0,26] [--sample 20,40]

--only: one-week corpora (each asked its own questions and a distant week's uncovered ones); --small: also
each of those weeks' answerable questions asked of its one article (as `make train` does); --multi: corpora
of that many weeks from each start, asked their own questions and uncovered ones from 8 weeks after;
--sample: corpora of each --only week's first N articles (by file name), asked as the week is.
CACHE_DIR is `newsbot eval --index-cache`'s folder (a corpus is indexed there when missing). Each line: the
question, its label (1: the candidates hold the gold; 0: news the corpus lacks; null: neither), the gate's
QUESTION_FEATURES under the shipped models, its confidence, held/explained, and the corpus's size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from bot.answering.ranking import answerability
from bot.answering.ranking.answer_types import classify
from bot.answering.ranking.extractive import question_body
from bot.answering.ranking.learned import Learned, held_and_explained
from bot.answering.ranking.ranker import load
from bot.evaluation.runner import gold_in_corpus
from bot.evaluation.scoring import contains
from bot.evaluation.train import _example, answerable, collect_small, question_row, ranking
from bot.evaluation.weeks import distant_week, indexed, load_weeks, uncovered


def corpus_rows(corpus: tuple, name: str, asked: list, out) -> None:
    """Every (question, own, kind) of one indexed corpus (`indexed`'s settings and index) answered as
    `newsbot eval` answers it, its gate row written."""
    from bot.app import build_service

    service = build_service(*corpus)
    if service.learned is not None:  # the rows keep every question feature, weighed by today's gates or not
        service.learned = Learned(service.learned.models, full_rows=True)
    size = {"articles": service.index.article_count(), "chunks": service.index.word_counts(["the"])[1]}
    for n, (q, own, kind) in enumerate(asked, 1):
        if (judgement := judged(service, q)) is not None:
            out.write(json.dumps({"corpus": name, "kind": kind, "id": q.id, "question": q.question,
                                  **gate_row(service.index, q, own, judgement), **size}) + "\n")
            out.flush()
        print(f"{name} {n}/{len(asked)}", file=sys.stderr)


def judged(service, q):
    """The learned step's judgement of the answer the service gives (the widened plan's, when it widened)."""
    seen = []
    judge = service.judge
    service.judge = lambda *args: seen.append(judge(*args)) or seen[-1]
    try:
        service.respond(q.question, asked_on=q.asked_on)
    finally:
        del service.judge
    return seen[-1] if seen else None


def gate_row(index, q, own: bool, j) -> dict:
    """The label (1: a candidate holds the gold; 0: news the corpus lacks; None: neither), the gate's
    inputs and what the answer step decided."""
    label = False if not own else (True if gold_in_corpus(index, q.gold) and any(
        contains(c.text, q.gold) for c in j.ranked) else None)
    held, explained = held_and_explained(answerability.coverage_features(index, q.question), j.ranked, j.kind)
    return {"label": label, "p": j.verdict.confidence, "held": held, "explained": explained, "row": j.row}


def small_rows(settings, cache: Path, weeks, i: int, models, out) -> None:
    """Week i's answerable questions asked of their one article, and distant ones (train.collect_small)."""
    from bot.app import build_service

    service = build_service(*indexed(settings.override(NEWSBOT_RANKER="off"), cache, weeks[i].name,
                                     [weeks[i].articles]))
    service.weights = replace(service.weights, embed_top=settings.answer.embed_sentences)
    examples = [_example(service, i, q, True) for q in weeks[i].questions]
    for e in collect_small(weeks, i, examples, cache, settings):
        write_row(out, e, models, f"{weeks[i].name}-small", "small-own" if e.own else "small-distant",
                  {"articles": 1, "chunks": 0})


def write_row(out, e, models, corpus: str, kind: str, size: dict) -> None:
    """One inspected example's gate inputs under the shipped models, as a JSON line (one-article corpora)."""
    row, _, _ = question_row(e, models)
    p = models.confidence(row)
    ranked, _, _ = ranking(e, models.sentence)
    held, explained = held_and_explained(e.coverage, ranked, classify(question_body(e.question)))
    out.write(json.dumps({"corpus": corpus, "kind": kind, "id": e.qid, "question": e.question,
                          "label": answerable(e), "covered": e.covered, "p": p, "held": held,
                          "explained": explained, **size, "row": row}) + "\n")
    out.flush()


def sampled(settings, cache: Path, week, n: int) -> tuple[str, tuple]:
    """(name, index) of a week's first n articles (by file name): archives between one article and one week."""
    name = f"{week.name}-first{n}"
    folder = cache / f"{name}-articles"
    if not folder.is_dir():
        staging = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for path in sorted(p for p in week.articles.iterdir() if p.is_file())[:n]:
            shutil.copy(path, staging / path.name)
        staging.replace(folder)
    return name, indexed(settings, cache, name, [folder])


def many_weeks(settings, cache: Path, weeks: list, multi: int, out) -> None:
    """The first `multi` weeks indexed together: their own questions and uncovered ones from 8 weeks after."""
    chosen = weeks[:multi]
    name = f"{chosen[0].name}-{chosen[-1].name}"
    corpus = indexed(settings, cache, name, [w.articles for w in chosen])
    far = [q for w in weeks[multi - 1 + 8:] for q in w.questions]
    asked = [(q, True, "multi-own") for w in chosen for q in w.questions]
    asked += [(q, False, "multi-distant") for q in uncovered(far, corpus[1])]
    corpus_rows(corpus, name, asked, out)


def main(argv: list[str] | None = None) -> int:
    from bot.settings import Settings

    p = argparse.ArgumentParser(prog="python -m bot.evaluation.gate_rows")
    p.add_argument("weeks", type=Path)
    p.add_argument("cache", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--only", default="")
    p.add_argument("--multi", type=int, default=0)
    p.add_argument("--small", action="store_true", help="also one-article corpora (as make train does)")
    p.add_argument("--multi-start", default="0", help="the weeks (0: the first) the many-week corpora start at")
    p.add_argument("--sample", default="", help="also corpora of each --only week's first N articles (N,N,...)")
    args = p.parse_args(argv)
    settings, models, weeks = Settings(), load(), load_weeks(args.weeks)
    only = set(filter(None, args.only.split(",")))
    sizes = [int(n) for n in args.sample.split(",") if n]
    with args.out.open("a", encoding="utf-8") as out:
        for i, w in enumerate(weeks):
            if w.name not in only:
                continue
            for name, corpus in [(w.name, indexed(settings, args.cache, w.name, [w.articles])),
                                 *(sampled(settings, args.cache, w, n) for n in sizes)]:
                asked = [(q, True, "own") for q in w.questions]
                if (j := distant_week(i, len(weeks))) is not None:
                    asked += [(q, False, "distant") for q in uncovered(weeks[j].questions, corpus[1])]
                corpus_rows(corpus, name, asked, out)
            if args.small:
                small_rows(settings, args.cache, weeks, i, models, out)
        for start in map(int, args.multi_start.split(",") if args.multi else []):
            many_weeks(settings, args.cache, weeks[start:], args.multi, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
