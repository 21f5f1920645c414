"""`newsbot eval`: answer a question set (or a folder of quiz weeks) and print its figures."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bot.evaluation.questions import load_questions
from bot.evaluation.runner import evaluate, format_table
from bot.settings import Settings
from bot.terminal.progress import progress_bar
from index.errors import BadInput


def run_eval(args, settings: Settings) -> int:
    """Answer a question set, or every week of a weeks folder, and print the figures."""
    if args.weeks:
        return _run_weeks(args, settings)
    if not args.questions:
        raise BadInput("give a questions file, or --weeks DIR")
    from bot.app import build_service

    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory(prefix="newsbot-eval-") as tmp:
        if args.articles:
            settings = settings.override(NEWSBOT_DATA_DIR=Path(tmp))
            _index_for_eval(settings, args.articles)
        service = build_service(settings)
        with progress_bar("evaluating", enabled=sys.stderr.isatty(), lines=True) as advance:
            report = evaluate(service, questions, progress=advance, with_options=args.with_options)
    if args.json:
        print(json.dumps(report.to_dict(per_question=args.per_question), ensure_ascii=False))
        return 0
    print(format_table(report))
    if args.per_question:
        for o in report.outcomes:
            _print_outcome(o)
    return 0


def _print_outcome(o, corpus: str = "") -> None:
    """One question's line: ✓ / ✗ / refused, the gold's passage rank, latency, short answer."""
    mark = "✓" if o.gold_in_answer else ("refused" if not o.answered else "✗")
    short = f" → {o.short_answer}" if o.short_answer else ""
    where = f"{corpus} " if corpus else ""
    print(f"{mark:8} {where}rank={o.gold_rank or '-':<3} {o.latency_ms:6.0f}ms  {o.question}{short}  "
          f"[gold: {' | '.join(o.gold)}]")


def _run_weeks(args, settings: Settings) -> int:
    """Each week's corpus alone: its own questions and a distant week's (see bot/evaluation/weeks.py)."""
    from bot.app import build_service
    from bot.evaluation.weeks import corpus_factory, format_weeks, load_weeks, run_weeks, summarize_weeks

    weeks = load_weeks(args.weeks)
    only = set(args.only.split(",")) if args.only else None
    with tempfile.TemporaryDirectory(prefix="newsbot-eval-") as tmp:
        cache = args.index_cache or Path(tmp)
        factory = corpus_factory(settings, cache, lambda s, index: build_service(s, index=index))
        with progress_bar("weeks", enabled=sys.stderr.isatty(), lines=True) as advance:
            tagged = run_weeks(weeks, factory, args.with_options, only, args.multi, progress=advance)
    figures = summarize_weeks(tagged)
    if args.json:
        out = {kind: r.to_dict() for kind, r in figures.items()}
        if args.per_question:
            out["outcomes"] = [{"corpus": t.corpus, "kind": t.kind, **t.outcome.__dict__} for t in tagged]
        print(json.dumps(out, ensure_ascii=False, default=str))
        return 0
    print(format_weeks(figures))
    if args.per_question:
        for t in tagged:
            _print_outcome(t.outcome, f"{t.corpus}/{t.kind}")
    return 0


def _index_for_eval(settings: Settings, articles: Path) -> None:
    """Index the eval articles into the (temporary) data dir."""
    from bot.app import index_folders

    if not articles.exists():
        raise BadInput(f"no such folder: {articles}")
    with progress_bar("indexing", enabled=sys.stderr.isatty()) as advance:
        _, summary = index_folders(settings, [articles], progress=advance)
    print(summary, file=sys.stderr)
